package dev.pgstack.db.sql;

import java.util.List;

/**
 * One window of a listing as the database returns it: the rows in it and how many rows match in all. What the
 * window was (skip, limit) is the caller's; the web layer shows both as a page.
 */
public record Slice<T>(List<T> items, long total) {
}

package dev.pgstack.web.view;

import java.util.List;

/** One page of a listing: the items, how many match in all, and the window asked for. */
public record PageView<T>(List<T> items, long total, int skip, int limit) {
}

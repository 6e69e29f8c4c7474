package dev.pgstack.web.view;

import java.util.List;

import dev.pgstack.db.sql.Slice;

/** One page of a listing: the items, how many match in all, and the window asked for. */
public record PageView<T>(List<T> items, long total, int skip, int limit) {

    /** The page a service's slice makes, for the window the request asked for. */
    public static <T> PageView<T> of(Slice<T> slice, int skip, int limit) {
        return new PageView<>(slice.items(), slice.total(), skip, limit);
    }
}

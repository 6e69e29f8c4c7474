package dev.pgstack.support;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh ids, so that tests neither depend on each other nor on what an earlier run left in the database. */
public final class Ids {

    private Ids() {
    }

    /** "prefix-1a2b3c4d": a name no other test (or earlier run) uses. */
    public static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);
    }
}

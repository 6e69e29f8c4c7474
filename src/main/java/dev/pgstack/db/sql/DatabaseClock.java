package dev.pgstack.db.sql;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL stores them (microseconds), so that an answer and a later read agree. */
public final class DatabaseClock {

    private DatabaseClock() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

package dev.pgstack.db.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule that ties settings together, in one place and on the values in force, whatever form set them
 * (DATABASE_URL, POSTGRES_*, DB_*, QUARKUS_*, PGSTACK_*): what HikariCP's {@code validateNumerics()} is to its pool.
 * {@link RunMode} asks it once; a problem stops the process with one line, a warning is logged at startup.
 */
public final class SettingsValidation {

    /** Flyway takes a second connection for its schema history lock: with one, a migration waits forever. */
    public static final int MIN_POOL_MAX = 2;
    /** The smallest budget: two JDBC connections for Flyway, one reactive. */
    public static final int MIN_BUDGET = MIN_POOL_MAX + 1;

    /** The settings the rules read, as resolved. */
    public record Settings(int jdbcMin, int jdbcMax, int reactiveMax, boolean migrateAtStart,
            int socketTimeoutSeconds, long statementTimeoutMs, Duration acquisitionTimeout) {

        static Settings of(PgstackConfig config, DatasourceSettings datasource) {
            return new Settings(datasource.jdbc().minSize(), datasource.jdbc().maxSize(),
                    datasource.reactive().maxSize(), config.migrateAtStart(), config.db().socketTimeoutSeconds(),
                    config.db().statementTimeoutMs(), config.pool().acquisitionTimeout());
        }
    }

    /** @param problems what makes the settings unusable; @param warnings what works, but not as one expects */
    public record Verdict(List<String> problems, List<String> warnings) {
    }

    private SettingsValidation() {
    }

    public static Verdict check(Settings s) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (s.migrateAtStart() && s.jdbcMax() < MIN_POOL_MAX) {
            problems.add("the pool's maximum is " + s.jdbcMax() + ", and migrating at start needs " + MIN_POOL_MAX
                    + " connections (raise quarkus.datasource.jdbc.max-size, or set PGSTACK_MIGRATE_AT_START=false)");
        }
        if (s.jdbcMax() + s.reactiveMax() < MIN_BUDGET || s.reactiveMax() < 1) {
            problems.add(budgetProblem("the connection budget (quarkus.datasource.jdbc.max-size "
                    + s.jdbcMax() + " + quarkus.datasource.reactive.max-size " + s.reactiveMax() + ")"));
        }
        if (s.jdbcMin() > s.jdbcMax()) {
            problems.add("quarkus.datasource.jdbc.min-size (" + s.jdbcMin() + ") must not exceed its max-size ("
                    + s.jdbcMax() + ")");
        }
        if (s.acquisitionTimeout().isZero() || s.acquisitionTimeout().isNegative()) {
            // Agroal takes 0 as "wait for ever": no request would be answered within a bound
            problems.add("pgstack.pool.acquisition-timeout (DB_POOL_TIMEOUT) must be above 0");
        }
        long socketMs = s.socketTimeoutSeconds() * 1000L;
        if (socketMs > 0 && s.statementTimeoutMs() > 0 && socketMs <= s.statementTimeoutMs()) {
            warnings.add("the socket timeout (" + s.socketTimeoutSeconds() + " s) is not longer than the statement"
                    + " timeout (" + s.statementTimeoutMs() + " ms): a statement the server may still run is cut"
                    + " earlier, as if its connection were dead");
        }
        return new Verdict(List.copyOf(problems), List.copyOf(warnings));
    }

    /** The budget rule's words, with what set the budget ({@code what}). */
    static String budgetProblem(String what) {
        return what + " must be at least " + MIN_BUDGET + " (Flyway holds two connections while it migrates, the"
                + " reactive pool needs one)";
    }
}

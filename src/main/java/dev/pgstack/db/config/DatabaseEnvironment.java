package dev.pgstack.db.config;

import java.time.Duration;
import static dev.pgstack.db.config.EnvironmentVariable.DATABASE_REPLICA_URL;
import static dev.pgstack.db.config.EnvironmentVariable.DATABASE_URL;
import static dev.pgstack.db.config.EnvironmentVariable.DB_APPLICATION_NAME;
import static dev.pgstack.db.config.EnvironmentVariable.DB_FLEET_SHARE;
import static dev.pgstack.db.config.EnvironmentVariable.DB_HOST;
import static dev.pgstack.db.config.EnvironmentVariable.DB_MAX_OVERFLOW;
import static dev.pgstack.db.config.EnvironmentVariable.DB_NAME;
import static dev.pgstack.db.config.EnvironmentVariable.DB_PASSWORD;
import static dev.pgstack.db.config.EnvironmentVariable.DB_POOL_PRE_PING;
import static dev.pgstack.db.config.EnvironmentVariable.DB_POOL_RECYCLE;
import static dev.pgstack.db.config.EnvironmentVariable.DB_POOL_SIZE;
import static dev.pgstack.db.config.EnvironmentVariable.DB_POOL_TIMEOUT;
import static dev.pgstack.db.config.EnvironmentVariable.DB_PORT;
import static dev.pgstack.db.config.EnvironmentVariable.DB_REPLICA_MAX_LAG;
import static dev.pgstack.db.config.EnvironmentVariable.DB_SLOW_QUERY_MS;
import static dev.pgstack.db.config.EnvironmentVariable.DB_USER;
import static dev.pgstack.db.config.EnvironmentVariable.DEBUG;
import static dev.pgstack.db.config.EnvironmentVariable.DEV_POSTGRES_DB;
import static dev.pgstack.db.config.EnvironmentVariable.DEV_POSTGRES_HOST;
import static dev.pgstack.db.config.EnvironmentVariable.DEV_POSTGRES_PASSWORD;
import static dev.pgstack.db.config.EnvironmentVariable.DEV_POSTGRES_PORT;
import static dev.pgstack.db.config.EnvironmentVariable.DEV_POSTGRES_USER;
import static dev.pgstack.db.config.EnvironmentVariable.POSTGRES_DB;
import static dev.pgstack.db.config.EnvironmentVariable.POSTGRES_HOST;
import static dev.pgstack.db.config.EnvironmentVariable.POSTGRES_PASSWORD;
import static dev.pgstack.db.config.EnvironmentVariable.POSTGRES_PORT;
import static dev.pgstack.db.config.EnvironmentVariable.POSTGRES_USER;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Translates the database's environment variables of Python/PaaS deployments (docs/configuration.md) into Quarkus
 * configuration keys: where the database is, the pools, SQL logging. A pure function of the environment, so that
 * every form can be unit-tested; the service's own variables (PORT, ENVIRONMENT) are {@link ServiceEnvironment}'s.
 * The variables, the keys they feed and their meaning are registered in {@link EnvironmentVariable}.
 *
 * <p>Problems are not thrown (a config source that throws makes Quarkus die with a stack trace); they are collected
 * under {@link #CONFIG_ERROR} and reported in one line at startup by {@link dev.pgstack.db.lifecycle.DatabaseStartup}.
 */
public final class DatabaseEnvironment {

    public static final String CONFIG_ERROR = "pgstack.datasource.config-error";
    public static final String ORIGIN = "pgstack.datasource.origin";
    public static final String SQL_ECHO = "pgstack.sql-echo";
    public static final String PGBOUNCER = "pgstack.db.pgbouncer";
    public static final String REPLICA_URLS = "pgstack.replica.urls";
    /** Where the primary's JDBC pool takes each of {@link SessionSettings#jdbc}. */
    public static final String JDBC_PROPERTY_PREFIX = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    /** A primary given piece by piece: POSTGRES_*, the chat bot's DB_* or the dev profile's DEV_POSTGRES_*. */
    private record Pieces(String origin, EnvironmentVariable host, EnvironmentVariable port,
            EnvironmentVariable database, EnvironmentVariable user, EnvironmentVariable password) {
    }

    private static final Pieces POSTGRES = new Pieces("POSTGRES_*", POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB,
            POSTGRES_USER, POSTGRES_PASSWORD);
    private static final Pieces DB = new Pieces("DB_*", DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD);
    private static final Pieces DEV_POSTGRES = new Pieces("DEV_POSTGRES_*", DEV_POSTGRES_HOST, DEV_POSTGRES_PORT,
            DEV_POSTGRES_DB, DEV_POSTGRES_USER, DEV_POSTGRES_PASSWORD);

    /**
     * The pool sizes configured without the variables (application.properties): the JDBC pool's minimum and the
     * budget of both pools. DB_POOL_SIZE alone keeps their overflow (max - min), DB_MAX_OVERFLOW alone their size
     * (min). Read from the configuration, never repeated.
     */
    public record PoolSizes(int min, int max) {
    }

    private DatabaseEnvironment() {
    }

    public static Map<String, String> translate(Map<String, String> env, PoolSizes configured) {
        Translation translation = new Translation(env);
        translate(translation, configured);
        return translation.result();
    }

    /** Adds the database's keys and problems to {@code translation} (which may hold others'). */
    static void translate(Translation translation, PoolSizes configured) {
        boolean pgbouncer = primary(translation);
        sessionSettings(translation, pgbouncer);
        replicas(translation);
        devDatabase(translation);
        poolSizes(translation, configured);
        poolTimes(translation);
        prePing(translation);
        fleetShare(translation);
        sqlEcho(translation);
        slowQueries(translation);
        applicationName(translation);
    }

    /**
     * The primary: DATABASE_URL, else POSTGRES_*, else the chat bot's DB_* (DB_NAME for the database).
     *
     * @return whether it is reached through PgBouncer
     */
    private static boolean primary(Translation t) {
        String databaseUrl = t.value(DATABASE_URL);
        if (databaseUrl != null) {
            String name = DATABASE_URL.name();
            return connection(t, "", name, () -> DatabaseUrl.parse(name, databaseUrl));
        } else if (t.value(POSTGRES_HOST) != null) {
            connection(t, "", POSTGRES);
        } else if (t.value(DB_HOST) != null) {
            connection(t, "", DB);
        }
        return false;
    }

    /**
     * The primary's JDBC pool is Quarkus's: it gets the policy's session settings as keys resolving to them. Behind
     * PgBouncer (transaction pooling) the connection policy (db.connection) builds every pool for it.
     */
    private static void sessionSettings(Translation t, boolean pgbouncer) {
        if (pgbouncer) {
            t.put(PGBOUNCER, "true");
        }
        SessionSettings.EXPRESSIONS.jdbc(pgbouncer).forEach((k, v) -> t.put(JDBC_PROPERTY_PREFIX + k, v));
    }

    /** DATABASE_REPLICA_URL is parsed later, by its converter; parsed here too, to be reported in the one line. */
    private static void replicas(Translation t) {
        String replicas = t.value(DATABASE_REPLICA_URL);
        if (replicas != null) {
            try {
                DatabaseUrl.parseList(DATABASE_REPLICA_URL.name(), replicas);
                t.put(REPLICA_URLS, replicas.strip());
            } catch (IllegalArgumentException e) {
                t.problem(e.getMessage());
            }
        }
        Duration maxLag = t.seconds(DB_REPLICA_MAX_LAG, false);
        if (maxLag != null) {
            t.put("pgstack.replica.max-lag", maxLag.toString());
        }
    }

    /** DEV_POSTGRES_*: the database of the dev profile only. */
    private static void devDatabase(Translation t) {
        if (t.hasAny("DEV_POSTGRES_")) {
            connection(t, "%dev.", DEV_POSTGRES);
        }
    }

    private static void connection(Translation t, String prefix, Pieces pieces) {
        connection(t, prefix, pieces.origin(), () -> fromPieces(t, pieces));
    }

    /** @return whether the URL points at PgBouncer */
    private static boolean connection(Translation t, String prefix, String origin, Supplier<DatabaseUrl> parser) {
        try {
            DatabaseUrl url = parser.get();
            t.put(prefix + "quarkus.datasource.jdbc.url", url.jdbcUrl());
            t.put(prefix + "quarkus.datasource.reactive.url", url.reactiveUrl());
            if (url.user() != null) {
                t.put(prefix + "quarkus.datasource.username", url.user());
            }
            if (url.password() != null) {
                t.put(prefix + "quarkus.datasource.password", url.password());
            }
            t.put(prefix + ORIGIN, origin);
            return url.pgbouncer();
        } catch (IllegalArgumentException e) {
            t.problem(e.getMessage());
            return false;
        }
    }

    private static DatabaseUrl fromPieces(Translation t, Pieces pieces) {
        String host = orDefault(t.value(pieces.host()), "localhost");
        String portText = t.value(pieces.port());
        int port = portText == null ? DatabaseUrl.DEFAULT_PORT : SettingRules.port(portText).orElseThrow(
                () -> new IllegalArgumentException(pieces.port() + " must be a number between 1 and 65535"));
        host = SettingRules.bracketed(host);
        if (!SettingRules.isHost(host)) {
            throw new IllegalArgumentException(pieces.host() + " is not a valid host name");
        }
        String user = orDefault(t.value(pieces.user()), "postgres");
        String database = orDefault(t.value(pieces.database()), user);
        return new DatabaseUrl(host, port, database, user, t.raw(pieces.password()), Map.of());
    }

    /**
     * DB_POOL_SIZE + DB_MAX_OVERFLOW is what one instance opens at most (SQLAlchemy's meaning), shared by its two
     * pools rather than given to each: half to the reactive pool (the hot paths), the rest to the JDBC pool, whose
     * minimum is DB_POOL_SIZE (at most its maximum).
     */
    private static void poolSizes(Translation t, PoolSizes configured) {
        Integer size = t.wholeNumber(DB_POOL_SIZE);
        Integer overflow = t.wholeNumber(DB_MAX_OVERFLOW);
        if (size == null && overflow == null) {
            return;
        }
        int min = size != null ? size : configured.min();
        int budget = min + (overflow != null ? overflow : Math.max(0, configured.max() - configured.min()));
        if (budget < SettingsValidation.MIN_BUDGET) {
            // said in the variables' words here, before they become pool sizes (SettingsValidation has the rule)
            t.problem(SettingsValidation.budgetProblem("DB_POOL_SIZE + DB_MAX_OVERFLOW"));
            return;
        }
        int reactive = budget / 2;
        int jdbc = budget - reactive;
        t.put("quarkus.datasource.jdbc.min-size", Integer.toString(Math.min(min, jdbc)));
        t.put("quarkus.datasource.jdbc.max-size", Integer.toString(jdbc));
        t.put("quarkus.datasource.reactive.max-size", Integer.toString(reactive));
    }

    /** DB_POOL_TIMEOUT and DB_POOL_RECYCLE, in seconds as SQLAlchemy takes them. */
    private static void poolTimes(Translation t) {
        Duration timeout = t.seconds(DB_POOL_TIMEOUT, false);
        if (timeout != null) {
            t.put("pgstack.pool.acquisition-timeout", timeout.toString());
        }
        Duration recycle = t.seconds(DB_POOL_RECYCLE, true);
        if (recycle != null) {
            // SQLAlchemy's pool_recycle=-1 means "never"; 0 means the same to Agroal and Vert.x.
            t.put("pgstack.pool.max-lifetime", recycle.isNegative() ? Duration.ZERO.toString() : recycle.toString());
        }
    }

    /**
     * DB_POOL_PRE_PING true: connections idle longer than the window are validated on checkout (the default);
     * false: no validation on checkout at all, only in the background.
     */
    private static void prePing(Translation t) {
        String prePing = t.value(DB_POOL_PRE_PING);
        if (prePing == null) {
            return;
        }
        SettingRules.flag(prePing).ifPresentOrElse(
                on -> t.put("pgstack.pool.validate-after-idle", on ? "500MS" : "0S"),
                () -> t.problem("DB_POOL_PRE_PING must be true or false"));
    }

    /** DB_FLEET_SHARE: whether the primary's pools are sized to this instance's share of the server. */
    private static void fleetShare(Translation t) {
        String share = t.value(DB_FLEET_SHARE);
        if (share != null) {
            SettingRules.flag(share).ifPresentOrElse(on -> t.put("pgstack.pool.fleet-share", on.toString()),
                    () -> t.problem("DB_FLEET_SHARE must be true or false"));
        }
    }

    /** SQL_ECHO (or, without it, DEBUG): on, off, or debug (pool events too). */
    private static void sqlEcho(Translation t) {
        EnvironmentVariable source = t.value(EnvironmentVariable.SQL_ECHO) == null && t.value(DEBUG) != null ? DEBUG
                : EnvironmentVariable.SQL_ECHO;
        String echo = t.value(source);
        if (echo == null) {
            return;
        }
        String mode = echo.toLowerCase(Locale.ROOT);
        Optional<Boolean> on = mode.equals("debug") ? Optional.of(true) : SettingRules.flag(mode);
        if (on.isEmpty()) {
            t.problem(source + " must be true, false or debug");
        } else {
            t.put(SQL_ECHO, mode.equals("debug") ? "debug" : on.get().toString());
        }
    }

    private static void slowQueries(Translation t) {
        Integer slowMs = t.wholeNumber(DB_SLOW_QUERY_MS);
        if (slowMs != null) {
            t.put("pgstack.db.slow-query-ms", slowMs.toString());
        }
    }

    /** What the server shows in pg_stat_activity: PostgreSQL keeps at most 63 bytes of it. */
    private static void applicationName(Translation t) {
        String appName = t.value(DB_APPLICATION_NAME);
        if (appName == null) {
            return;
        }
        if (appName.length() > 63 || !appName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            t.problem("DB_APPLICATION_NAME must be at most 63 printable ASCII characters");
        } else {
            t.put("pgstack.db.application-name", appName);
        }
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }
}

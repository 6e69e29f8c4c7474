package dev.pgstack.db.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates the environment variables of Python/PaaS deployments (README "Configuration") into Quarkus
 * configuration keys. A pure function of the environment, so that every form can be unit-tested.
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

    /** Every variable this class reads; DEV_POSTGRES_* and POSTGRES_* take the same five suffixes. */
    public static final List<String> VARIABLES;

    static {
        List<String> names = new ArrayList<>(List.of("DATABASE_URL", "DB_POOL_SIZE", "DB_MAX_OVERFLOW",
                "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "DB_POOL_PRE_PING", "SQL_ECHO", "DEBUG", "DB_SLOW_QUERY_MS",
                "DB_APPLICATION_NAME", "ENVIRONMENT", "QUARKUS_PROFILE", "PORT", "DATABASE_REPLICA_URL",
                "DB_REPLICA_MAX_LAG", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"));
        for (String prefix : List.of("POSTGRES_", "DEV_POSTGRES_")) {
            for (String piece : List.of("HOST", "PORT", "DB", "USER", "PASSWORD")) {
                names.add(prefix + piece);
            }
        }
        VARIABLES = List.copyOf(names);
    }

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
        return translate(env, true, configured);
    }

    /**
     * @param profileFromEnvironment whether ENVIRONMENT may choose the profile: only for the packaged application,
     *        never in dev mode or tests, whose profile Quarkus owns
     */
    public static Map<String, String> translate(Map<String, String> env, boolean profileFromEnvironment,
            PoolSizes configured) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();

        String databaseUrl = value(env, "DATABASE_URL");
        boolean pgbouncer = false;
        if (databaseUrl != null) {
            pgbouncer = connection(out, errors, "", "DATABASE_URL",
                    () -> DatabaseUrl.parse("DATABASE_URL", databaseUrl));
        } else if (value(env, "POSTGRES_HOST") != null) {
            connection(out, errors, "", "POSTGRES_*", () -> fromPieces(env, "POSTGRES_"));
        } else if (value(env, "DB_HOST") != null) {
            // the chat bot's names: DB_NAME for the database
            connection(out, errors, "", "DB_*", () -> fromPieces(env, "DB_", "NAME"));
        }
        if (pgbouncer) {
            // transaction pooling: the connection policy (db.connection) builds every pool for it
            out.put(PGBOUNCER, "true");
        }
        // the primary's JDBC pool is Quarkus's: it gets the policy's session settings as keys resolving to them
        SessionSettings.EXPRESSIONS.jdbc(pgbouncer).forEach((k, v) -> out.put(JDBC_PROPERTY_PREFIX + k, v));

        String replicas = value(env, "DATABASE_REPLICA_URL");
        if (replicas != null) {
            try {
                DatabaseUrl.parseList("DATABASE_REPLICA_URL", replicas); // reported here, in the one line
                out.put(REPLICA_URLS, replicas.strip());
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        Duration maxLag = seconds(env, "DB_REPLICA_MAX_LAG", errors, false);
        if (maxLag != null) {
            out.put("pgstack.replica.max-lag", maxLag.toString());
        }
        if (hasAny(env, "DEV_POSTGRES_")) {
            connection(out, errors, "%dev.", "DEV_POSTGRES_*", () -> fromPieces(env, "DEV_POSTGRES_"));
        }

        pool(env, out, errors, configured);

        String echo = value(env, "SQL_ECHO");
        String echoSource = "SQL_ECHO";
        if (echo == null && value(env, "DEBUG") != null) {
            echo = value(env, "DEBUG");
            echoSource = "DEBUG";
        }
        if (echo != null) {
            String mode = echo.toLowerCase(Locale.ROOT);
            Boolean on = mode.equals("debug") ? Boolean.TRUE : SettingRules.flag(mode).orElse(null);
            if (on == null) {
                errors.add(echoSource + " must be true, false or debug");
            } else {
                out.put(SQL_ECHO, mode.equals("debug") ? "debug" : on.toString());
            }
        }

        Integer slowMs = nonNegativeInt(env, "DB_SLOW_QUERY_MS", errors);
        if (slowMs != null) {
            out.put("pgstack.db.slow-query-ms", slowMs.toString());
        }

        String appName = value(env, "DB_APPLICATION_NAME");
        if (appName != null) {
            if (appName.length() > 63 || !appName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                errors.add("DB_APPLICATION_NAME must be at most 63 printable ASCII characters");
            } else {
                out.put("pgstack.db.application-name", appName);
            }
        }

        // PaaS platforms say where to listen with PORT; QUARKUS_HTTP_PORT (a higher source) still wins
        String port = value(env, "PORT");
        if (port != null) {
            if (SettingRules.port(port).isEmpty()) {
                errors.add("PORT must be a number between 1 and 65535");
            } else {
                out.put("quarkus.http.port", port);
            }
        }

        String environment = value(env, "ENVIRONMENT");
        if (profileFromEnvironment && environment != null && value(env, "QUARKUS_PROFILE") == null) {
            String profile = switch (environment.toLowerCase(Locale.ROOT)) {
                case "production", "prod" -> "prod";
                case "development", "dev", "local" -> "dev";
                case "test", "testing" -> "test";
                default -> null;
            };
            if (profile == null) {
                errors.add("ENVIRONMENT must be production, development or test");
            } else {
                out.put("quarkus.profile", profile);
            }
        }

        if (!errors.isEmpty()) {
            out.put(CONFIG_ERROR, String.join("; ", errors));
        }
        return out;
    }

    /** @return whether the URL points at PgBouncer */
    private static boolean connection(Map<String, String> out, List<String> errors, String prefix, String origin,
            java.util.function.Supplier<DatabaseUrl> parser) {
        try {
            DatabaseUrl url = parser.get();
            out.put(prefix + "quarkus.datasource.jdbc.url", url.jdbcUrl());
            out.put(prefix + "quarkus.datasource.reactive.url", url.reactiveUrl());
            if (url.user() != null) {
                out.put(prefix + "quarkus.datasource.username", url.user());
            }
            if (url.password() != null) {
                out.put(prefix + "quarkus.datasource.password", url.password());
            }
            out.put(prefix + ORIGIN, origin);
            return url.pgbouncer();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return false;
        }
    }

    static DatabaseUrl fromPieces(Map<String, String> env, String prefix) {
        return fromPieces(env, prefix, "DB");
    }

    /** @param databaseSuffix what follows the prefix in the database's variable (POSTGRES_DB, but DB_NAME) */
    static DatabaseUrl fromPieces(Map<String, String> env, String prefix, String databaseSuffix) {
        String host = orDefault(value(env, prefix + "HOST"), "localhost");
        String portText = value(env, prefix + "PORT");
        int port = portText == null ? DatabaseUrl.DEFAULT_PORT : SettingRules.port(portText).orElseThrow(
                () -> new IllegalArgumentException(prefix + "PORT must be a number between 1 and 65535"));
        host = SettingRules.bracketed(host);
        if (!SettingRules.isHost(host)) {
            throw new IllegalArgumentException(prefix + "HOST is not a valid host name");
        }
        String user = orDefault(value(env, prefix + "USER"), "postgres");
        String database = orDefault(value(env, prefix + databaseSuffix), user);
        return new DatabaseUrl(host, port, database, user, env.get(prefix + "PASSWORD"), Map.of());
    }

    /** Flyway takes a second connection for its schema history lock: with one, a migration waits forever. */
    public static final int MIN_POOL_MAX = 2;
    /** The smallest budget: two JDBC connections for Flyway, one reactive. */
    public static final int MIN_BUDGET = MIN_POOL_MAX + 1;

    /**
     * DB_POOL_SIZE + DB_MAX_OVERFLOW is what one instance opens at most (SQLAlchemy's meaning), shared by its two
     * pools rather than given to each: half to the reactive pool (the hot paths), the rest to the JDBC pool, whose
     * minimum is DB_POOL_SIZE (at most its maximum).
     */
    private static void pool(Map<String, String> env, Map<String, String> out, List<String> errors,
            PoolSizes configured) {
        Integer size = nonNegativeInt(env, "DB_POOL_SIZE", errors);
        Integer overflow = nonNegativeInt(env, "DB_MAX_OVERFLOW", errors);
        if (size != null || overflow != null) {
            int min = size != null ? size : configured.min();
            int budget = min + (overflow != null ? overflow : Math.max(0, configured.max() - configured.min()));
            if (budget < MIN_BUDGET) {
                errors.add("DB_POOL_SIZE + DB_MAX_OVERFLOW must be at least " + MIN_BUDGET
                        + " (Flyway holds two connections while it migrates, the reactive pool needs one)");
            } else {
                int reactive = budget / 2;
                int jdbc = budget - reactive;
                out.put("quarkus.datasource.jdbc.min-size", Integer.toString(Math.min(min, jdbc)));
                out.put("quarkus.datasource.jdbc.max-size", Integer.toString(jdbc));
                out.put("quarkus.datasource.reactive.max-size", Integer.toString(reactive));
            }
        }
        Duration timeout = seconds(env, "DB_POOL_TIMEOUT", errors, false);
        if (timeout != null) {
            out.put("pgstack.pool.acquisition-timeout", timeout.toString());
        }
        Duration recycle = seconds(env, "DB_POOL_RECYCLE", errors, true);
        if (recycle != null) {
            // SQLAlchemy's pool_recycle=-1 means "never"; 0 means the same to Agroal and Vert.x.
            out.put("pgstack.pool.max-lifetime", recycle.isNegative() ? Duration.ZERO.toString() : recycle.toString());
        }
        String prePing = value(env, "DB_POOL_PRE_PING");
        if (prePing != null) {
            Boolean on = SettingRules.flag(prePing).orElse(null);
            if (on == null) {
                errors.add("DB_POOL_PRE_PING must be true or false");
            } else {
                // true: connections idle longer than the window are validated on checkout (the default);
                // false: no validation on checkout at all, only in the background
                out.put("pgstack.pool.validate-after-idle", on ? "500MS" : "0S");
            }
        }
    }

    private static Integer nonNegativeInt(Map<String, String> env, String name, List<String> errors) {
        String text = value(env, name);
        if (text == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(name + " must be a whole number between 0 and 10000");
        return null;
    }

    private static Duration seconds(Map<String, String> env, String name, List<String> errors,
            boolean negativeAllowed) {
        String text = value(env, name);
        if (text == null) {
            return null;
        }
        try {
            BigDecimal secs = new BigDecimal(text);
            if ((negativeAllowed || secs.signum() > 0) && secs.compareTo(BigDecimal.valueOf(31_536_000)) <= 0) {
                return Duration.ofMillis(secs.movePointRight(3).longValue());
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(name + " must be a number of seconds" + (negativeAllowed ? "" : " greater than 0"));
        return null;
    }

    private static boolean hasAny(Map<String, String> env, String prefix) {
        return env.entrySet().stream().anyMatch(e -> e.getKey().startsWith(prefix) && !e.getValue().isBlank());
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }
}

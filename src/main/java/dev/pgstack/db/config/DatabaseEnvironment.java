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
    public static final String REACTIVE_LAYER7_PROXY_KEY = "quarkus.datasource.reactive.postgresql.use-layer7-proxy";
    public static final String REPLICA_URLS = "pgstack.replica.urls";

    /**
     * PgBouncer keeps DateStyle in step between client and server and sends {@code SET DateStyle} before every
     * transaction whose client asked for another value than its server connection reports (pgbouncer/pgbouncer
     * #776). The reactive client asks for {@code ISO}, the server reports {@code ISO, MDY}: two extra round trips
     * per hot read, half the throughput through PgBouncer. Asking for what the server reports removes them. (The
     * order only matters for dates sent as text, which pgstack never sends; pgjdbc still asks for {@code ISO}, so
     * the JDBC pool's transactions keep paying it.)
     */
    public static final String REACTIVE_DATESTYLE_KEY = "quarkus.datasource.reactive.additional-properties.DateStyle";
    public static final String SERVER_DATESTYLE = "ISO, MDY";

    /**
     * The server-side timeouts, sent as the startup parameter {@code options} of every JDBC connection (and as
     * startup parameters of their own by the reactive client); PgBouncer refuses those parameters, so behind it they belong to the role ({@code ALTER ROLE ... SET}, README).
     */
    public static final String TIMEOUT_OPTIONS_KEY = "quarkus.datasource.jdbc.additional-jdbc-properties.options";
    public static final String TIMEOUT_OPTIONS =
            "-c statement_timeout=${pgstack.db.statement-timeout-ms} -c lock_timeout=${pgstack.db.lock-timeout-ms}";

    public static final String REACTIVE_STATEMENT_TIMEOUT_KEY =
            "quarkus.datasource.reactive.additional-properties.statement_timeout";
    public static final String REACTIVE_LOCK_TIMEOUT_KEY =
            "quarkus.datasource.reactive.additional-properties.lock_timeout";

    /**
     * The reactive client runs a handful of hot statements, each prepared once per connection; PostgreSQL's
     * default (auto) planned the history statement again on every execution, because with its LIMIT a parameter
     * the generic plan looks costlier than a custom one (half its throughput under pgbench; bench/README.md).
     * Their plans do not depend on the values, so these connections plan once. Needs PostgreSQL 12 or newer.
     */
    public static final String REACTIVE_PLAN_CACHE_MODE_KEY =
            "quarkus.datasource.reactive.additional-properties.plan_cache_mode";
    public static final String PLAN_ONCE = "force_generic_plan";

    /**
     * A generic plan's estimates do not know a LIMIT's value (PostgreSQL assumes a tenth of the rows), so a catalog
     * page planned once looked big enough for JIT compilation, which is done again on every execution: 80-130 ms
     * of compiling for a 1 ms statement (seen in auto_explain). The reactive connections run only short statements.
     */
    public static final String REACTIVE_JIT_KEY = "quarkus.datasource.reactive.additional-properties.jit";
    public static final String NO_JIT = "off";

    /** Every variable this class reads; DEV_POSTGRES_* and POSTGRES_* take the same five suffixes. */
    public static final List<String> VARIABLES;

    static {
        List<String> names = new ArrayList<>(List.of("DATABASE_URL", "DB_POOL_SIZE", "DB_MAX_OVERFLOW",
                "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "DB_POOL_PRE_PING", "SQL_ECHO", "DEBUG", "DB_SLOW_QUERY_MS",
                "DB_APPLICATION_NAME", "ENVIRONMENT", "QUARKUS_PROFILE", "PORT", "DATABASE_REPLICA_URL",
                "DB_REPLICA_MAX_LAG"));
        for (String prefix : List.of("POSTGRES_", "DEV_POSTGRES_")) {
            for (String piece : List.of("HOST", "PORT", "DB", "USER", "PASSWORD")) {
                names.add(prefix + piece);
            }
        }
        VARIABLES = List.copyOf(names);
    }

    /**
     * The pool sizes configured without the variables (application.properties): DB_POOL_SIZE alone keeps their
     * overflow (max - min), DB_MAX_OVERFLOW alone their size (min). Read from the configuration, never repeated.
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
        }
        if (pgbouncer) {
            // transaction pooling: the next query may run on another server connection, so nothing may be
            // prepared or pipelined on one, and no startup parameter that PgBouncer refuses may be sent
            out.put(PGBOUNCER, "true");
            out.put("quarkus.datasource.reactive.postgresql.pipelining-limit", "1");
            out.put(REACTIVE_LAYER7_PROXY_KEY, "true"); // each execution carries its own parse, nothing named (ReactiveSql)
            out.put("quarkus.datasource.reactive.cache-prepared-statements", "false");
            out.put(REACTIVE_DATESTYLE_KEY, SERVER_DATESTYLE);
        } else {
            out.put(TIMEOUT_OPTIONS_KEY, TIMEOUT_OPTIONS);
            // the reactive client sends any setting as a startup parameter of its own
            out.put(REACTIVE_STATEMENT_TIMEOUT_KEY, "${pgstack.db.statement-timeout-ms}");
            out.put(REACTIVE_LOCK_TIMEOUT_KEY, "${pgstack.db.lock-timeout-ms}");
            out.put(REACTIVE_PLAN_CACHE_MODE_KEY, PLAN_ONCE);
            out.put(REACTIVE_JIT_KEY, NO_JIT);
        }

        String replicas = value(env, "DATABASE_REPLICA_URL");
        if (replicas != null) {
            try {
                DatabaseUrl.parseList("DATABASE_REPLICA_URL", replicas);
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
            Boolean on = mode.equals("debug") ? Boolean.TRUE : bool(mode);
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
                out.put("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName", appName);
                out.put("quarkus.datasource.reactive.additional-properties.application_name", appName);
            }
        }

        // PaaS platforms say where to listen with PORT; QUARKUS_HTTP_PORT (a higher source) still wins
        String port = value(env, "PORT");
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
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
        String host = orDefault(value(env, prefix + "HOST"), "localhost");
        String portText = value(env, prefix + "PORT");
        int port = DatabaseUrl.DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(prefix + "PORT must be a number between 1 and 65535");
            }
        }
        if (!host.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]|[0-9A-Fa-f:]+")) {
            throw new IllegalArgumentException(prefix + "HOST is not a valid host name");
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String user = orDefault(value(env, prefix + "USER"), "postgres");
        String database = orDefault(value(env, prefix + "DB"), user);
        return new DatabaseUrl(host, port, database, user, env.get(prefix + "PASSWORD"), Map.of());
    }

    /** Flyway takes a second connection for its schema history lock: with one, a migration waits forever. */
    public static final int MIN_POOL_MAX = 2;

    private static void pool(Map<String, String> env, Map<String, String> out, List<String> errors,
            PoolSizes configured) {
        Integer size = nonNegativeInt(env, "DB_POOL_SIZE", errors);
        Integer overflow = nonNegativeInt(env, "DB_MAX_OVERFLOW", errors);
        if (size != null || overflow != null) {
            int min = size != null ? size : configured.min();
            int max = min + (overflow != null ? overflow : Math.max(0, configured.max() - configured.min()));
            if (max < MIN_POOL_MAX) {
                errors.add("DB_POOL_SIZE + DB_MAX_OVERFLOW must be at least " + MIN_POOL_MAX
                        + " (Flyway holds two connections while it migrates)");
            } else {
                out.put("quarkus.datasource.jdbc.min-size", Integer.toString(min));
                out.put("quarkus.datasource.jdbc.max-size", Integer.toString(max));
                out.put("quarkus.datasource.reactive.max-size", Integer.toString(max));
            }
        }
        Duration timeout = seconds(env, "DB_POOL_TIMEOUT", errors, false);
        if (timeout != null) {
            out.put("quarkus.datasource.jdbc.acquisition-timeout", timeout.toString());
        }
        Duration recycle = seconds(env, "DB_POOL_RECYCLE", errors, true);
        if (recycle != null) {
            // SQLAlchemy's pool_recycle=-1 means "never"; 0 means the same to Agroal and Vert.x.
            String lifetime = recycle.isNegative() ? Duration.ZERO.toString() : recycle.toString();
            out.put("quarkus.datasource.jdbc.max-lifetime", lifetime);
            out.put("quarkus.datasource.reactive.max-lifetime", lifetime);
        }
        String prePing = value(env, "DB_POOL_PRE_PING");
        if (prePing != null) {
            Boolean on = bool(prePing.toLowerCase(Locale.ROOT));
            if (on == null) {
                errors.add("DB_POOL_PRE_PING must be true or false");
            } else {
                // true: connections idle longer than the window are validated on checkout (the default);
                // false: no validation on checkout at all, only in the background
                out.put("quarkus.datasource.jdbc.foreground-validation-interval", on ? "500MS" : "0S");
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

    private static Boolean bool(String text) {
        return switch (text) {
            case "true", "1", "yes", "on" -> Boolean.TRUE;
            case "false", "0", "no", "off" -> Boolean.FALSE;
            default -> null;
        };
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

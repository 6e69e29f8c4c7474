package dev.pgstack.db.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The register of the environment variables of Python/PaaS deployments that pgstack translates into configuration
 * ({@link DatabaseEnvironment} for the database, {@link ServiceEnvironment} for PORT and ENVIRONMENT): each
 * variable's name, the keys it feeds and what it means, as pgjdbc's {@code PGProperty} is for its settings.
 * {@link DatabaseEnvironmentConfigSourceFactory} reads exactly these. The defaults are those of the keys, in
 * application.properties (Quarkus's keys) or {@link PgstackConfig} (pgstack's); docs/configuration.md lists each
 * variable with its default, and {@code EnvironmentVariableDocsTest} keeps it in step with this register.
 */
public enum EnvironmentVariable {

    DATABASE_URL("the primary: a postgres://, postgresql://, postgresql+asyncpg:// or jdbc:postgresql:// URL",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url", "quarkus.datasource.username",
            "quarkus.datasource.password", DatabaseEnvironment.PGBOUNCER),
    POSTGRES_HOST("the primary's host, when DATABASE_URL is unset", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.reactive.url"),
    POSTGRES_PORT("the primary's port, with POSTGRES_HOST", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.reactive.url"),
    POSTGRES_DB("the primary's database, with POSTGRES_HOST", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.reactive.url"),
    POSTGRES_USER("the primary's user, with POSTGRES_HOST", "quarkus.datasource.username"),
    POSTGRES_PASSWORD("the primary's password, with POSTGRES_HOST", "quarkus.datasource.password"),
    DB_HOST("the primary's host in the chat bot's names, when DATABASE_URL and POSTGRES_HOST are unset",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url"),
    DB_PORT("the primary's port, with DB_HOST", "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url"),
    DB_NAME("the primary's database, with DB_HOST", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.reactive.url"),
    DB_USER("the primary's user, with DB_HOST", "quarkus.datasource.username"),
    DB_PASSWORD("the primary's password, with DB_HOST", "quarkus.datasource.password"),
    DEV_POSTGRES_HOST("the dev profile's database host (else dev mode embeds one)", "%dev.quarkus.datasource.jdbc.url",
            "%dev.quarkus.datasource.reactive.url"),
    DEV_POSTGRES_PORT("the dev profile's database port", "%dev.quarkus.datasource.jdbc.url",
            "%dev.quarkus.datasource.reactive.url"),
    DEV_POSTGRES_DB("the dev profile's database", "%dev.quarkus.datasource.jdbc.url",
            "%dev.quarkus.datasource.reactive.url"),
    DEV_POSTGRES_USER("the dev profile's database user", "%dev.quarkus.datasource.username"),
    DEV_POSTGRES_PASSWORD("the dev profile's database password", "%dev.quarkus.datasource.password"),
    DATABASE_REPLICA_URL("read replicas: comma-separated URLs of DATABASE_URL's forms",
            DatabaseEnvironment.REPLICA_URLS),
    DB_REPLICA_MAX_LAG("seconds a replica may be behind and still get reads", "pgstack.replica.max-lag"),
    DB_POOL_SIZE("JDBC connections kept open when idle; with DB_MAX_OVERFLOW, the budget of both pools",
            "quarkus.datasource.jdbc.min-size", "quarkus.datasource.jdbc.max-size",
            "quarkus.datasource.reactive.max-size"),
    DB_MAX_OVERFLOW("connections above DB_POOL_SIZE under load; the sum is the budget of both pools",
            "quarkus.datasource.jdbc.max-size", "quarkus.datasource.reactive.max-size"),
    DB_POOL_TIMEOUT("seconds to wait for a connection, on every pool", "pgstack.pool.acquisition-timeout"),
    DB_POOL_RECYCLE("maximum connection lifetime in seconds (-1: none), every pool", "pgstack.pool.max-lifetime"),
    DB_POOL_PRE_PING("validate a connection that rested in the pool before handing it out (true or false)",
            "pgstack.pool.validate-after-idle"),
    DB_FLEET_SHARE("size the primary's pools to this instance's share of the server's connections among the "
            + "instances with the same DB_APPLICATION_NAME (true or false)", "pgstack.pool.fleet-share"),
    SQL_ECHO("log every SQL statement with its duration (true, false, or debug: pool events too)",
            DatabaseEnvironment.SQL_ECHO),
    DEBUG("SQL_ECHO's meaning, when SQL_ECHO is unset", DatabaseEnvironment.SQL_ECHO),
    DB_SLOW_QUERY_MS("statements slower than this many milliseconds are logged at WARN (0: off)",
            "pgstack.db.slow-query-ms"),
    DB_APPLICATION_NAME("application_name the server sees from every pool", "pgstack.db.application-name"),
    PORT("public HTTP port, as PaaS platforms set it", "quarkus.http.port"),
    ENVIRONMENT("production, development or test: the packaged application's profile", "quarkus.profile"),
    QUARKUS_PROFILE("read only to leave the profile to it: when set, ENVIRONMENT chooses nothing");

    private final String meaning;
    private final List<String> keys;

    EnvironmentVariable(String meaning, String... keys) {
        this.meaning = meaning;
        this.keys = List.of(keys);
    }

    /** The registered variable of that name, as pgjdbc's {@code PGProperty.forName}. */
    public static Optional<EnvironmentVariable> forName(String name) {
        return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
    }

    /** What the variable says, in one line. */
    public String meaning() {
        return meaning;
    }

    /** The configuration keys it sets (a {@code %dev.} key: in the dev profile only); none for QUARKUS_PROFILE. */
    public List<String> keys() {
        return keys;
    }
}

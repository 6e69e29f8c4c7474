package dev.pgstack.db.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** pgstack's own settings (keys under {@code pgstack.}); the datasource itself is configured by Quarkus keys. */
@ConfigMapping(prefix = "pgstack")
public interface PgstackConfig {

    Startup startup();

    Health health();

    Db db();

    Admin admin();

    Idempotency idempotency();

    Http http();

    Replica replica();

    Pool pool();

    /**
     * Whether the service applies pending migrations when it starts (dev, single instance). With false it waits,
     * readiness DOWN, until the schema is at the version it was built for (applied by the {@code migrate} command,
     * e.g. a Kubernetes Job), and serves a newer schema with a warning (expand/contract).
     */
    @WithDefault("true")
    boolean migrateAtStart();

    /** Internal: the command of the packaged application being run (migrate, info, ...), if any. */
    Optional<String> command();

    interface Http {
        /** A request body must arrive in full within this time (then 408); read by web.protection.RequestBodies. */
        @WithDefault("30S")
        Duration bodyTimeout();
    }

    /** Stored answers of POSTs with an Idempotency-Key. */
    interface Idempotency {
        /** How long a key is kept (24 hours, as the contract says). */
        @WithDefault("24H")
        Duration retention();

        /** How often expired keys are removed (0: never). */
        @WithDefault("10M")
        Duration cleanupInterval();
    }

    /** HTTP Basic credentials of /q/db/*; without a password those endpoints answer 404. */
    interface Admin {
        @WithDefault("admin")
        String user();

        Optional<String> password();
    }

    /** Seconds that a 503 answer asks the client to wait ({@code Retry-After}). */
    @WithDefault("2")
    int retryAfterSeconds();

    /** Internal: how the datasource was configured, and what was wrong with the environment. */
    Datasource datasource();

    @WithName("sql-echo")
    @WithDefault("false")
    String sqlEcho();

    interface Startup {
        /** How long to wait for the database at startup before giving up (0: forever). */
        @WithDefault("5M")
        Duration maxWait();

        @WithDefault("250MS")
        Duration initialBackoff();

        @WithDefault("5S")
        Duration maxBackoff();
    }

    interface Health {
        /** Time allowed to the readiness {@code SELECT 1}. */
        @WithDefault("2S")
        Duration timeout();
    }

    interface Db {
        /** application_name of every session (DB_APPLICATION_NAME); the replication monitor adds "-monitor". */
        @WithDefault("pgstack")
        String applicationName();

        /** How long opening a connection may take, on every pool (libpq's connect_timeout), in seconds. */
        @WithDefault("5")
        int connectTimeoutSeconds();

        /**
         * How often the primary's host is asked for a TCP handshake (docs/operations.md "Network partitions"): a host
         * that gives none within {@link #reachabilityTimeout()} twice in a row is unreachable, and every connection to
         * it is dropped, so that no request waits on a statement the network swallowed.
         */
        @WithDefault("500MS")
        Duration reachabilityInterval();

        @WithDefault("2S")
        Duration reachabilityTimeout();

        /** Server-side statement_timeout of every connection (JDBC and reactive), in milliseconds. */
        @WithDefault("30000")
        long statementTimeoutMs();

        /** Server-side lock_timeout of every connection, in milliseconds: waiting longer for a lock is a 503. */
        @WithDefault("3000")
        long lockTimeoutMs();

        /** pgjdbc socketTimeout in seconds: how long a read may block before the connection is declared dead. */
        @WithDefault("90")
        int socketTimeoutSeconds();

        /** Statements slower than this are logged at WARN with their duration (0: never). */
        @WithDefault("1000")
        long slowQueryMs();

        /** The URL points at PgBouncer in transaction pooling mode ({@code pgbouncer=true} in DATABASE_URL). */
        @WithDefault("false")
        boolean pgbouncer();
    }

    /**
     * The rules of every pool, the primary's (JDBC and reactive) and each replica's alike: set them here (or with
     * DB_POOL_*), not with quarkus.datasource.* keys, which reach only the primary's JDBC pool.
     */
    interface Pool {
        /** How long a request waits for a pooled connection before a 503 (DB_POOL_TIMEOUT). */
        @WithDefault("5S")
        Duration acquisitionTimeout();

        /** A connection is replaced after this long (DB_POOL_RECYCLE; 0: never). */
        @WithDefault("1H")
        Duration maxLifetime();

        /** Connections above the minimum close after this long idle. */
        @WithDefault("60S")
        Duration idleTimeout();

        /**
         * Pre-ping without the price (HikariCP's rule): a connection idle longer than this is validated before it
         * is handed out (DB_POOL_PRE_PING=false: 0, never).
         */
        @WithDefault("500MS")
        Duration validateAfterIdle();

        /**
         * The primary's pools grow to this instance's share of the server's connections, counted among the
         * instances that share its application name (DB_FLEET_SHARE; docs/scaling-out.md "A fleet on one server").
         * Off behind PgBouncer, which owns the server's connections.
         */
        @WithDefault("true")
        boolean fleetShare();

        /** How often the fleet's sessions are counted, and a pool's ceiling after a refusal for lack of slots lifted. */
        @WithDefault("2S")
        Duration fleetCountInterval();
    }

    /** Read replicas (docs/scaling-out.md "Read replicas"). */
    interface Replica {
        /** The replica URLs, comma-separated ({@code DATABASE_REPLICA_URL}); none: every read goes to the primary. */
        @io.smallrye.config.WithConverter(ReplicaUrlsConverter.class)
        Optional<ReplicaUrlsConverter.ReplicaUrls> urls();

        /** A replica further behind than this, or down, gets no reads ({@code DB_REPLICA_MAX_LAG}). */
        @WithDefault("1S")
        Duration maxLag();

        /** How often each replica's state and lag are read. */
        @WithDefault("250MS")
        Duration checkInterval();

        /** Connections of each replica's pool (at most; idle ones close after a minute). */
        @WithDefault("20")
        int poolMaxSize();

        /** How long a client's read-your-writes marker (cookie) lives. */
        @WithDefault("5M")
        Duration readAfterWriteWindow();
    }

    interface Datasource {
        Optional<String> origin();

        Optional<String> configError();
    }
}

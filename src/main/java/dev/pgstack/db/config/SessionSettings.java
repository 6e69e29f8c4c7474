package dev.pgstack.db.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.postgresql.PGProperty;

/**
 * What every database session of pgstack is opened with, by the name each client knows it by: the one list of
 * connection properties for pgjdbc and of startup parameters for the reactive client. The values are strings so
 * that the configuration source can hand the primary's JDBC pool (which Quarkus builds) expressions that resolve to
 * the same settings ({@link #EXPRESSIONS}), while {@code db.connection.ConnectionPolicy} builds every other pool and
 * connection with the resolved values ({@link #of}).
 */
public record SessionSettings(String applicationName, String connectTimeoutSeconds, String socketTimeoutSeconds,
        String statementTimeoutMs, String lockTimeoutMs) {

    public static final SessionSettings EXPRESSIONS = new SessionSettings("${pgstack.db.application-name}",
            "${pgstack.db.connect-timeout-seconds}", "${pgstack.db.socket-timeout-seconds}",
            "${pgstack.db.statement-timeout-ms}", "${pgstack.db.lock-timeout-ms}");

    /**
     * PgBouncer keeps DateStyle in step between client and server and sends {@code SET DateStyle} before every
     * transaction whose client asked for another value than its server connection reports (pgbouncer/pgbouncer
     * #776). The reactive client asks for {@code ISO}, the server reports {@code ISO, MDY}: two extra round trips
     * per hot read, half the throughput through PgBouncer. Asking for what the server reports removes them. (The
     * order only matters for dates sent as text, which pgstack never sends.)
     */
    public static final String SERVER_DATESTYLE = "ISO, MDY";

    /**
     * The reactive client runs a handful of hot statements, each prepared once per connection; PostgreSQL's
     * default (auto) planned the history statement again on every execution, because with its LIMIT a parameter
     * the generic plan looks costlier than a custom one (half its throughput under pgbench; bench/README.md).
     * Their plans do not depend on the values, so these connections plan once. Needs PostgreSQL 12 or newer.
     */
    public static final String PLAN_ONCE = "force_generic_plan";

    /**
     * A generic plan's estimates do not know a LIMIT's value (PostgreSQL assumes a tenth of the rows), so a catalog
     * page planned once looked big enough for JIT compilation, which is done again on every execution: 80-130 ms
     * of compiling for a 1 ms statement (seen in auto_explain). The reactive connections run only short statements.
     */
    public static final String NO_JIT = "off";

    /**
     * pgjdbc's socket factory for TLS as libpq does it (db.connection.LibpqSslFactory), on every JDBC connection:
     * pgjdbc hands it the URL's sslmode, sslrootcert, sslcert and sslkey.
     */
    public static final String SSL_FACTORY = "dev.pgstack.db.connection.LibpqSslFactory";

    public static SessionSettings of(PgstackConfig.Db db) {
        return new SessionSettings(db.applicationName(), Integer.toString(db.connectTimeoutSeconds()),
                Integer.toString(db.socketTimeoutSeconds()), Long.toString(db.statementTimeoutMs()),
                Long.toString(db.lockTimeoutMs()));
    }

    /**
     * pgjdbc's connection properties. The server-side timeouts travel as the startup parameter {@code options};
     * PgBouncer refuses it, so behind PgBouncer they belong to the role ({@code ALTER ROLE ... SET},
     * docs/scaling-out.md). The socket timeout bounds a read from a server that stopped answering (docs/operations.md
     * "Network partitions").
     */
    public Map<String, String> jdbc(boolean pgbouncer) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PGProperty.APPLICATION_NAME.getName(), applicationName);
        properties.put(PGProperty.CONNECT_TIMEOUT.getName(), connectTimeoutSeconds);
        properties.put(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        properties.put(PGProperty.SOCKET_TIMEOUT.getName(), socketTimeoutSeconds);
        properties.put(PGProperty.SSL_FACTORY.getName(), SSL_FACTORY);
        if (!pgbouncer) {
            properties.put(PGProperty.OPTIONS.getName(), "-c statement_timeout=" + statementTimeoutMs
                    + " -c lock_timeout=" + lockTimeoutMs);
        }
        return properties;
    }

    /** The reactive client's startup parameters: it sends any setting as one of its own. */
    public Map<String, String> reactive(boolean pgbouncer) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("application_name", applicationName);
        if (pgbouncer) {
            properties.put("DateStyle", SERVER_DATESTYLE);
        } else {
            properties.put("statement_timeout", statementTimeoutMs);
            properties.put("lock_timeout", lockTimeoutMs);
            properties.put("plan_cache_mode", PLAN_ONCE);
            properties.put("jit", NO_JIT);
        }
        return properties;
    }
}

package dev.pgstack.db.connection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;
import org.postgresql.jdbc.PgConnection;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;

/**
 * One JDBC pool's physical connections, so that they can be dropped at once when their server's host stops
 * answering: a statement sent into a network partition is never answered, and pgjdbc would wait for its socket
 * timeout (the server cannot enforce statement_timeout on a packet it never got). Aborting closes the socket (a
 * plain close would wait for the lock the reading thread holds), the waiting request fails with a connection error
 * and the pool is flushed of them. Registered as the pool's interceptor: the primary's ({@link JdbcConnections})
 * and each replica's.
 * <p>
 * A request whose idle connection was being validated on borrow when the packets stopped fails that validation
 * only then, and Agroal looks for another connection with a fresh acquisition timeout, dialling into the partition:
 * answered a whole acquisition timeout later (9.8 s in NetworkPartitionIT, at the 10 s bound). So while the host
 * does not answer the pool's acquisition timeout is cut to a millisecond (Agroal reads it at each acquisition),
 * and restored when it answers again.
 * <p>
 * Its minimum size is 0 meanwhile ({@link PoolBounds}): Agroal's flush of idle connections stops at the minimum,
 * and an aborted connection left in the pool is handed to a request without a look within the validation interval.
 * It then cannot begin that request's transaction (Agroal's "Failed to enlist", a 503 for db.sql.DatabaseFailure),
 * and Agroal counts its active connections one short from then on (-1 when all are idle).
 */
public final class JdbcSockets implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(JdbcSockets.class);
    private static final Executor NOW = Runnable::run;
    private static final Duration AT_ONCE = Duration.ofMillis(1); // zero would mean "wait for ever"

    /** Each open connection and the address its host name had when it was made (empty: not known). */
    private final Map<Connection, Optional<InetAddress>> open = new ConcurrentHashMap<>();
    /** The pool's acquisition timeout while it is cut, else null. */
    private Duration acquisitionTimeout;
    private final PoolBounds bounds;

    /** {@code bounds}: the sizes of the pool whose interceptor this is. */
    public JdbcSockets(PoolBounds bounds) {
        this.bounds = bounds;
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        try {
            PgConnection pg = connection.unwrap(PgConnection.class);
            open.put(pg, address(pg));
        } catch (SQLException e) {
            LOG.debugf("not tracked: %s", e.getMessage());
        }
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        try {
            open.remove(connection.unwrap(PgConnection.class));
        } catch (SQLException e) {
            // not a pgjdbc connection: never tracked
        }
    }

    /**
     * Closes every socket of {@code pool}, in use or idle, and makes its acquisitions fail at once until
     * {@link #resume}; @return how many sockets.
     */
    public synchronized int abortAll(AgroalDataSource pool) {
        AgroalConnectionPoolConfiguration rules = pool.getConfiguration().connectionPoolConfiguration();
        if (acquisitionTimeout == null) {
            acquisitionTimeout = rules.acquisitionTimeout();
            rules.setAcquisitionTimeout(AT_ONCE);
            bounds.suspended(rules, true); // nothing kept, nothing refilled, while the host does not answer
        }
        int n = 0;
        for (Connection connection : open.keySet()) {
            try {
                connection.abort(NOW);
                n++;
            } catch (SQLException | RuntimeException e) {
                // already closed
            }
            open.remove(connection);
        }
        // the idle ones out of the pool, all of them (minimum 0), on its housekeeping thread at once. Those in use
        // leave as they come back, failed (the exception sorter): flushing them too made Agroal count them out twice
        pool.flush(AgroalDataSource.FlushMode.IDLE);
        return n;
    }

    /**
     * How many connections were made to an address not in {@code current} (their host name now resolves elsewhere:
     * a failover by DNS).
     */
    public long elsewhere(Set<InetAddress> current) {
        return open.values().stream().filter(address -> address.isPresent() && !current.contains(address.get()))
                .count();
    }

    /**
     * The address of the connection's host as the JVM resolves it now, a moment after pgjdbc did (the same answer
     * from the JVM's cache, db.connection.AddressCache): pgjdbc does not show its socket.
     */
    private static Optional<InetAddress> address(PgConnection connection) {
        try {
            return Optional.of(InetAddress.getByName(connection.getQueryExecutor().getHostSpec().getHost()));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The host answers again: {@code pool} keeps its minimum and its acquisitions wait as configured again. Its idle
     * connections are validated once: a host that answers again soon after {@link #abortAll} can come before the
     * pool's housekeeping thread ran that flush, which then stops at the minimum restored here and leaves aborted
     * connections in the pool.
     */
    public synchronized void resume(AgroalDataSource pool) {
        if (acquisitionTimeout != null) {
            AgroalConnectionPoolConfiguration rules = pool.getConfiguration().connectionPoolConfiguration();
            bounds.suspended(rules, false);
            rules.setAcquisitionTimeout(acquisitionTimeout);
            acquisitionTimeout = null;
            pool.flush(AgroalDataSource.FlushMode.INVALID);
        }
    }
}

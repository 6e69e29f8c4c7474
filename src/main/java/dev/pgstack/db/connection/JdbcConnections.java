package dev.pgstack.db.connection;

import java.net.InetAddress;
import java.sql.Connection;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;

/**
 * The primary JDBC pool's sockets ({@link JdbcSockets}): Quarkus registers this bean as the interceptor of its
 * pool, and {@link PoolSuspension} drops them when the primary's host stops answering.
 */
@ApplicationScoped
public class JdbcConnections implements AgroalPoolInterceptor {

    private final PoolBounds bounds = new PoolBounds();
    private final JdbcSockets sockets = new JdbcSockets(bounds);

    /** Looked up when needed: the pool is built with this interceptor, so it cannot be injected before it. */
    @Inject
    Instance<AgroalDataSource> pool;

    @Override
    public void onConnectionCreate(Connection connection) {
        sockets.onConnectionCreate(connection);
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        sockets.onConnectionDestroy(connection);
    }

    /** {@link JdbcSockets#abortAll} on the primary's pool. */
    public int abortAll() {
        return sockets.abortAll(pool.get());
    }

    /**
     * When connections were made to an address not in {@code current}, closes the idle ones now and the others as
     * they come back (a transaction in flight ends on its connection: one taken from under it would fail the
     * transaction's next statement as no database failure); @return how many were elsewhere.
     */
    public long leaveElsewhere(Set<InetAddress> current) {
        long elsewhere = sockets.elsewhere(current);
        if (elsewhere > 0) {
            pool.get().flush(AgroalDataSource.FlushMode.GRACEFUL);
        }
        return elsewhere;
    }

    /** The primary pool's sizes ({@link ConnectionSlots} sets its ceiling). */
    PoolBounds bounds() {
        return bounds;
    }

    /** {@link JdbcSockets#resume} on the primary's pool. */
    public void resume() {
        sockets.resume(pool.get());
    }
}

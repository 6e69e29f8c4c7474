package dev.pgstack.db.connection;

import java.sql.Connection;

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

    private final JdbcSockets sockets = new JdbcSockets();

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

    /** {@link JdbcSockets#resume} on the primary's pool. */
    public void resume() {
        sockets.resume(pool.get());
    }
}

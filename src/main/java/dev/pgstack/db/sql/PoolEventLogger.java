package dev.pgstack.db.sql;

import java.sql.Connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.PgstackConfig;
import io.agroal.api.AgroalPoolInterceptor;

/**
 * SQLAlchemy's {@code echo_pool}: with {@code SQL_ECHO=debug}, every pool event (connect, checkout, checkin,
 * close) is logged with the connection's identity. Quarkus registers Agroal interceptors found as CDI beans.
 */
@ApplicationScoped
public class PoolEventLogger implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger("dev.pgstack.pool");

    private volatile Boolean enabled;

    /** A provider: pool interceptors are created before runtime configuration is complete. */
    @jakarta.inject.Inject
    Provider<PgstackConfig> configProvider;

    private boolean enabled() {
        Boolean e = enabled;
        if (e == null) {
            e = "debug".equals(configProvider.get().sqlEcho());
            enabled = e;
        }
        return e;
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        log("connect", connection);
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        log("checkout", connection);
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        log("checkin", connection);
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        log("close", connection);
    }

    private void log(String event, Connection connection) {
        if (enabled()) {
            LOG.infof("pool %s: connection %08x", event, System.identityHashCode(connection));
        }
    }
}

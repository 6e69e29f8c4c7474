package dev.pgstack.db.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalPoolInterceptor;

/**
 * The primary JDBC pool's physical connections, so that they can be dropped at once when the database's host stops
 * answering: a statement sent into a network partition is never answered, and pgjdbc would wait for its socket
 * timeout (the server cannot enforce statement_timeout on a packet it never got). Aborting closes the socket, the
 * waiting request fails with a connection error (503) and Agroal discards the connection.
 */
@ApplicationScoped
public class JdbcConnections implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(JdbcConnections.class);
    private static final Executor NOW = Runnable::run;

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    @Override
    public void onConnectionCreate(Connection connection) {
        raw(connection);
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        try {
            open.remove(connection.unwrap(org.postgresql.jdbc.PgConnection.class));
        } catch (SQLException e) {
            // not a pgjdbc connection: never tracked
        }
    }

    private void raw(Connection connection) {
        try {
            open.add(connection.unwrap(org.postgresql.jdbc.PgConnection.class));
        } catch (SQLException e) {
            LOG.debugf("not tracked: %s", e.getMessage());
        }
    }

    /** Closes every socket of the pool, in use or idle; @return how many. */
    public int abortAll() {
        int n = 0;
        for (Connection connection : open) {
            try {
                connection.abort(NOW);
                n++;
            } catch (SQLException | RuntimeException e) {
                // already closed
            }
            open.remove(connection);
        }
        return n;
    }
}

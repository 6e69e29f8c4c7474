package dev.pgstack.db.connection;

import java.net.InetAddress;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.sqlclient.SqlConnection;

/**
 * The primary reactive pool's sockets ({@link ReactiveSockets}): its connect handler is {@link #track}, and
 * {@link PoolSuspension} closes them when the primary's host stops answering.
 */
@ApplicationScoped
public class ReactiveConnections {

    private final ReactiveSockets sockets = new ReactiveSockets();

    public void track(SqlConnection connection) {
        sockets.track(connection);
    }

    public int closeAll() {
        return sockets.closeAll();
    }

    public int closeElsewhere(Set<InetAddress> current) {
        return sockets.closeElsewhere(current);
    }
}

package dev.pgstack.db.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.netty.channel.Channel;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;

/**
 * One reactive pool's sockets, so that they can be closed at once when their server's host stops answering: a
 * statement sent into a network partition is never answered, and the reactive client has no read timeout (the
 * kernel gives up after about 15 minutes). Closing a socket fails its statements with a connection error and the
 * pool discards the connection. The client closes connections only gracefully (it sends Terminate and waits for
 * the server to hang up, which never happens here), so this reaches the socket through the client's implementation
 * types (docs/upgrading.md) and closes it below the client's encoder; NetworkPartitionIT and ReplicaPartitionIT
 * check it. The pool's connect handler is {@link #track}: the primary's ({@link ReactiveConnections}) and each
 * replica's.
 */
public final class ReactiveSockets {

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    /** For the pool builder's connect handler: notes the new connection's socket, then hands it to the pool. */
    public void track(SqlConnection connection) {
        if (connection instanceof SqlConnectionInternal pooled
                && pooled.unwrap().unwrap() instanceof SocketConnectionBase socket) {
            Channel channel = socket.socket().channelHandlerContext().channel();
            open.add(channel);
            channel.closeFuture().addListener(closed -> open.remove(channel));
        }
        connection.close();
    }

    /** Closes every socket of the pool, in use or idle; @return how many. */
    public int closeAll() {
        return closeWhere(channel -> true);
    }

    /**
     * Closes the sockets connected to an address not in {@code current} (their host name now resolves elsewhere:
     * a failover by DNS); @return how many.
     */
    public int closeElsewhere(Set<InetAddress> current) {
        return closeWhere(channel -> channel.remoteAddress() instanceof InetSocketAddress remote
                && !current.contains(remote.getAddress()));
    }

    private int closeWhere(Predicate<Channel> which) {
        int n = 0;
        for (Channel channel : open) {
            if (!which.test(channel)) {
                continue;
            }
            // from the head of the pipeline: the client's encoder answers a close by sending Terminate and
            // waiting for the server to hang up, which a partition never does
            var first = channel.pipeline().firstContext();
            if (first != null) {
                first.close();
            } else {
                channel.close();
            }
            open.remove(channel);
            n++;
        }
        return n;
    }
}

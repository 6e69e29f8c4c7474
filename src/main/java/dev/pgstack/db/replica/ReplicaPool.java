package dev.pgstack.db.replica;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.pgstack.db.availability.Availability.ReplicaState;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.connection.JdbcSockets;
import dev.pgstack.db.connection.ReactiveSockets;
import io.agroal.api.AgroalDataSource;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One read replica: its connection pools (JDBC for Hibernate, reactive for the hot reads) and what the last check
 * measured (replayed WAL position, lag). The monitor writes the status, request threads read it; a status is
 * replaced whole, never changed in place. Whether the replica takes reads is its state in the availability model
 * (db.availability), which the monitor and failed reads publish.
 */
public final class ReplicaPool {

    /** What one check measured. {@code lagSeconds} is NaN when unknown. */
    public record Status(long replayed, double lagSeconds, long checkedAtNanos) {
    }

    private final String name;
    private final DatabaseUrl url;
    private final AgroalDataSource pool;
    private final Pool reactivePool;
    private final JdbcSockets jdbcSockets;
    private final ReactiveSockets reactiveSockets;
    private volatile Status status = new Status(WalPosition.NONE, Double.NaN, 0);

    /** {@code jdbcSockets} is {@code pool}'s interceptor, {@code reactiveSockets} the reactive pool's connect handler. */
    ReplicaPool(String name, DatabaseUrl url, AgroalDataSource pool, JdbcSockets jdbcSockets, Pool reactivePool,
            ReactiveSockets reactiveSockets) {
        this.name = name;
        this.url = url;
        this.pool = pool;
        this.jdbcSockets = jdbcSockets;
        this.reactivePool = reactivePool;
        this.reactiveSockets = reactiveSockets;
    }

    /** {@code replica-1}, {@code replica-2}, ... in the order of DATABASE_REPLICA_URL. */
    public String name() {
        return name;
    }

    /** host:port/database, safe to show (no credentials). */
    public String where() {
        return url.endpoints().stream().map(DatabaseUrl.Endpoint::toString)
                .collect(Collectors.joining(",")) + "/" + url.database();
    }

    DatabaseUrl url() {
        return url;
    }

    /** The hosts of its URL (db.health.ReachabilityWatch asks them for a TCP handshake). */
    public List<DatabaseUrl.Endpoint> endpoints() {
        return url.endpoints();
    }

    /**
     * Drops every connection of both pools, in use or idle, and makes JDBC acquisitions fail at once: its host no
     * longer answers. @return how many connections.
     */
    int suspend() {
        return reactiveSockets.closeAll() + jdbcSockets.abortAll(pool);
    }

    /** Its host answers again: acquisitions wait as configured. */
    void resume() {
        jdbcSockets.resume(pool);
    }

    public AgroalDataSource pool() {
        return pool;
    }

    /** The same server for the reactive reads (db.reactive.ReactiveSql). */
    public Pool reactivePool() {
        return reactivePool;
    }

    public Status status() {
        return status;
    }

    void status(Status status) {
        this.status = status;
    }

    /** Whether the last check saw this replica at or past {@code position} (a client's own write). */
    boolean hasReplayed(long position) {
        return position == WalPosition.NONE || status.replayed() >= position;
    }

    static ReplicaState stateFor(double lagSeconds, Duration maxLag) {
        return lagSeconds * 1000 <= maxLag.toMillis() ? ReplicaState.UP : ReplicaState.LAGGING;
    }
}

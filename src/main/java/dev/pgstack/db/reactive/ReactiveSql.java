package dev.pgstack.db.reactive;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.connection.ConnectionSlots;
import dev.pgstack.db.replica.ReadAfter;
import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;
import dev.pgstack.db.replica.ReplicationMonitor;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.db.sql.SqlTiming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlResult;

/**
 * The hot paths (a product by id, a page of the catalog, a user's history, a new message) on the reactive client: one
 * prepared statement, run from the event loop, with no worker thread, no JTA and no Hibernate session between the
 * request and the database. That halves the CPU of these requests (bench/README.md); everything else stays on Panache.
 *
 * <p>A read here behaves as one through Hibernate: it goes to a usable replica that has replayed the client's last
 * write ({@link Replicas#forRead}), else to the primary; SQL echo and the slow-statement warning time it
 * ({@link SqlTiming}); a failure is classified by {@link DatabaseFailure} (503 problems). One thing it does better:
 * a replica that cannot serve the statement (down, refusing) is reported and the read runs again on another usable
 * replica, else on the primary, so that a replica dying mid-statement costs the client nothing.
 *
 * <p>A statement starts when its method is called; its steps are composed on Vert.x futures (which complete on the
 * request's own Vert.x context) and handed over once, as a {@link CompletionStage}, which Quarkus REST serves as it
 * serves a Uni. Not a Uni: each Mutiny operator costs a context-propagation wrapper (a capture, and the request
 * context activated around every step), about 6 % of a read's CPU (bench/README.md).
 */
@ApplicationScoped
public class ReactiveSql {

    private static final Duration RETRY_WITHOUT_CONNECTIONS = Duration.ofMillis(100);

    private final Pool primary;
    private final Replicas replicas;
    private final ReplicationMonitor monitor;
    private final ReadAfter readAfter;
    private final ConnectionSlots slots;
    private final Duration acquisitionTimeout;

    ReactiveSql(Pool primary, Replicas replicas, ReplicationMonitor monitor, ReadAfter readAfter,
            ConnectionSlots slots, PgstackConfig config) {
        this.primary = primary;
        this.replicas = replicas;
        this.monitor = monitor;
        this.readAfter = readAfter;
        this.slots = slots;
        this.acquisitionTimeout = config.pool().acquisitionTimeout();
    }

    /** Every row of {@code sql} (placeholders {@code $1, $2, ...}), mapped; must be called on the request. */
    public <T> CompletionStage<List<T>> list(String sql, Tuple arguments, Function<Row, T> mapper) {
        return rows(sql, arguments).<List<T>> map(rows -> {
            List<T> items = new ArrayList<>(rows.size());
            for (io.vertx.sqlclient.Row row : rows) {
                items.add(mapper.apply(Row.newInstance(row)));
            }
            return items;
        }).toCompletionStage();
    }

    /** The first row of {@code sql}, mapped, or null when there is none. */
    public <T> CompletionStage<T> first(String sql, Tuple arguments, Function<Row, T> mapper) {
        return rows(sql, arguments).<T> map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? mapper.apply(Row.newInstance(it.next())) : null;
        }).toCompletionStage();
    }

    /**
     * One data-changing statement on the primary, which is its own transaction (autocommit). The connection dying
     * while it runs leaves its outcome unknown ({@link DatabaseFailure.OutcomeUnknown}: 503, retry with the same
     * Idempotency-Key), as a connection dying during COMMIT does on the JTA path.
     */
    public CompletionStage<Integer> write(String sql, Tuple arguments) {
        return onPrimary(sql, arguments)
                .<Integer> map(SqlResult::rowCount)
                .recover(failure -> Future.failedFuture(
                        connectionLost(failure) ? new DatabaseFailure.OutcomeUnknown(failure) : failure))
                .toCompletionStage();
    }

    /**
     * Closed or reset under the statement, or the server ending the session while it ran (57P01-57P03: a backend
     * terminated while it waited for its synchronous standby had already committed); a connection refused or
     * never made sent nothing.
     */
    private static boolean connectionLost(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && pg.getSqlState().startsWith("57P")
                || failure instanceof ClosedConnectionException
                || failure instanceof SocketException && !(failure instanceof ConnectException)
                || failure instanceof ClosedChannelException
                || failure instanceof VertxException && failure.getMessage() != null
                        && failure.getMessage().startsWith("Connection closed");
    }

    private Future<RowSet<io.vertx.sqlclient.Row>> rows(String sql, Tuple arguments) {
        if (!replicas.configured()) {
            return onPrimary(sql, arguments);
        }
        // chosen on the request (its read-your-writes position is request-scoped)
        long position = readAfter.position();
        return onReplica(replicas.forRead(position), position, sql, arguments, replicas.all().size());
    }

    /**
     * On {@code replica}, else the primary. A replica that fails the read goes where
     * {@link AvailabilityRules#onReplicaFailure} says, as a Hibernate read's does: down, reported, and the read tries
     * the next usable one before the primary (in a failover the replica that fails may be the old primary's host,
     * and the new primary may not exist yet; at most one try per replica); busy, the primary.
     */
    private Future<RowSet<io.vertx.sqlclient.Row>> onReplica(ReplicaPool replica, long position, String sql,
            Tuple arguments, int triesLeft) {
        if (replica == null) {
            return onPrimary(sql, arguments);
        }
        return execute(replica.reactivePool(), sql, arguments).recover(failure -> {
            switch (AvailabilityRules.onReplicaFailure(failure)) {
                case NEXT_SERVER:
                    monitor.reportFailure(replica);
                    ReplicaPool next = triesLeft > 1 ? replicas.forRead(position) : null;
                    return onReplica(next, position, sql, arguments, triesLeft - 1);
                case PRIMARY:
                    return onPrimary(sql, arguments);
                default:
                    return Future.failedFuture(failure);
            }
        });
    }

    /**
     * On the primary, under its pool's ceiling ({@link ConnectionSlots}). A new connection refused for lack of
     * server slots sent nothing, so the statement (a write too) waits for one the pool holds and runs then, within
     * the acquisition timeout: a fleet larger than its server is slower, not failing.
     */
    private Future<RowSet<io.vertx.sqlclient.Row>> onPrimary(String sql, Tuple arguments) {
        return onPrimary(sql, arguments, System.nanoTime() + acquisitionTimeout.toNanos());
    }

    private Future<RowSet<io.vertx.sqlclient.Row>> onPrimary(String sql, Tuple arguments, long deadline) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        return slots.reactive().run(() -> execute(primary, sql, arguments), left).recover(failure -> {
            if (!DatabaseFailure.isNoSlots(failure) || deadline - System.nanoTime() <= 0) {
                return Future.failedFuture(failure);
            }
            int held = primary.getDelegate().size();
            slots.refused(ConnectionSlots.Side.REACTIVE, held);
            if (held > 0) {
                return onPrimary(sql, arguments, deadline);
            }
            // nothing held to wait for: ask the server again shortly rather than at once
            return Vertx.currentContext().owner().timer(RETRY_WITHOUT_CONNECTIONS.toMillis())
                    .compose(t -> onPrimary(sql, arguments, deadline));
        });
    }

    /**
     * Behind PgBouncer the connections are in the client's layer-7-proxy mode: the statement's description is
     * fetched by an unnamed prepare, and its execution sends its own parse with the bind and execute, so no server
     * connection has to remember anything between two round trips (a transaction around them took four: W1
     * through PgBouncer 0.08 of direct, bench/README.md).
     */
    private static Future<RowSet<io.vertx.sqlclient.Row>> execute(Pool pool, String sql, Tuple arguments) {
        long started = System.nanoTime();
        return pool.getDelegate().preparedQuery(sql).execute(arguments.getDelegate()).transform(done -> {
            SqlTiming.report("SQL", System.nanoTime() - started, sql);
            // a transport's plain IOException (NIO's "Connection reset by peer") is the connection failing
            return done.succeeded() ? Future.succeededFuture(done.result())
                    : Future.failedFuture(DatabaseFailure.asConnectionFailure(done.cause()));
        });
    }
}

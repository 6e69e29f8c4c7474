package dev.pgstack.db.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.db.replica.ReadAfter;
import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;
import dev.pgstack.db.replica.ReplicationMonitor;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.db.sql.SqlTiming;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hot reads (a product by id, a user's history) on the reactive client: one prepared statement, run from the
 * event loop, with no worker thread, no JTA and no Hibernate session between the request and the database. That
 * halves the CPU of these requests (bench/README.md); every other read and every write stays on Panache.
 *
 * <p>A read here behaves as one through Hibernate: it goes to a usable replica that has replayed the client's last
 * write ({@link Replicas#forRead}), else to the primary; SQL echo and the slow-statement warning time it
 * ({@link SqlTiming}); a failure is classified by {@link DatabaseFailure} (503 problems). One thing it does better:
 * a replica that cannot serve the statement (down, refusing) is reported and the read runs again on the primary,
 * so that a replica dying mid-statement costs the client nothing.
 */
@ApplicationScoped
public class ReactiveReads {

    private final Pool primary;
    private final Replicas replicas;
    private final ReplicationMonitor monitor;
    private final ReadAfter readAfter;

    ReactiveReads(Pool primary, Replicas replicas, ReplicationMonitor monitor, ReadAfter readAfter) {
        this.primary = primary;
        this.replicas = replicas;
        this.monitor = monitor;
        this.readAfter = readAfter;
    }

    /** Every row of {@code sql} (placeholders {@code $1, $2, ...}), mapped; must be called on the request. */
    public <T> Uni<List<T>> list(String sql, Tuple arguments, Function<Row, T> mapper) {
        return rows(sql, arguments).map(rows -> {
            List<T> items = new ArrayList<>(rows.size());
            for (Row row : rows) {
                items.add(mapper.apply(row));
            }
            return items;
        });
    }

    /** The first row of {@code sql}, mapped, or null when there is none. */
    public <T> Uni<T> first(String sql, Tuple arguments, Function<Row, T> mapper) {
        return rows(sql, arguments).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? mapper.apply(it.next()) : null;
        });
    }

    private Uni<RowSet<Row>> rows(String sql, Tuple arguments) {
        // chosen now, on the request (its read-your-writes position is request-scoped), run when subscribed
        ReplicaPool replica = replicas.configured() ? replicas.forRead(readAfter.position()) : null;
        if (replica == null) {
            return execute(primary, sql, arguments);
        }
        return execute(replica.reactivePool(), sql, arguments)
                .onFailure(ReactiveReads::serverUnreachable).recoverWithUni(failure -> {
                    monitor.reportFailure(replica);
                    return execute(primary, sql, arguments);
                });
    }

    private static Uni<RowSet<Row>> execute(Pool pool, String sql, Tuple arguments) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return pool.preparedQuery(sql).execute(arguments)
                    .onItemOrFailure().invoke(() -> SqlTiming.report("SQL", System.nanoTime() - started, sql));
        });
    }

    /** Down, restarting or refusing us: a replica's problem, not the client's (a full pool is neither). */
    private static boolean serverUnreachable(Throwable failure) {
        return DatabaseFailure.of(failure).map(f -> f.kind() == DatabaseFailure.Kind.UNAVAILABLE
                || f.kind() == DatabaseFailure.Kind.REFUSED).orElse(false);
    }
}

package dev.pgstack.management.ops;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One pool's state in the terms every pool of pgstack is reported in, JDBC or reactive alike (SQLAlchemy's
 * {@code size/checkedin/checkedout/overflow} as the seed services reported them): {@code max} it may open,
 * {@code base} it keeps open, {@code open} now, {@code inUse} (checked out), {@code idle} (open, not in use),
 * {@code waiting} (requests queued for a connection), {@code overflowInUse} (in use beyond {@code base}).
 */
record PoolReport(int max, int base, int open, int inUse, int waiting) {

    static PoolReport of(AgroalDataSource pool) {
        AgroalDataSourceMetrics m = pool.getMetrics();
        var configuration = pool.getConfiguration().connectionPoolConfiguration();
        return new PoolReport(configuration.maxSize(), configuration.minSize(),
                (int) (m.activeCount() + m.availableCount()), (int) m.activeCount(), (int) m.awaitingCount());
    }

    /**
     * A Vert.x pool keeps nothing open on purpose (base 0): it opens on demand and closes after the idle timeout.
     * In use and waiting come from the pool's Vert.x metrics ({@code sql_pool_active}, {@code sql_pool_queue_size},
     * by the pool's name), the only place Vert.x counts them; -1 when those metrics are off.
     */
    static PoolReport of(Pool pool, String name, int max, MeterRegistry registry) {
        return new PoolReport(max, 0, pool.size(), gauge(registry, "sql.pool.active", name),
                gauge(registry, "sql.pool.queue.size", name));
    }

    private static int gauge(MeterRegistry registry, String metric, String pool) {
        Gauge gauge = registry.find(metric).tag("pool.name", pool).gauge();
        return gauge == null ? -1 : (int) gauge.value();
    }

    int idle() {
        return inUse < 0 ? -1 : Math.max(0, open - inUse);
    }

    int overflowInUse() {
        return inUse < 0 ? -1 : Math.max(0, inUse - base);
    }

    JsonObject json() {
        return new JsonObject().put("max", max).put("base", base).put("open", open).put("inUse", inUse)
                .put("idle", idle()).put("waiting", waiting).put("overflowInUse", overflowInUse());
    }
}

package dev.pgstack.db.connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.vertx.core.Vertx;

/**
 * How many connections the primary's two pools may hold: their budget (DB_POOL_SIZE + DB_MAX_OVERFLOW), lowered to
 * this instance's share of the server when a fleet shares it ({@code db.fleet.FleetCensus}), and to what a pool
 * holds when the server refuses it a new one for lack of slots (53300). A refusal is no outage: the pool asks for
 * nothing more for a while and its requests wait for the connections it holds, within the acquisition timeout
 * (Agroal's maximum is changed in place; the reactive pool's is fixed, so {@link ReactiveCeiling} holds its
 * statements back instead).
 */
@ApplicationScoped
public class ConnectionSlots {

    private static final Logger LOG = Logger.getLogger(ConnectionSlots.class);

    /** Which of the primary's pools. */
    public enum Side {
        JDBC, REACTIVE
    }

    /** Looked up when needed: the pool is built after this bean may be. */
    @Inject
    Instance<AgroalDataSource> jdbc;

    @Inject
    JdbcConnections jdbcConnections;

    @Inject
    DatasourceSettings datasource;

    @Inject
    PgstackConfig config;

    @Inject
    Vertx vertx;

    private final ReactiveCeiling reactive = new ReactiveCeiling();
    private final AtomicBoolean warned = new AtomicBoolean();
    private int jdbcShare = Integer.MAX_VALUE;
    private int reactiveShare = Integer.MAX_VALUE;
    private final Held jdbcHeld = new Held();
    private final Held reactiveHeld = new Held();

    /** A pool's ceiling after a refusal: what it held then, until when. */
    private static final class Held {
        int connections;
        long untilNanos;

        int now() {
            return System.nanoTime() - untilNanos < 0 ? connections : Integer.MAX_VALUE;
        }
    }

    /** The gate in front of the primary's reactive pool. */
    public ReactiveCeiling reactive() {
        return reactive;
    }

    /**
     * The server refused {@code side} a new connection for lack of slots while it held {@code held}: it grows no
     * further for {@code pgstack.pool.fleet-count-interval}, then tries again. One WARN per instance says so.
     */
    public void refused(Side side, int held) {
        Duration hold = config.pool().fleetCountInterval();
        synchronized (this) {
            Held ceiling = side == Side.JDBC ? jdbcHeld : reactiveHeld;
            ceiling.connections = Math.max(1, held);
            ceiling.untilNanos = System.nanoTime() + hold.toNanos();
            apply();
        }
        if (warned.compareAndSet(false, true)) {
            LOG.warnf("The database server has no connection slot left (SQLSTATE 53300): the %s pool keeps the %d "
                    + "connections it holds and requests wait for them; raise the server's max_connections, lower "
                    + "DB_MAX_OVERFLOW, or put PgBouncer in front (docs/scaling-out.md \"A fleet on one server\")",
                    side == Side.JDBC ? "JDBC" : "reactive", Math.max(1, held));
        }
        vertx.setTimer(hold.toMillis() + 1, id -> {
            synchronized (this) {
                apply();
            }
        });
    }

    /** The refusal of {@link #refused} for the JDBC pool, at what it holds now. */
    public void jdbcRefused() {
        var metrics = jdbc.get().getMetrics();
        refused(Side.JDBC, (int) (metrics.activeCount() + metrics.availableCount()));
    }

    /** This instance's share of the server, per pool ({@link Integer#MAX_VALUE}: the budget). */
    public synchronized void share(int jdbcConnections, int reactiveConnections) {
        jdbcShare = jdbcConnections;
        reactiveShare = reactiveConnections;
        apply();
    }

    /** The ceiling each pool has now: the least of its budget, its share and what it held when refused. */
    public synchronized int ceiling(Side side) {
        return side == Side.JDBC ? Math.min(jdbcBudget(), Math.min(jdbcShare, jdbcHeld.now()))
                : Math.min(datasource.reactive().maxSize(), Math.min(reactiveShare, reactiveHeld.now()));
    }

    private void apply() {
        AgroalConnectionPoolConfiguration pool = jdbc.get().getConfiguration().connectionPoolConfiguration();
        jdbcConnections.bounds().ceiling(pool, ceiling(Side.JDBC));
        int statements = ceiling(Side.REACTIVE);
        reactive.limit(statements >= datasource.reactive().maxSize() ? Integer.MAX_VALUE : statements);
    }

    private int jdbcBudget() {
        return datasource.jdbc().maxSize();
    }
}

package dev.pgstack.db.lifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.SettingsValidation;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.db.tasks.BackgroundTasks;
import io.agroal.api.AgroalDataSource;

/**
 * Opens the pool's minimum of connections during startup, so that the first requests find them made. Most of them
 * are opened in the background while Flyway and Hibernate check the schema (opening a connection is mostly waiting
 * on the server; in turn, the two were the longest step of a start). Those checks need up to two connections of
 * their own, so the background part leaves that room below the pool's maximum; the rest is opened by
 * {@link #finish()}. Every connection is held until then, so each one is a new one, and returned by {@link #close()}.
 */
final class PoolWarmUp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PoolWarmUp.class);

    /** Flyway's connections (migrations and schema history lock); Hibernate's validation runs after them. */
    private static final int SCHEMA_CHECK_CONNECTIONS = SettingsValidation.MIN_POOL_MAX;

    private final AgroalDataSource dataSource;
    private final int target;
    private final FutureTask<Held> background;
    private Held finished;

    private record Held(List<Connection> connections, boolean failed) {
    }

    private PoolWarmUp(AgroalDataSource dataSource) {
        var pool = dataSource.getConfiguration().connectionPoolConfiguration();
        this.dataSource = dataSource;
        this.target = pool.minSize();
        int early = Math.max(0, Math.min(target, pool.maxSize() - SCHEMA_CHECK_CONNECTIONS));
        this.background = new FutureTask<>(() -> open(early, new Held(List.of(), false)));
    }

    /** Starts opening connections in the background. */
    static PoolWarmUp start(AgroalDataSource dataSource, BackgroundTasks tasks) {
        PoolWarmUp warmUp = new PoolWarmUp(dataSource);
        tasks.once("pool-warm-up", warmUp.background);
        return warmUp;
    }

    /** Waits for the background part, opens the rest up to the pool's minimum; the number of connections made. */
    int finish() {
        finished = open(target, awaitBackground());
        return finished.connections().size();
    }

    /** Returns every connection held to the pool; also after a failed start, so that none leaks. */
    @Override
    public void close() {
        Held all = finished != null ? finished : awaitBackground();
        finished = new Held(List.of(), true);
        for (Connection c : all.connections()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // returning a connection to the pool does not fail in practice
            }
        }
    }

    /**
     * Waits for the background part even when interrupted: it ends within the pool's acquisition timeout, and what it
     * holds must go back to the pool.
     */
    private Held awaitBackground() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return background.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    return new Held(List.of(), true); // failed, or never ran: the service stopped first
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Held open(int count, Held from) {
        List<Connection> connections = new ArrayList<>(from.connections());
        if (from.failed()) {
            return new Held(connections, true);
        }
        try {
            while (connections.size() < count) {
                connections.add(dataSource.getConnection());
            }
            return new Held(connections, false);
        } catch (SQLException e) {
            LOG.warnf("Pool warm-up stopped after %d connections: %s", connections.size(), DatabaseFailure.describe(e));
            return new Held(connections, true);
        }
    }
}

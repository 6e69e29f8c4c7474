package dev.pgstack.db.connection;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;

/**
 * The one writer of a JDBC pool's minimum and maximum size, which two things decide: the ceiling of connections it
 * may hold ({@link ConnectionSlots}: its budget, the fleet's share, a refusal for lack of server slots) and whether
 * its host answers ({@link JdbcSockets}: while it does not, the minimum is 0, as Agroal's flush of idle connections
 * stops at the minimum and would leave aborted ones in the pool). Either change applies both, so neither undoes
 * the other. The configured sizes are the pool's own when first seen: every later change comes through here.
 */
public final class PoolBounds {

    private int configuredMin = -1;
    private int ceiling;
    private boolean suspended;

    /** At most {@code max} connections (and a minimum no higher). */
    synchronized void ceiling(AgroalConnectionPoolConfiguration pool, int max) {
        configured(pool);
        ceiling = max;
        apply(pool);
    }

    /** The host stopped answering (true: keep nothing) or answers again (false: the minimum back). */
    synchronized void suspended(AgroalConnectionPoolConfiguration pool, boolean suspended) {
        configured(pool);
        this.suspended = suspended;
        apply(pool);
    }

    private void configured(AgroalConnectionPoolConfiguration pool) {
        if (configuredMin < 0) {
            configuredMin = pool.minSize();
            ceiling = pool.maxSize();
        }
    }

    private void apply(AgroalConnectionPoolConfiguration pool) {
        int min = suspended ? 0 : Math.min(configuredMin, ceiling);
        // Agroal keeps min <= max at every step; connections above a lowered maximum close as they come back
        if (ceiling < pool.maxSize()) {
            pool.setMinSize(min);
            pool.setMaxSize(ceiling);
        } else {
            pool.setMaxSize(ceiling);
            pool.setMinSize(min);
        }
    }
}

package dev.pgstack.db.connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.AvailabilityChange;
import dev.pgstack.db.availability.AvailabilityRules;

/**
 * Acts on the primary's pools when the availability model says so ({@link AvailabilityRules#onChange}): once the
 * primary's host is unreachable every connection of both pools is dropped, so that requests in flight answer 503 at
 * once instead of waiting for the kernel's retransmission limit, and JDBC acquisitions fail at once; once it answers
 * again, acquisitions wait as configured.
 */
@ApplicationScoped
public class PoolSuspension {

    private static final Logger LOG = Logger.getLogger(PoolSuspension.class);

    @Inject
    JdbcConnections jdbc;

    @Inject
    ReactiveConnections reactive;

    void onChange(@Observes AvailabilityChange change) {
        switch (AvailabilityRules.onChange(change)) {
            case SUSPEND -> {
                int reactiveDropped = reactive.closeAll();
                int jdbcDropped = jdbc.abortAll();
                LOG.infof("Pools suspended: %d JDBC and %d reactive connections dropped", jdbcDropped,
                        reactiveDropped);
            }
            case RESUME -> {
                jdbc.resume();
                LOG.info("Pools resumed");
            }
            case NONE -> {
            }
        }
    }
}

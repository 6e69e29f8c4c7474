package dev.pgstack.db.connection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.AvailabilityChange;
import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.AvailabilityRules.PoolAction;
import dev.pgstack.db.availability.ReadOnlyAnswer;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PrimaryDatabase;

/**
 * Acts on the primary's pools when the availability model says so ({@link AvailabilityRules#onChange}): once the
 * primary's host is unreachable every connection of both pools is dropped, so that requests in flight answer 503 at
 * once instead of waiting for the kernel's retransmission limit, and JDBC acquisitions fail at once; once it answers
 * again, acquisitions wait as configured. When it answers read-only, the connections to an address its name no
 * longer resolves to are dropped ({@link PoolAction#LEAVE}).
 */
@ApplicationScoped
public class PoolSuspension {

    private static final Logger LOG = Logger.getLogger(PoolSuspension.class);

    @Inject
    JdbcConnections jdbc;

    @Inject
    ReactiveConnections reactive;

    @Inject
    PrimaryDatabase primary;

    /** System.nanoTime() of the last look at where the name points (0: never). */
    private long lastLeave;

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
            default -> {
            }
        }
    }

    /** The primary answered read-only: leave an old writer once its name points elsewhere. */
    void onReadOnly(@Observes ReadOnlyAnswer answer) {
        synchronized (this) {
            Duration since = lastLeave == 0 ? null : Duration.ofNanos(answer.atNanos() - lastLeave);
            if (AvailabilityRules.onReadOnlyAnswer(since) != PoolAction.LEAVE) {
                return;
            }
            lastLeave = answer.atNanos();
        }
        Set<InetAddress> current = primaryAddresses();
        if (current.isEmpty()) {
            return; // the name does not resolve now: nothing to compare with
        }
        int reactiveDropped = reactive.closeElsewhere(current);
        long jdbcLeft = jdbc.leaveElsewhere(current);
        if (reactiveDropped + jdbcLeft > 0) {
            LOG.warnf("The database answered read-only and its name now points to %s: %d reactive connections to "
                    + "its old address dropped, %d JDBC ones closed as they come back; new ones go there", current,
                    reactiveDropped, jdbcLeft);
        }
    }

    /** Every address the primary's hosts resolve to now (the JVM's cache keeps them a second: AddressCache). */
    private Set<InetAddress> primaryAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        for (DatabaseUrl.Endpoint endpoint : primary.url().map(DatabaseUrl::endpoints).orElse(List.of())) {
            try {
                addresses.addAll(List.of(InetAddress.getAllByName(endpoint.host())));
            } catch (UnknownHostException e) {
                return Set.of();
            }
        }
        return addresses;
    }
}

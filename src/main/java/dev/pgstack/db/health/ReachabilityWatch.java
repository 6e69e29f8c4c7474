package dev.pgstack.db.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.Availability.Reach;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.replica.ReplicationMonitor;
import dev.pgstack.db.tasks.BackgroundTasks;
import dev.pgstack.db.tasks.Task;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Notices a network partition within seconds. A host that neither answers nor refuses (packets dropped: a dead
 * host, a failed NIC, a cloud network fault) leaves a statement in flight waiting for the kernel's retransmission
 * limit, about 15 minutes, and the server's statement_timeout cannot help. So every
 * {@code pgstack.db.reachability-interval} this asks the primary's host for a TCP handshake, which its kernel
 * answers however busy the database is. No answer within {@code pgstack.db.reachability-timeout}: the primary is
 * SUSPECT in the availability model (readiness DOWN, new requests 503 {@code database-unavailable} without
 * waiting); twice in a row, UNREACHABLE (every connection dropped: db.connection.PoolSuspension). The first answer
 * makes it REACHABLE again. What each state means is db.availability.AvailabilityRules'. Changes are logged once.
 */
@ApplicationScoped
public class ReachabilityWatch {

    private static final Logger LOG = Logger.getLogger(ReachabilityWatch.class);
    static final int FAILURES = 2;

    @Inject
    PgstackConfig config;

    @Inject
    RunMode runMode;

    @Inject
    PrimaryDatabase primary;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    DatabaseAvailability availability;

    @Inject
    BackgroundTasks tasks;

    private Task timer;
    // the watch's own task alone touches these
    private int failures;
    private long unreachableSince;
    private DatabaseUrl.Endpoint unreachable;

    @Inject
    MeterRegistry registry;

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("pgstack.database.reachable", availability, a -> a.now().network() == Reach.UNREACHABLE ? 0 : 1)
                .description("0 while the primary's host answers no TCP handshake (a network partition)")
                .register(registry);
        if (!runMode.serves() || primary.url().isEmpty()) {
            return;
        }
        timer = tasks.every("reachability", config.db().reachabilityInterval(), this::check);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.stop();
        }
    }

    void check() {
        DatabaseUrl.Endpoint target = target();
        if (answers(target)) {
            failures = 0;
            availability.network(Reach.REACHABLE);
            if (unreachable != null) {
                LOG.infof("Database host %s answers again after %d ms", unreachable,
                        (System.nanoTime() - unreachableSince) / 1_000_000);
                unreachable = null;
            }
            return;
        }
        // the first miss: readiness DOWN and new requests answered at once (an orchestrator stops sending traffic
        // within seconds of a partition); the connections are dropped only on the second
        availability.network(++failures >= FAILURES ? Reach.UNREACHABLE : Reach.SUSPECT);
        if (failures == FAILURES && unreachable == null) {
            unreachableSince = System.nanoTime();
            unreachable = target;
            LOG.warnf("Database host %s unreachable (no TCP answer within %s, %d times): its connections are dropped;"
                    + " requests answer 503 until it answers", target, config.db().reachabilityTimeout(), FAILURES);
        }
    }

    /** The host the pools talk to: with several hosts, the one the monitor last saw as the primary. */
    private DatabaseUrl.Endpoint target() {
        DatabaseUrl.Endpoint now = monitor.primaryEndpoint();
        return now != null ? now : primary.url().orElseThrow().endpoints().get(0);
    }

    private boolean answers(DatabaseUrl.Endpoint endpoint) {
        String host = endpoint.host().startsWith("[") ? endpoint.host().substring(1, endpoint.host().length() - 1)
                : endpoint.host();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, endpoint.port()),
                    (int) config.db().reachabilityTimeout().toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

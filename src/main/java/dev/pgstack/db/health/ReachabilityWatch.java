package dev.pgstack.db.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.config.PrimaryDatabase;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.connection.JdbcConnections;
import dev.pgstack.db.connection.ReactiveConnections;
import dev.pgstack.db.replica.ReplicationMonitor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Notices a network partition within seconds. A host that neither answers nor refuses (packets dropped: a dead
 * host, a failed NIC, a cloud network fault) leaves a statement in flight waiting for the kernel's retransmission
 * limit, about 15 minutes, and the server's statement_timeout cannot help. So every
 * {@code pgstack.db.reachability-interval} this asks the primary's host for a TCP handshake, which its kernel
 * answers however busy the database is. No answer within {@code pgstack.db.reachability-timeout}: readiness turns
 * DOWN and new requests get 503 {@code database-unavailable} without waiting (web.protection.ReadinessGate); twice
 * in a row means unreachable: every connection to it is dropped (requests in flight answer 503 at once). The first
 * answer ends it. Changes are logged once.
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
    JdbcConnections jdbc;

    @Inject
    ReactiveConnections reactive;

    private ScheduledExecutorService timer;
    private volatile int failures;
    private volatile long unreachableSince;
    private volatile DatabaseUrl.Endpoint unreachable;

    @Inject
    MeterRegistry registry;

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("pgstack.database.reachable", this, w -> w.unreachable == null ? 1 : 0)
                .description("0 while the primary's host answers no TCP handshake (a network partition)")
                .register(registry);
        if (!runMode.serves() || primary.url().isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgstack-reachability");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, 0, config.db().reachabilityInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The host that stopped answering, or null while it answers. */
    public DatabaseUrl.Endpoint unreachable() {
        return unreachable;
    }

    /**
     * Whether the last handshake went unanswered: readiness turns DOWN and new requests are answered 503 at once
     * (an orchestrator stops sending traffic within seconds of a partition), while the connections are dropped
     * only on the second miss.
     */
    public boolean suspect() {
        return failures > 0;
    }

    void check() {
        DatabaseUrl.Endpoint target = target();
        if (answers(target)) {
            failures = 0;
            if (unreachable != null) {
                jdbc.resume();
                LOG.infof("Database host %s answers again after %d ms", unreachable,
                        (System.nanoTime() - unreachableSince) / 1_000_000);
                unreachable = null;
            }
            return;
        }
        if (++failures == FAILURES && unreachable == null) {
            unreachableSince = System.nanoTime();
            unreachable = target;
            int reactiveDropped = reactive.closeAll();
            int jdbcDropped = jdbc.abortAll();
            LOG.warnf("Database host %s unreachable (no TCP answer within %s, %d times): %d JDBC and %d reactive "
                    + "connections dropped; requests answer 503 until it answers", target,
                    config.db().reachabilityTimeout(), FAILURES, jdbcDropped, reactiveDropped);
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

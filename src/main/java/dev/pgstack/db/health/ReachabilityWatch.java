package dev.pgstack.db.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;
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
 *
 * <p>Each read replica's host is watched the same way, by a task of its own (a replica behind a partition must not
 * delay the primary's handshake), where only silence is a miss (a refusing host is a stopped server, which the
 * replication monitor marks down): SUSPECT takes it out of the reads' rotation, UNREACHABLE drops its connections
 * (db.replica.Replicas), so that its reads in flight are served by the next server; its first answer hands it back
 * to the replication monitor.
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
    Replicas replicas;

    @Inject
    DatabaseAvailability availability;

    @Inject
    BackgroundTasks tasks;

    @Inject
    MeterRegistry registry;

    private final List<Task> timers = new ArrayList<>();

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("pgstack.database.reachable", availability, a -> a.now().network() == Reach.UNREACHABLE ? 0 : 1)
                .description("0 while the primary's host answers no TCP handshake (a network partition)")
                .register(registry);
        if (!runMode.serves() || primary.url().isEmpty()) {
            return;
        }
        Probe primaryProbe = new Probe("Database host", this::primaryTarget, false, availability::network,
                "its connections are dropped; requests answer 503 until it answers");
        timers.add(tasks.every("reachability", config.db().reachabilityInterval(), primaryProbe::check));
        for (ReplicaPool replica : replicas.all()) {
            // the first host of its URL: a replica URL names one server
            DatabaseUrl.Endpoint host = replica.endpoints().get(0);
            // a replica's host that refuses is a stopped server, not a partition: the monitor marks it down
            Probe probe = new Probe("Replica " + replica.name() + " host", () -> host, true,
                    reach -> availability.replicaNetwork(replica.name(), reach),
                    "its connections are dropped; its reads go elsewhere until it answers");
            timers.add(tasks.every("reachability-" + replica.name(), config.db().reachabilityInterval(),
                    probe::check));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.forEach(Task::stop);
    }

    /** The host the primary's pools talk to: with several hosts, the one the monitor last saw as the primary. */
    private DatabaseUrl.Endpoint primaryTarget() {
        DatabaseUrl.Endpoint now = monitor.primaryEndpoint();
        return now != null ? now : primary.url().orElseThrow().endpoints().get(0);
    }

    /** One host's handshakes and what they found; only its own task touches it. */
    final class Probe {
        private final String what;
        private final Supplier<DatabaseUrl.Endpoint> target;
        /** Only silence is a miss: a refusal (or an ICMP error) is the network answering. */
        private final boolean silenceOnly;
        private final Consumer<Reach> report;
        private final String consequence;
        private int failures;
        private long unreachableSince;
        private DatabaseUrl.Endpoint unreachable;

        Probe(String what, Supplier<DatabaseUrl.Endpoint> target, boolean silenceOnly, Consumer<Reach> report,
                String consequence) {
            this.what = what;
            this.target = target;
            this.silenceOnly = silenceOnly;
            this.report = report;
            this.consequence = consequence;
        }

        void check() {
            DatabaseUrl.Endpoint host = target.get();
            if (answers(host, silenceOnly)) {
                failures = 0;
                report.accept(Reach.REACHABLE);
                if (unreachable != null) {
                    LOG.infof("%s %s answers again after %d ms", what, unreachable,
                            (System.nanoTime() - unreachableSince) / 1_000_000);
                    unreachable = null;
                }
                return;
            }
            // the first miss: readiness DOWN and new requests answered at once (an orchestrator stops sending
            // traffic within seconds of a partition); the connections are dropped only on the second
            report.accept(++failures >= FAILURES ? Reach.UNREACHABLE : Reach.SUSPECT);
            if (failures == FAILURES && unreachable == null) {
                unreachableSince = System.nanoTime();
                unreachable = host;
                LOG.warnf("%s %s unreachable (no TCP answer within %s, %d times): %s", what, host,
                        config.db().reachabilityTimeout(), FAILURES, consequence);
            }
        }
    }

    /** @param silenceOnly whether only a handshake left unanswered is a miss (a refusal then counts as an answer) */
    private boolean answers(DatabaseUrl.Endpoint endpoint, boolean silenceOnly) {
        String host = endpoint.host().startsWith("[") ? endpoint.host().substring(1, endpoint.host().length() - 1)
                : endpoint.host();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, endpoint.port()),
                    (int) config.db().reachabilityTimeout().toMillis());
            return true;
        } catch (SocketTimeoutException silence) {
            return false;
        } catch (IOException e) {
            return silenceOnly;
        }
    }
}

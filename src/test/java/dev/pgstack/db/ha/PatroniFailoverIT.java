package dev.pgstack.db.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PatroniCluster;
import dev.pgstack.support.Suites;

/**
 * A real HA cluster: Patroni with etcd and three PostgreSQL 15 nodes in synchronous mode, from Debian's packages,
 * reached on the multi-host URL and through HAProxy with Patroni's /primary and /replica checks. Under writers with
 * Idempotency-Key and readers: a switchover, a kill -9 of the primary, a stop of the synchronous standby. No
 * acknowledged write lost or duplicated, no 500, reads served by the replicas while there is no primary, no ERROR
 * line. Prints the figures of each event (docs/scaling-out.md "Patroni").
 */
@Tag(Suites.OWNS_SERVERS)
class PatroniFailoverIT {

    @Test
    void onTheMultiHostUrl() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start(3)) {
            String replicas = cluster.nodes.stream().map(n -> "postgresql://127.0.0.1:" + n.pgPort() + "/hadb")
                    .collect(Collectors.joining(","));
            run(cluster, "multi-host URL", "postgresql://ha_app:ha-pw@" + cluster.jdbcHosts() + "/hadb", replicas);
        }
    }

    @Test
    void throughHaproxy() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start(3)) {
            run(cluster, "HAProxy", "postgresql://ha_app:ha-pw@127.0.0.1:" + cluster.haproxyPrimaryPort + "/hadb",
                    "postgresql://127.0.0.1:" + cluster.haproxyReplicaPort + "/hadb");
        }
    }

    private void run(PatroniCluster cluster, String layout, String url, String replicaUrl) throws Exception {
        cluster.execute("postgres", "CREATE ROLE ha_app LOGIN PASSWORD 'ha-pw'", "CREATE DATABASE hadb OWNER ha_app");
        try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL", url, "DATABASE_REPLICA_URL", replicaUrl,
                "DB_REPLICA_MAX_LAG", "2", "DB_POOL_SIZE", "4", "DB_MAX_OVERFLOW", "12", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
            PackagedApp.await("ready", Duration.ofSeconds(90), () -> app.management("/q/health/ready").status() == 200);
            for (int u = 1; u <= 6; u++) {
                assertTrue(app.put("/api/users/" + u, null).status() / 100 == 2);
            }
            List<String> figures = new ArrayList<>();
            MessageLoad load = new MessageLoad(app, 6, "1", List.of(Op.KEYED_WRITE, Op.HISTORY, Op.HISTORY));
            try (load) {
                PackagedApp.await("30 writes acknowledged before the first fault", Duration.ofSeconds(60),
                        () -> load.count(MessageLoad.Result::acknowledged) >= 30);
                figures.add(event(cluster, load, "switchover", () -> {
                    PatroniCluster.Node from = cluster.leader();
                    PatroniCluster.Node to = cluster.syncStandby();
                    cluster.switchover(from, to);
                }));
                // Patroni fails over to the synchronous standby only: the switchover leaves none for a while
                PackagedApp.await("a synchronous standby after the switchover", Duration.ofSeconds(60),
                        () -> cluster.syncStandby() != null);
                figures.add(event(cluster, load, "kill -9 of the primary's node", () -> cluster.crash(cluster.leader())));
                PackagedApp.await("a synchronous standby again", Duration.ofSeconds(60), () -> cluster.syncStandby() != null);
                figures.add(event(cluster, load, "stop of the synchronous standby", () -> cluster.stop(cluster.syncStandby())));
            }
            var retried = load.retryUnacknowledged();
            MessageLoad.Tally tally;
            try (Connection c = cluster.connect(cluster.leader(), "hadb")) {
                tally = load.tally(MessageLoad.stored(c), retried);
            }
            List<String> errors = app.log().lines().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
            long fiveHundreds = load.results.stream().filter(r -> r.status() == 500 || r.status() == -1).count();
            System.out.printf("[patroni] %s: %s; %d requests, %d writes acknowledged, lost %d, duplicated %d, 500s %d, "
                    + "ERROR lines %d%n", layout, String.join("; ", figures), load.results.size(), tally.acknowledged,
                    tally.lost, tally.duplicated, fiveHundreds, errors.size());
            assertEquals(List.of(), tally.problems.subList(0, Math.min(10, tally.problems.size())));
            assertEquals(0, fiveHundreds, load.results.stream().filter(r -> r.status() == 500 || r.status() == -1)
                    .limit(5).toList().toString());
            assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())));
        }
    }

    interface Fault {
        void apply() throws Exception;
    }

    /**
     * Applies the fault and waits for a new primary: @return the figures of the event (time without a primary,
     * reads served and failed in that time, writes refused).
     */
    private static String event(PatroniCluster cluster, MessageLoad load, String name, Fault fault) throws Exception {
        PatroniCluster.Node before = cluster.leader();
        assertNotNull(before, "a leader before " + name);
        long start = load.now();
        fault.apply();
        long noPrimaryFrom = load.now();
        if (!name.startsWith("stop")) {
            PackagedApp.await("a new leader after " + name, Duration.ofSeconds(60), () -> {
                PatroniCluster.Node now = cluster.leader();
                return now != null && !now.equals(before);
            });
        }
        long noPrimaryTo = load.now();
        // the service follows: a write acknowledged after the fault, and every client past it (each request sent
        // while there was no primary has its answer)
        PackagedApp.await("a write acknowledged after " + name, Duration.ofSeconds(60),
                () -> load.count(r -> r.acknowledged() && r.startedMs() >= noPrimaryTo) > 0);
        PackagedApp.await("every client past " + name, Duration.ofSeconds(60),
                () -> load.everyClientSentSince(noPrimaryTo));
        long end = load.now();
        List<MessageLoad.Result> during = load.results.stream()
                .filter(r -> r.startedMs() >= noPrimaryFrom && r.startedMs() <= noPrimaryTo).toList();
        long readsServed = during.stream().filter(r -> r.op() == Op.HISTORY && r.status() == 200).count();
        long readsFailed = during.stream().filter(r -> r.op() == Op.HISTORY && r.status() != 200).count();
        List<MessageLoad.Result> all = load.results.stream().filter(r -> r.startedMs() >= start && r.startedMs() <= end)
                .toList();
        long writesRefused = all.stream().filter(r -> r.op() == Op.KEYED_WRITE && r.status() != 201).count();
        MessageLoad.Result slowest = all.stream().max(java.util.Comparator.comparingLong(MessageLoad.Result::tookMs))
                .orElseThrow();
        if (!name.startsWith("stop")) {
            assertNotEquals(before, cluster.leader());
        }
        assertEquals(0, readsFailed, name + ": reads failed while there was no primary: " + during.stream()
                .filter(r -> r.op() == Op.HISTORY && r.status() != 200).limit(5).toList());
        return String.format("%s: %d ms without a primary, reads meanwhile %d served / %d failed, writes not "
                + "acknowledged at once %d, longest request %d ms (%s, %d %s, started %d ms after the fault)", name,
                noPrimaryTo - noPrimaryFrom, readsServed, readsFailed, writesRefused, slowest.tookMs(), slowest.op(),
                slowest.status(), slowest.type(), slowest.startedMs() - start);
    }
}

package dev.pgstack.db.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.NetworkNamespace;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * The read replica behind a network partition (its own namespace, packets dropped: no RST, no ICMP), the primary
 * healthy, under 8 clients reading on both pools and writing: every request is answered 2xx within the bound (10 s
 * at the defaults: the reads in flight on the replica are served by the primary once its host is declared
 * unreachable), readiness stays UP throughout, and the replica takes reads again within 5 s of the heal. No write
 * lost or duplicated, no ERROR line. Prints its figures (docs/scaling-out.md "When a replica fails").
 */
@Tag(Suites.OWNS_SERVERS)
class ReplicaPartitionIT {

    static final long BOUND_MS = 10_000;
    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    static final Pattern REPLICA_READS = Pattern.compile("\"replica-1\"\\s*:\\s*(\\d+)");

    @Test
    void aPartitionedReplicasReadsAreServedByThePrimaryWithinTheBoundAndItComesBackAfterTheHeal() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                SystemPostgres primary = SystemPostgres.primary(
                        Map.of("listen_addresses", "'127.0.0.1," + ns.hostAddress + "'"))) {
            String link = ns.hostAddress.substring(0, ns.hostAddress.lastIndexOf('.')) + ".0/24";
            primary.hba("host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
                    + "host all all " + link + " trust\nhost replication all " + link + " trust\n");
            primary.execute("postgres", "CREATE ROLE rp_app LOGIN PASSWORD 'rp-pw'",
                    "CREATE DATABASE rpdb OWNER rp_app");
            try (SystemPostgres replica = primary.standbyIn(ns.name, ns.address, ns.hostAddress, Map.of());
                    PackagedApp app = launch(primary, ns)) {
                scenario(app, ns, primary, replica);
            }
        }
    }

    private static PackagedApp launch(SystemPostgres primary, NetworkNamespace ns) throws Exception {
        return PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://rp_app:rp-pw@127.0.0.1:" + primary.port + "/rpdb",
                "DATABASE_REPLICA_URL", "postgresql://" + ns.address + ":5432/rpdb",
                "DB_REPLICA_MAX_LAG", "5", "DB_POOL_SIZE", "4", "DB_MAX_OVERFLOW", "12",
                "PGSTACK_ADMIN_PASSWORD", "ops", "QUARKUS_SHUTDOWN_DELAY", "0S"))
                .ready(Duration.ofSeconds(90));
    }

    private static void scenario(PackagedApp app, NetworkNamespace ns, SystemPostgres primary, SystemPostgres replica)
            throws Exception {
        for (int u = 1; u <= 8; u++) {
            assertTrue(app.put("/api/users/" + u, null).status() / 100 == 2);
        }
        Matcher product = ID.matcher(app.post("/api/products", "{\"name\":\"p\",\"price\":1}").body());
        assertTrue(product.find());
        primary.awaitReplayedOn(replica, Duration.ofSeconds(30)); // the readers are not the writer
        MessageLoad load = new MessageLoad(app, 8, product.group(1),
                List.of(Op.HISTORY, Op.PRODUCT, Op.CATEGORIES, Op.WRITE, Op.HISTORY, Op.CATEGORIES));
        long faultMs;
        long healMs;
        long backMs;
        int readinessDown = 0;
        int readinessProbes = 0;
        try (load) {
            long warm = replicaReads(app);
            PackagedApp.await("reads on the replica", Duration.ofSeconds(30), () -> replicaReads(app) > warm + 200);
            ns.partition();
            faultMs = load.now();
            long faultAt = System.nanoTime();
            // time is what this tests: readiness sampled every 250 ms for the partition's 30 s
            while (System.nanoTime() - faultAt < Duration.ofSeconds(30).toNanos()) {
                readinessProbes++;
                readinessDown += app.management("/q/health/ready").status() == 200 ? 0 : 1;
                Thread.sleep(250);
            }
            ns.heal();
            healMs = load.now();
            long healAt = System.nanoTime();
            long before = replicaReads(app);
            PackagedApp.await("reads on the replica again", Duration.ofSeconds(30),
                    () -> replicaReads(app) > before + 20);
            backMs = (System.nanoTime() - healAt) / 1_000_000;
        }
        var retried = load.retryUnacknowledged();
        MessageLoad.Tally tally;
        try (Connection c = primary.superuser("rpdb")) {
            tally = load.tally(MessageLoad.stored(c), retried);
        }
        report(load, tally, faultMs, healMs, backMs, readinessDown, readinessProbes, app.log());
    }

    /** Reads served by replica-1 so far (/q/db/pool's readsByTarget). */
    private static long replicaReads(PackagedApp app) {
        String pool = app.management("/q/db/pool", "admin", "ops").body();
        int at = pool.indexOf("readsByTarget");
        Matcher m = REPLICA_READS.matcher(at >= 0 ? pool.substring(at) : "");
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void report(MessageLoad load, MessageLoad.Tally tally, long faultMs, long healMs, long backMs,
            int readinessDown, int readinessProbes, String log) {
        List<String> problems = new ArrayList<>(tally.problems);
        MessageLoad.Result slowestRead = null;
        int failed = 0;
        int inPartition = 0;
        for (MessageLoad.Result r : load.results) {
            boolean read = !r.op().name().contains("WRITE");
            if (read && (slowestRead == null || r.tookMs() > slowestRead.tookMs())) {
                slowestRead = r;
            }
            inPartition += r.startedMs() >= faultMs && r.startedMs() < healMs ? 1 : 0;
            if (r.tookMs() > BOUND_MS) {
                problems.add("over the bound: " + r);
            }
            if (r.status() / 100 != 2) {
                failed++;
                problems.add(r.toString());
            }
        }
        List<String> errors = log.lines().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
        System.out.printf("[replica partition] drop 30 s: %d requests (%d during the partition), %d failed; longest "
                + "read %d ms (%s, started %d ms after the fault); readiness DOWN in %d of %d probes; replica back "
                + "in use %d ms after the heal; %d writes acknowledged, lost %d, duplicated %d; ERROR lines %d%n",
                load.results.size(), inPartition, failed, slowestRead.tookMs(), slowestRead.op(),
                slowestRead.startedMs() - faultMs, readinessDown, readinessProbes, backMs, tally.acknowledged,
                tally.lost, tally.duplicated, errors.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        assertEquals(0, readinessDown, "readiness DOWN while only the replica was partitioned");
        assertTrue(backMs <= 5000, "replica back in use " + backMs + " ms after the heal");
        assertTrue(log.contains("Replica replica-1 host") && log.contains("unreachable"),
                "the replica's partition was noticed:\n" + log);
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())));
        assertTrue(tally.acknowledged > 0, "writes were acknowledged");
        assertTrue(inPartition > 300, "the load went on through the partition: " + inPartition);
    }
}

package dev.pgstack.db.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pgstack.support.DnsServer;
import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * Failover by DNS, as managed PostgreSQL does it: primary A and its standby B on one port at two addresses, one name
 * in a real DNS server (dnsmasq, TTL 2 s) naming A, {@code DATABASE_URL} naming the name, the service asking that
 * server alone (a mount namespace of its own). Under 8 clients writing (plain and keyed) and reading, A goes away,
 * B is promoted and the name moves to B: writes work again within the record's TTL + 2 s of the move, whether the
 * move comes just after one of the service's own DNS questions or at a random moment, when A comes back read-only
 * at its old address, and when A is fenced read-only in place with the service's connections still open to it. Nothing acknowledged is lost or duplicated, no ERROR line. Prints its figures
 * (docs/scaling-out.md "Failover by DNS").
 */
@Tag(Suites.OWNS_SERVERS)
class DnsFailoverIT {

    static final String NAME = "db.pgstack.test";
    static final int TTL_SECONDS = 2;
    /** Writes work within the record's TTL + 2 s of the move. */
    static final long WITHIN_MS = (TTL_SECONDS + 2) * 1000L;

    /** What happens to the old writer A. */
    enum Fate {
        /** A crash: every connection to it fails. */
        KILLED,
        /** Stopped, then started again read-only at its old address once the name has moved (Aurora's reader). */
        BACK_READ_ONLY,
        /** Turned read-only while running (fenced): the service's connections to it stay open and answer 25006. */
        FENCED_IN_PLACE
    }

    @ParameterizedTest(name = "A {0}, the name moved {1}")
    @CsvSource({ "KILLED, just after a question", "KILLED, at a random moment",
            "BACK_READ_ONLY, at a random moment", "FENCED_IN_PLACE, just after a question" })
    void writesFollowTheNameWithinItsTtl(Fate fate, String moment) throws Exception {
        boolean afterQuestion = moment.equals("just after a question");
        int port = OwnedPostgres.freePort();
        int n = ThreadLocalRandom.current().nextInt(2, 120);
        String a = "127.0.0." + (2 * n);
        String b = "127.0.0." + (2 * n + 1);
        try (SystemPostgres primary = SystemPostgres.primaryOn(a, port, Map.of())) {
            primary.execute("postgres", "CREATE ROLE dns_app LOGIN PASSWORD 'dns-pw'",
                    "CREATE DATABASE dnsdb OWNER dns_app");
            try (SystemPostgres standby = primary.standbyOn(b, port, Map.of());
                    DnsServer dns = DnsServer.start("127.0.0." + (240 + n % 10), NAME, a, TTL_SECONDS);
                    PackagedApp app = launch(dns, port)) {
                // synchronous from here, now that the standby streams: nothing acknowledged is only on A
                primary.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = '*'",
                        "ALTER SYSTEM SET synchronous_commit = remote_apply", "SELECT pg_reload_conf()");
                scenario(app, dns, primary, standby, b, fate, afterQuestion, fate + ", moved " + moment);
            }
        }
    }

    private static PackagedApp launch(DnsServer dns, int port) throws Exception {
        return PackagedApp.launchResolvingWith(dns.resolvConf(), Map.of(
                "DATABASE_URL", "postgresql://dns_app:dns-pw@" + NAME + ":" + port + "/dnsdb",
                "DB_POOL_SIZE", "4", "DB_MAX_OVERFLOW", "12", "QUARKUS_SHUTDOWN_DELAY", "0S"))
                .ready(Duration.ofSeconds(90));
    }

    private static void scenario(PackagedApp app, DnsServer dns, SystemPostgres primary, SystemPostgres standby,
            String standbyAddress, Fate fate, boolean afterQuestion, String name) throws Exception {
        for (int u = 1; u <= 8; u++) {
            assertTrue(app.put("/api/users/" + u, null).status() / 100 == 2);
        }
        MessageLoad load = new MessageLoad(app, 8, "1",
                List.of(Op.WRITE, Op.KEYED_WRITE, Op.HISTORY, Op.WRITE, Op.CATEGORIES));
        long moveMs;
        long readyMs;
        long queriesBefore = dns.queries();
        try (load) {
            PackagedApp.await("writes acknowledged", Duration.ofSeconds(20),
                    () -> load.count(r -> r.acknowledged()) > 200);
            switch (fate) {
                case KILLED -> primary.stop("immediate");
                case BACK_READ_ONLY -> primary.stop("fast");
                case FENCED_IN_PLACE -> primary.execute("postgres",
                        "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
            }
            standby.promote();
            if (afterQuestion) {
                // the worst phase for a cache that ignores the record's TTL: it has just asked
                long asked = dns.queries();
                PackagedApp.await("a DNS question of the service's", Duration.ofSeconds(60),
                        () -> dns.queries() > asked);
            } else {
                Thread.sleep(ThreadLocalRandom.current().nextLong(0, 3000)); // the phase is what this varies
            }
            dns.point(standbyAddress);
            moveMs = load.now();
            long movedAt = System.nanoTime();
            if (fate == Fate.BACK_READ_ONLY) {
                // the old writer restarts at its old address and answers, read-only (Aurora's rebooted writer)
                primary.set(Map.of("default_transaction_read_only", "on"));
                primary.start();
            }
            PackagedApp.await("readiness UP on the new primary", Duration.ofSeconds(60),
                    () -> app.management("/q/health/ready").status() == 200);
            readyMs = (System.nanoTime() - movedAt) / 1_000_000;
            PackagedApp.await("writes for 10 s after the move", Duration.ofSeconds(60),
                    () -> load.now() > moveMs + WITHIN_MS + 10_000);
        }
        var retried = load.retryUnacknowledged();
        MessageLoad.Tally tally;
        try (Connection c = standby.superuser("dnsdb")) {
            tally = load.tally(MessageLoad.stored(c), retried);
        }
        report(name, load, tally, moveMs, readyMs, dns.queries() - queriesBefore, app.log());
    }

    private static void report(String name, MessageLoad load, MessageLoad.Tally tally, long moveMs, long readyMs,
            long questions, String log) {
        List<String> problems = new ArrayList<>(tally.problems);
        long firstAck = Long.MAX_VALUE;
        int failedAfter = 0;
        int readOnlyAfter = 0;
        for (MessageLoad.Result r : load.results) {
            if (!r.op().name().contains("WRITE") || r.startedMs() < moveMs) {
                continue;
            }
            if (r.acknowledged()) {
                firstAck = Math.min(firstAck, r.endedMs() - moveMs);
                continue;
            }
            failedAfter++;
            readOnlyAfter += "database-read-only".equals(r.type()) ? 1 : 0;
            if (r.startedMs() >= moveMs + WITHIN_MS) {
                problems.add("a write failed " + (r.startedMs() - moveMs) + " ms after the move: " + r);
            }
        }
        List<String> errors = log.lines().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
        System.out.printf("[dns failover] %s: first acknowledged write %d ms after the move; %d writes failed after "
                + "it (%d database-read-only); readiness UP %d ms after it; %d DNS questions in the run; %d writes "
                + "acknowledged, lost %d, duplicated %d; ERROR lines %d%n", name, firstAck, failedAfter,
                readOnlyAfter, readyMs, questions, tally.acknowledged, tally.lost, tally.duplicated, errors.size());
        assertTrue(firstAck <= WITHIN_MS, "first acknowledged write " + firstAck + " ms after the move");
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())));
    }
}

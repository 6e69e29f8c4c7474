package dev.pgstack.db.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.MessageLoad.Pace;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * Read replicas with real servers: a primary and a streaming replica (shared by the tests, each leaving them as
 * it found them) whose replay the test delays
 * ({@code recovery_min_apply_delay}). Reads go to the replica while it is usable; a client always reads its own
 * writes (500 times in a row against a replica 1.5 s behind); a replica further behind than DB_REPLICA_MAX_LAG, or
 * down, gets no reads and nobody sees a 5xx; readiness never depends on it.
 */
@Tag(Suites.OWNS_SERVERS)
class ReadReplicaIT {

    static final Pattern MESSAGE_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern READS = Pattern.compile("\"(primary|replica-1)\"\\s*:\\s*(\\d+)");
    static final String PASSWORD = "replica-pw";

    static SystemPostgres primary;
    static SystemPostgres replica;
    static PackagedApp app;

    /** One primary, one streaming replica and the service for the four behaviours; each test leaves them as found. */
    @BeforeAll
    static void start() throws Exception {
        primary = SystemPostgres.primary(Map.of());
        primary.execute("postgres", "CREATE ROLE rr_app LOGIN PASSWORD '" + PASSWORD + "'",
                "CREATE DATABASE rrdb OWNER rr_app");
        replica = primary.standby(Map.of());
        app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://rr_app:" + PASSWORD + "@127.0.0.1:" + primary.port + "/rrdb",
                // no credentials: the replica takes the primary's
                "DATABASE_REPLICA_URL", "postgresql://127.0.0.1:" + replica.port + "/rrdb",
                "DB_REPLICA_MAX_LAG", "5",
                "DB_POOL_SIZE", "2", "DB_MAX_OVERFLOW", "6",
                "PGSTACK_ADMIN_PASSWORD", "ops", "QUARKUS_SHUTDOWN_DELAY", "0S"));
        PackagedApp.await("ready", Duration.ofSeconds(60), () -> app.management("/q/health/ready").status() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            String log = app.log();
            app.close();
            assertFalse(log.contains(PASSWORD), "password in the log");
            assertFalse(Logs.hasStackTrace(log), "stack trace in the log:\n" + log);
        } finally {
            replica.close();
            primary.close();
        }
    }

    /** The replica running, replaying without delay and usable: whatever the test before did to it. */
    @BeforeEach
    void replicaUp() throws Exception {
        if (!replica.running()) {
            replica.start();
        }
        replica.execute("postgres", "ALTER SYSTEM RESET recovery_min_apply_delay", "SELECT pg_reload_conf()");
        PackagedApp.await("replica up", Duration.ofSeconds(60), () -> state(app).equals("UP"));
    }

    /**
     * A user with a message, replayed on the replica before the test's readers start: they are other clients than
     * the one that wrote (no read-your-writes marker), and a replica a few milliseconds behind answers them 404.
     */
    private static long userWithAMessage() throws Exception {
        long user = dev.pgstack.support.Ids.newUserId();
        assertEquals(201, app.put("/api/users/" + user, null).status());
        assertEquals(201, app.post("/api/users/" + user + "/messages", "{\"role\":\"user\",\"content\":\"seed\"}")
                .status());
        primary.awaitReplayedOn(replica, Duration.ofSeconds(30));
        return user;
    }

    @Test
    void aHealthyReplicaServesTheReadsUnderLoad() throws Exception {
        long user = userWithAMessage();
        Map<String, Long> before = reads(app);
        // 8 clients, each 25 history reads with a write after every fifth
        try (MessageLoad load = new MessageLoad(app, 8, "1", List.of(Op.HISTORY, Op.WRITE, Op.HISTORY,
                Op.HISTORY, Op.HISTORY, Op.HISTORY), Pace.STANDARD.asUser(user).backingOff(0).each(30))) {
            load.finish(Duration.ofMinutes(2));
            assertEquals(List.of(), load.results.stream().filter(r -> r.status() != (r.op() == Op.WRITE ? 201 : 200))
                    .toList(), "failed requests under load");
        }
        Map<String, Long> healthy = delta(before, reads(app));
        long pooled = pooledSessions(replica);
        System.out.printf("healthy replica: reads per target %s; pooled sessions on the replica %d%n", healthy,
                pooled);
        assertTrue(healthy.get("replica-1") >= 190, "reads on the replica: " + healthy);
        // the replica pool's own sessions (the monitor's are named pgstack-monitor); that the reads really run
        // there shows in the read-your-writes test, where reads without the marker miss unreplayed writes
        assertTrue(pooled >= 1, "no pooled session on the replica");
    }

    @Test
    void clientsReadTheirOwnWritesFromAReplicaOneAndAHalfSecondsBehind() throws Exception {
        long user = userWithAMessage();
        replica.execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '1500ms'", "SELECT pg_reload_conf()");
        Map<String, Long> before = reads(app);
        int seen = 0;
        int missedWithoutMarker = 0;
        for (int i = 0; i < 500; i++) {
            Response write = app.post("/api/users/" + user + "/messages",
                    "{\"role\":\"user\",\"content\":\"ryw " + i + "\"}");
            assertEquals(201, write.status(), write.body());
            Matcher id = MESSAGE_ID.matcher(write.body());
            assertTrue(id.find());
            String marker = write.header("Pgstack-Read-After");
            assertNotNull(marker, "a write answers with its position");
            String cookie = write.header("Set-Cookie");
            assertTrue(cookie != null && cookie.startsWith("pgstack_read_after=" + marker), cookie);
            // half the clients echo the header, half send the cookie back as a browser would
            Map<String, String> echo = i % 2 == 0 ? Map.of("Pgstack-Read-After", marker)
                    : Map.of("Cookie", "pgstack_read_after=" + marker);
            Response read = app.get("/api/users/" + user + "/messages?limit=20", echo);
            assertEquals(200, read.status());
            if (read.body().contains(id.group(1))) {
                seen++;
            }
            if (i % 10 == 0 && !app.get("/api/users/" + user + "/messages?limit=20").body().contains(id.group(1))) {
                missedWithoutMarker++; // the control: without the marker the lagging replica answers
            }
        }
        Map<String, Long> ryw = delta(before, reads(app));
        System.out.printf("read your writes: %d of 500 reads saw their write; without the marker %d of 50 missed it; "
                + "reads per target %s%n", seen, missedWithoutMarker, ryw);
        assertEquals(500, seen, "reads that did not see their own write");
        assertTrue(missedWithoutMarker > 0, "the replica was not behind: the loop proved nothing");
    }

    @Test
    void aReplicaFurtherBehindThanTheAllowedLagGetsNoReads() throws Exception {
        long user = userWithAMessage();
        replica.execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '30s'", "SELECT pg_reload_conf()");
        // a write every 50 ms
        try (MessageLoad writer = new MessageLoad(app, 1, "1", List.of(Op.WRITE),
                Pace.STANDARD.asUser(user).pausing(50).backingOff(0))) {
            PackagedApp.await("replica lagging", Duration.ofSeconds(30), () -> state(app).equals("LAGGING"));
            Map<String, Long> before = reads(app);
            for (int i = 0; i < 100; i++) {
                assertEquals(200, app.get("/api/users/" + user + "/messages?limit=20").status());
            }
            Map<String, Long> lagging = delta(before, reads(app));
            System.out.printf("lagging replica: reads per target %s%n", lagging);
            assertEquals(0, lagging.getOrDefault("replica-1", 0L), "reads on a replica beyond max lag");
            assertTrue(lagging.get("primary") >= 100);
        }
    }

    /**
     * Down: reads go to the primary, never a 5xx; readiness does not depend on replicas. The replica is up and
     * caught up when it dies, so that the first reads after its death are still routed to it: the history (a hot
     * read) runs its statement again on the primary within the request.
     */
    @Test
    void aReplicaThatDiesCostsNoReadAndReadinessStaysUp() throws Exception {
        long user = userWithAMessage();
        // reads go on while the replica dies, so that some meet it before the monitor (every 250 ms) marks it down
        Map<String, Long> before;
        MessageLoad reader = new MessageLoad(app, 1, "1", List.of(Op.HISTORY), Pace.STANDARD.asUser(user).backingOff(0));
        try (reader) {
            PackagedApp.await("the reader under way", Duration.ofSeconds(10), () -> reader.count(r -> true) >= 5);
            before = reads(app); // from here, a read sent to replica-1 meets it dying or dead
            replica.stop("immediate");
            PackagedApp.await("replica down", Duration.ofSeconds(10), () -> state(app).equals("DOWN"));
            long down = reader.now();
            PackagedApp.await("reads after the replica was marked down", Duration.ofSeconds(10),
                    () -> reader.count(r -> r.startedMs() > down) >= 5);
        }
        assertEquals(List.of(), reader.results.stream().filter(r -> r.status() != 200).toList(),
                "reads that failed while the replica died");
        Map<String, Long> dying = delta(before, reads(app));
        System.out.printf("replica stopped: reads per target %s%n", dying);
        assertTrue(dying.get("replica-1") >= 1, "no read met the dying replica: the loop proved nothing");
        assertEquals(200, app.management("/q/health/ready").status());
        String health = app.management("/q/health").body();
        assertTrue(health.contains("database-replicas") && health.contains("DOWN"), health);
        assertFalse(health.contains(Integer.toString(replica.port)), "a host in a health answer");

        String metrics = app.management("/q/metrics").body();
        assertTrue(metrics.contains("pgstack_replica_lag_seconds{replica=\"replica-1\"}"), "lag metric");
        assertTrue(metrics.contains("pgstack_reads_total{target=\"replica-1\"}"), "reads metric");
        assertTrue(metrics.contains("pgstack_reads_total{target=\"primary\"}"), "reads metric");
    }

    /**
     * What a fast shutdown does to a replica's sessions (57P01), again and again under reads on both clients: no read
     * fails. A Hibernate read whose statement meets it runs the statement again on the next server (ReadFailover),
     * as a reactive read does (ReactiveSql), and the replica gets reads again once the monitor finds it serving.
     */
    @Test
    void readsWhoseReplicaSessionEndsUnderThemAreServedElsewhereOnBothClients() throws Exception {
        long user = userWithAMessage();
        long terminated = 0;
        MessageLoad reader = new MessageLoad(app, 4, "1", List.of(Op.CATEGORIES, Op.HISTORY),
                Pace.STANDARD.asUser(user).backingOff(0));
        try (reader) {
            PackagedApp.await("the readers under way", Duration.ofSeconds(10), () -> reader.count(r -> true) >= 20);
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                terminated += terminateSessions(replica);
                Thread.sleep(100); // the fault's own pace: sessions end every 100 ms for 4 s
            }
        }
        List<MessageLoad.Result> failed = reader.results.stream().filter(r -> r.status() != 200).toList();
        System.out.printf("replica sessions terminated: %d; reads %d, failed %d%n", terminated, reader.results.size(),
                failed.size());
        assertEquals(List.of(), failed, "reads that failed while their replica sessions ended");
        assertTrue(terminated > 0, "no session was terminated: the loop proved nothing");
        assertTrue(app.log().contains("failed a read"), "no read met an ended session: the loop proved nothing");
    }

    /** Ends the service's pooled sessions on {@code server}; returns how many. */
    private static long terminateSessions(SystemPostgres server) throws Exception {
        try (Connection c = server.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM"
                        + " pg_stat_activity WHERE datname = 'rrdb' AND application_name = 'pgstack'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String state(PackagedApp app) {
        String pool = app.management("/q/db/pool", "admin", "ops").body();
        Matcher m = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"").matcher(pool);
        return m.find() ? m.group(1) : "?";
    }

    private static Map<String, Long> reads(PackagedApp app) {
        String pool = app.management("/q/db/pool", "admin", "ops").body();
        int at = pool.indexOf("readsByTarget");
        Map<String, Long> counts = new java.util.TreeMap<>();
        if (at >= 0) {
            Matcher m = READS.matcher(pool.substring(at));
            while (m.find()) {
                counts.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return counts;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        for (String target : new String[] {"primary", "replica-1"}) {
            d.put(target, after.getOrDefault(target, 0L) - before.getOrDefault(target, 0L));
        }
        return d;
    }

    /** Sessions of the service's replica pool on the replica (pg_stat_activity). */
    private static long pooledSessions(SystemPostgres replica) throws Exception {
        try (Connection c = replica.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = 'rrdb' "
                        + "AND application_name = 'pgstack'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

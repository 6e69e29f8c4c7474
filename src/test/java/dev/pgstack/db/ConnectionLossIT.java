package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.MessageLoad.Result;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/**
 * The service's connections go away under it: killed one by one, with the whole server restarting, or during
 * COMMIT. Scenarios 1, 2 and 6 of the fault table.
 */
@Tag(Suites.OWNS_SERVERS)
class ConnectionLossIT extends FaultScenario {

    @Test
    void killedConnectionsAreReplacedBeforeUse() throws Exception {
        long user = 101;
        record(app.put("/api/users/" + user, null));
        for (int i = 0; i < 5; i++) {
            record(app.get("/api/users/" + user));
        }
        // time itself is the subject: the connections rest in the pool longer than the validation window (500 ms),
        // as pooled connections do when a server restart, a failover or an idle-connection killer ends them
        Thread.sleep(1_000);
        int killed = terminateAppConnections();
        assertTrue(killed >= 2, "killed " + killed);

        int fiveXx = 0;
        int requests = 60;
        for (int i = 0; i < requests; i++) {
            // a blocking read, a write, and the hot read on the reactive pool (history)
            Response r = record(i % 3 == 0 ? app.get("/api/users/" + user)
                    : i % 3 == 1 ? app.post("/api/users/" + user + "/messages",
                            "{\"role\":\"user\",\"content\":\"k" + i + "\"}")
                    : app.get("/api/users/" + user + "/messages?limit=5"));
            if (r.status() >= 500) {
                fiveXx++;
            }
        }
        assertEquals(0, fiveXx, "5xx after pg_terminate_backend on every pool connection");
        ROWS.add(String.format("| 1. killed connections (%d backends) | none | immediate | %d | %d | n/a |", killed,
                requests, fiveXx));
    }

    /** What was seen while the server was down: {@code down} in the load's ms. */
    record Outage(long down, boolean readinessDown, boolean livenessAlwaysUp, List<Response> reads) {
    }

    @Test
    void databaseRestartUnderWriteLoad() throws Exception {
        long user = 202;
        newUser(user);
        // one writer, 20 ms between writes (503s included), at most 2,000 writes
        MessageLoad load = new MessageLoad(app, 1, "1", List.of(Op.WRITE),
                recorded().asUser(user).pausing(20).backingOff(0).each(2_000));
        Outage outage;
        long up;
        long readyAgain;
        try (load) {
            PackagedApp.await("30 acknowledged writes before the stop", Duration.ofSeconds(30),
                    () -> load.count(Result::acknowledged) >= 30);
            outage = stopForThreeSeconds(load, user);
            postgres.start();
            up = load.now();
            PackagedApp.await("readiness UP after restart", Duration.ofSeconds(15),
                    () -> app.management("/q/health/ready").status() == 200);
            readyAgain = load.now();
            PackagedApp.await("30 acknowledged writes after the restart", Duration.ofSeconds(30),
                    () -> load.count(w -> w.acknowledged() && w.startedMs() >= up) >= 30);
        }
        List<Result> writes = List.copyOf(load.results);
        long firstSuccessAfterUp = writes.stream().filter(w -> w.acknowledged() && w.startedMs() >= up)
                .mapToLong(Result::endedMs).min().orElse(Long.MAX_VALUE);
        double recoverySeconds = (firstSuccessAfterUp - up) / 1e3;
        WriteCount count = countWrites(writes, outage.down(), firstSuccessAfterUp);
        StoredMessages stored = storedMessages(user);
        Set<String> lost = new HashSet<>(count.acknowledged());
        lost.removeAll(stored.ids());

        assertHotReadsFailedFast(outage);
        assertEquals(200, record(app.get("/api/users/" + user + "/messages?limit=5")).status(), "reads back");
        assertEquals(0, count.slow503(), "every 503 came within the acquisition timeout (no hanging requests)");
        assertTrue(recoverySeconds <= 5, "writes succeed within 5 s of the restart: " + recoverySeconds);
        assertEquals(0, count.fiveXxOutside(), "5xx outside the outage window");
        assertEquals(0, lost.size(), "acknowledged writes lost: " + lost);
        assertEquals(stored.rows(), stored.contents().size(), "no write stored twice (each write has its own content)");
        long unavailable = writes.stream().filter(w -> w.status() == 503).count();
        ROWS.add(String.format("| 2. restart under write load | %.1f s (%d fast 503s inside) | %.2f s (readiness "
                + "%.2f s) | %d | %d | %d (%d acknowledged, %d stored) |", (up - outage.down()) / 1e3, unavailable,
                recoverySeconds, (readyAgain - up) / 1e3, writes.size(), count.fiveXxOutside(), lost.size(),
                count.acknowledged().size(), stored.rows()));
    }

    /** Stops the server under the load and keeps it down for 3 s, probing health and sending hot reads. */
    private Outage stopForThreeSeconds(MessageLoad load, long user) throws Exception {
        long down = load.now();
        postgres.stop();
        // the window is counted from the moment the server is gone: stopping it under load may itself take seconds
        long stopped = System.nanoTime();
        boolean readinessDown = false;
        boolean livenessAlwaysUp = true;
        List<Response> reads = new ArrayList<>();
        while (System.nanoTime() - stopped < 3_000_000_000L) {
            readinessDown |= app.management("/q/health/ready").status() == 503;
            livenessAlwaysUp &= app.management("/q/health/live").status() == 200;
            reads.add(record(app.get("/api/users/" + user + "/messages?limit=5")));
            // time itself: the outage lasts 3 s by design, and is sampled every 200 ms
            Thread.sleep(200);
        }
        return new Outage(down, readinessDown, livenessAlwaysUp, reads);
    }

    private static void assertHotReadsFailedFast(Outage outage) {
        assertTrue(outage.readinessDown(), "readiness DOWN during the outage");
        for (Response read : outage.reads()) {
            assertEquals(503, read.status(), "a hot read while the server is down: " + read.body());
            assertTrue(read.body().contains("database-unavailable"), read.body());
            assertNotNull(read.retryAfter());
        }
        assertTrue(outage.livenessAlwaysUp(), "liveness UP throughout");
    }

    record WriteCount(int fiveXxOutside, int slow503, Set<String> acknowledged) {
    }

    /** Every write is a 201 or a 503 with Retry-After; counts the 5xx outside the window and the slow 503s. */
    private static WriteCount countWrites(List<Result> writes, long down, long firstSuccessAfterUp) {
        int fiveXxOutside = 0;
        int slow503 = 0;
        Set<String> acknowledged = new HashSet<>();
        for (Result w : writes) {
            boolean inWindow = w.endedMs() >= down && w.startedMs() <= firstSuccessAfterUp;
            if (w.status() >= 500 && !inWindow) {
                fiveXxOutside++;
            }
            if (w.status() == 503) {
                assertNotNull(w.retryAfter(), "503 without Retry-After");
                if (w.tookMs() > 2_500) {
                    slow503++;
                }
            }
            if (w.status() != 201 && w.status() != 503) {
                throw new AssertionError("unexpected status " + w.status());
            }
            if (w.id() != null) {
                acknowledged.add(w.id());
            }
        }
        return new WriteCount(fiveXxOutside, slow503, acknowledged);
    }

    record StoredMessages(Set<String> ids, Set<String> contents, int rows) {
    }

    private static StoredMessages storedMessages(long user) throws Exception {
        Set<String> ids = new HashSet<>();
        Set<String> contents = new HashSet<>();
        int rows = 0;
        try (Connection c = postgres.superuser("faultdb");
                PreparedStatement ps = c.prepareStatement("SELECT id::text, content FROM messages WHERE user_id = ?")) {
            ps.setLong(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    contents.add(rs.getString(2));
                    rows++;
                }
            }
        }
        return new StoredMessages(ids, contents, rows);
    }

    /**
     * Writers retry every 503, 409 (in flight) and dropped connection with the same Idempotency-Key while the
     * service's backends are terminated every 0.5 s (so connections die during COMMIT) and the server restarts
     * once: every key ends with exactly one stored message, and nothing answers 500.
     */
    @Test
    void commitFailuresWithIdempotentRetriesLoseAndDuplicateNothing() throws Exception {
        long user = 505;
        newUser(user);
        int writers = 6;
        int writesEach = 50;
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        // each writer sends 50 keys, each key again (50 ms apart, up to 200 times) until it is answered 201
        MessageLoad load = new MessageLoad(app, writers, "1", List.of(Op.KEYED_WRITE),
                recorded().asUser(user).backingOff(50).each(writesEach).retryingInPlace());
        try (load) {
            // time itself is the fault: the backends are terminated every 0.5 s
            killer.scheduleWithFixedDelay(ConnectionLossIT::terminateQuietly, 500, 500, TimeUnit.MILLISECONDS);
            PackagedApp.await("a third of the writes acknowledged before the restart", Duration.ofSeconds(60),
                    () -> load.count(Result::acknowledged) >= writers * writesEach / 3);
            postgres.stop();
            Thread.sleep(1_500); // time itself: the server stays down 1.5 s
            postgres.start();
            load.finish(Duration.ofMinutes(5));
        } finally {
            killer.shutdown(); // ends the periodic termination
            killer.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertEveryKeyStoredOnce(List.copyOf(load.results), storedCopies(user), writers, writesEach);
    }

    private static void terminateQuietly() {
        try {
            terminateAppConnections();
        } catch (Exception e) {
            // the server may be restarting
        }
    }

    private static void assertEveryKeyStoredOnce(List<Result> sent, Map<String, Integer> copies, int writers,
            int writesEach) {
        List<Integer> statuses = sent.stream().map(Result::status).toList();
        List<String> types = sent.stream().filter(r -> r.status() != 201 && r.type() != null)
                .map(r -> r.status() + " " + r.type()).toList();
        Set<String> acknowledged = new HashSet<>();
        sent.stream().filter(Result::acknowledged).forEach(r -> acknowledged.add(r.content()));
        List<String> gaveUp = sent.stream().map(Result::content).distinct().filter(k -> !acknowledged.contains(k))
                .toList();
        long duplicates = copies.values().stream().filter(n -> n > 1).count();
        long lost = acknowledged.stream().filter(k -> !copies.containsKey(k)).count();
        long fiveHundreds = statuses.stream().filter(st -> st == 500).count();
        long unexpected = statuses.stream().filter(st -> st != 201 && st != 503 && st != 409 && st != -1).count();
        long unknownOutcome = types.stream().filter(t -> t.contains("commit-outcome-unknown")).count();
        assertEquals(0, fiveHundreds, "500 answers: " + types);
        assertEquals(0, unexpected, "statuses other than 201/503/409/dropped: " + statuses);
        assertEquals(List.of(), gaveUp, "writes that never succeeded");
        assertEquals(writers * writesEach, sent.stream().filter(Result::acknowledged).count());
        assertEquals(0, lost, "acknowledged writes lost");
        assertEquals(0, duplicates, "writes stored twice: " + copies);
        assertEquals(writers * writesEach, copies.size(), "every key stored once");
        Map<String, Long> byType = new TreeMap<>();
        types.forEach(t -> byType.merge(t, 1L, Long::sum));
        ROWS.add(String.format("| 6. backends terminated every 0.5 s + one restart, %d writers retrying with "
                + "Idempotency-Key | whole run | per request | %d | 0 (%s) | %d (acknowledged %d, stored %d, "
                + "duplicates %d, outcome-unknown answers %d) |", writers, statuses.size(), byType, lost,
                acknowledged.size(), copies.size(), duplicates, unknownOutcome));
    }

    /** content -> copies stored, of the user's messages. */
    private static Map<String, Integer> storedCopies(long user) throws Exception {
        Map<String, Integer> copies = new HashMap<>();
        try (Connection c = postgres.superuser("faultdb");
                PreparedStatement ps = c.prepareStatement(
                        "SELECT content, count(*) FROM messages WHERE user_id = ? GROUP BY content")) {
            ps.setLong(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    copies.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return copies;
    }
}

package dev.pgstack.db.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.NetworkNamespace;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.SystemPostgres;

/**
 * The database behind a network partition (a namespace of the test's own whose packets nftables drops: no RST, no
 * ICMP), under 8 clients writing and reading on both pools: every request is answered within the bound (10 s at
 * the defaults), 2xx or 503, never 500; readiness turns DOWN within 5 s of the fault and UP within 5 s of the
 * heal; no acknowledged write is lost or duplicated, and a 503 that says nothing was written wrote nothing.
 * Each scenario prints its figures (the closing table of README "Network partitions").
 */
class NetworkPartitionIT {

    static final long BOUND_MS = 10_500;
    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    static final Pattern TYPE = Pattern.compile("urn:pgstack:problem:([a-z-]+)");

    @Test
    void aThirtySecondPartitionIsAnsweredWithinTheBoundAndLosesNothing() throws Exception {
        scenario("drop 30 s", 30, false);
    }

    @Test
    void aTwoMinutePartitionIsAnsweredWithinTheBoundAndLosesNothing() throws Exception {
        scenario("drop 120 s", 120, false);
    }

    @Test
    void aServerThatCrashesBehindAPartitionComesBackWithNothingLost() throws Exception {
        scenario("crash + drop 30 s", 30, true);
    }

    record Result(String op, String content, String key, int status, String type, long startedMs, long tookMs) {
    }

    private void scenario(String name, int seconds, boolean crash) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                SystemPostgres server = SystemPostgres.primaryIn(ns.name, ns.address, Map.of())) {
            server.execute("postgres", "CREATE ROLE part_app LOGIN PASSWORD 'part-pw'",
                    "CREATE DATABASE partdb OWNER part_app");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://part_app:part-pw@" + ns.address + ":5432/partdb", "QUARKUS_SHUTDOWN_DELAY", "0S",
                    "DB_POOL_SIZE", "4", "DB_MAX_OVERFLOW", "12"))) {
                PackagedApp.await("ready", Duration.ofSeconds(90),
                        () -> app.management("/q/health/ready").status() == 200);
                for (int u = 1; u <= 8; u++) {
                    assertTrue(app.put("/api/users/" + u, null).status() / 100 == 2);
                }
                Matcher product = ID.matcher(app.post("/api/products", "{\"name\":\"p\",\"price\":1}").body());
                assertTrue(product.find());
                String productId = product.group(1);

                long t0 = System.nanoTime();
                ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService clients = Executors.newFixedThreadPool(8);
                for (int c = 1; c <= 8; c++) {
                    int client = c;
                    clients.submit(() -> load(app, client, productId, t0, running, results));
                }
                Thread.sleep(3000);

                long faultAt = System.nanoTime();
                ns.partition();
                if (crash) {
                    server.stop("immediate"); // signals, not packets: the crash happens behind the partition
                }
                long downMs = waitFor(app, 503, faultAt, Duration.ofSeconds(30));
                Thread.sleep(Math.max(0, seconds * 1000L - (System.nanoTime() - faultAt) / 1_000_000));
                long healAt = System.nanoTime();
                ns.heal();
                if (crash) {
                    server.start();
                }
                long upMs = waitFor(app, 200, healAt, Duration.ofSeconds(60));
                Thread.sleep(3000);
                running.set(false);
                clients.shutdown();
                assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));

                // clients that followed the answers: a keyed write not acknowledged is sent again with its key
                Map<String, Integer> retried = new HashMap<>();
                for (Result r : results) {
                    if (r.key() != null && r.status() != 201) {
                        retried.put(r.content(), retry(app, r));
                    }
                }
                Map<String, Integer> stored = stored(server);
                report(name, results, downMs, upMs, faultAt - t0, healAt - t0, stored, retried, app.log());
            }
        }
    }

    private static void load(PackagedApp app, int client, String productId, long t0, AtomicBoolean running,
            ConcurrentLinkedQueue<Result> results) {
        for (int i = 0; running.get(); i++) {
            String content = "pt-" + client + "-" + i;
            long start = System.nanoTime();
            PackagedApp.Response answer;
            String op;
            String key = null;
            switch (i % 5) {
                case 0 -> {
                    op = "keyed write";
                    key = "k-" + content;
                    answer = app.post("/api/users/" + client + "/messages", body(content), Map.of("Idempotency-Key", key));
                }
                case 1 -> {
                    op = "write";
                    answer = app.post("/api/users/" + client + "/messages", body(content));
                }
                case 2 -> {
                    op = "history";
                    answer = app.get("/api/users/" + client + "/messages?limit=5");
                }
                case 3 -> {
                    op = "product";
                    answer = app.get("/api/products/" + productId);
                }
                default -> {
                    op = "categories";
                    answer = app.get("/api/categories");
                }
            }
            long took = (System.nanoTime() - start) / 1_000_000;
            Matcher type = TYPE.matcher(answer.body() == null ? "" : answer.body());
            results.add(new Result(op, op.endsWith("write") ? content : null, key, answer.status(),
                    type.find() ? type.group(1) : null, (start - t0) / 1_000_000, took));
            if (answer.status() == 503) {
                sleepQuietly(200);
            }
        }
    }

    private static String body(String content) {
        return "{\"role\":\"user\",\"content\":\"" + content + "\"}";
    }

    private static int retry(PackagedApp app, Result r) {
        String user = r.content().split("-")[1];
        for (int attempt = 0; attempt < 100; attempt++) {
            PackagedApp.Response again = app.post("/api/users/" + user + "/messages", body(r.content()),
                    Map.of("Idempotency-Key", r.key()));
            if (again.status() / 100 == 2) {
                return again.status();
            }
            sleepQuietly(300);
        }
        return -1;
    }

    /** Milliseconds from {@code since} until readiness answers {@code status}. */
    private static long waitFor(PackagedApp app, int status, long since, Duration limit) throws InterruptedException {
        PackagedApp.await("readiness " + status, limit, () -> app.management("/q/health/ready").status() == status);
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static Map<String, Integer> stored(SystemPostgres server) throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        try (Connection c = server.superuser("partdb"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT content, count(*) FROM messages GROUP BY content")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getInt(2));
            }
        }
        return stored;
    }

    private static void report(String name, ConcurrentLinkedQueue<Result> results, long downMs, long upMs,
            long faultAtNanos, long healAtNanos, Map<String, Integer> stored, Map<String, Integer> retried,
            String log) {
        List<String> problems = new ArrayList<>();
        long longest = 0;
        int overBound = 0;
        int lost = 0;
        int duplicated = 0;
        int failed = 0;
        for (Result r : results) {
            longest = Math.max(longest, r.tookMs());
            if (r.tookMs() > BOUND_MS) {
                overBound++;
                problems.add("over the bound: " + r);
            }
            if (r.status() / 100 != 2 && r.status() != 503) {
                problems.add(r.toString());
            }
            if (r.status() == 503) {
                failed++;
            }
            if (r.content() != null) {
                int n = stored.getOrDefault(r.content(), 0);
                boolean acknowledged = r.status() == 201 || r.key() != null && retried.getOrDefault(r.content(), 0) / 100 == 2;
                if (acknowledged && n == 0) {
                    lost++;
                    problems.add("lost: " + r);
                }
                if (n > 1) {
                    duplicated++;
                    problems.add("duplicated: " + r);
                }
                if (r.status() == 503 && r.key() == null && n == 1 && !"commit-outcome-unknown".equals(r.type())) {
                    problems.add("stored although the answer said nothing was written: " + r);
                }
            }
        }
        long errorLines = log.lines().filter(l -> l.contains("\"level\":\"ERROR\"")).count();
        System.out.printf("[partition] %s: %d requests (%d answered 503), %d over %d ms, longest %d ms; readiness DOWN "
                + "%d ms after the fault, UP %d ms after the heal; lost %d, duplicated %d; ERROR lines %d%n", name,
                results.size(), failed, overBound, BOUND_MS, longest, downMs, upMs, lost, duplicated, errorLines);
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        assertEquals(0, overBound, "requests over the bound; longest " + longest + " ms");
        assertTrue(downMs <= 5000, "readiness DOWN after " + downMs + " ms");
        assertTrue(upMs <= 5000, "readiness UP after " + upMs + " ms");
        assertEquals(0, errorLines, log.lines().filter(l -> l.contains("\"level\":\"ERROR\"")).limit(5).toList()
                .toString());
        assertFalse(results.isEmpty());
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

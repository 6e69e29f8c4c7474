package dev.pgstack.db.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * Failover with real servers: a primary and a streaming standby with synchronous replication, the service given
 * both hosts in DATABASE_URL (libpq syntax, target_session_attrs=read-write). The primary dies under a write load
 * (immediate stop, a crash), the standby is promoted: writes succeed again within 10 s of the promotion, nothing
 * but 503 + Retry-After inside the outage, no 5xx outside it, and every acknowledged write is on the new primary.
 */
@Tag(Suites.OWNS_SERVERS)
class FailoverIT {

    static final Pattern MESSAGE_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final String PASSWORD = "failover-pw";

    record Write(long startNanos, long endNanos, int status, String retryAfter, String id) {
    }

    @Test
    void writesFollowThePromotedStandbyWithoutLosingAcknowledgedOnes() throws Exception {
        try (SystemPostgres primary = SystemPostgres.primary(Map.of())) {
            primary.execute("postgres", "CREATE ROLE fo_app LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE DATABASE fodb OWNER fo_app");
            try (SystemPostgres standby = primary.standby(Map.of())) {
                // synchronous once the standby streams: a commit is acknowledged only when the standby has it
                primary.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = '*'",
                        "SELECT pg_reload_conf()");
                awaitSynchronous(primary);
                run(primary, standby);
            }
        }
    }

    private void run(SystemPostgres primary, SystemPostgres standby) throws Exception {
        try (PackagedApp app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://fo_app:" + PASSWORD + "@127.0.0.1:" + primary.port + ",127.0.0.1:"
                        + standby.port + "/fodb?target_session_attrs=read-write",
                "DB_POOL_SIZE", "2", "DB_MAX_OVERFLOW", "4", "DB_POOL_TIMEOUT", "2",
                "PGSTACK_DB_SOCKET_TIMEOUT_SECONDS", "5", "PGSTACK_ADMIN_PASSWORD", "ops",
                "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
            PackagedApp.await("ready", Duration.ofSeconds(60), () -> app.management("/q/health/ready").status() == 200);
            assertEquals(201, app.put("/api/users/9001", null).status());

            ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(2);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                futures.add(writers.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        long s = System.nanoTime();
                        Response r = app.post("/api/users/9001/messages",
                                "{\"role\":\"user\",\"content\":\"t" + thread + "-" + n++ + "\"}");
                        Matcher m = MESSAGE_ID.matcher(r.body());
                        writes.add(new Write(s, System.nanoTime(), r.status(), r.retryAfter(),
                                r.status() == 201 && m.find() ? m.group(1) : null));
                        sleep(10);
                    }
                }));
            }

            // the load has written before the crash: at least 30 acknowledged writes (whatever the machine's speed)
            PackagedApp.await("30 acknowledged writes before the crash", Duration.ofSeconds(30),
                    () -> writes.stream().filter(w -> w.id() != null).count() >= 30);
            long crash = System.nanoTime();
            primary.stop("immediate");
            Thread.sleep(1_000); // the time an operator or a failover manager takes to decide
            standby.promote();
            long promoted = System.nanoTime();
            PackagedApp.await("a write after the promotion", Duration.ofSeconds(20), () -> writes.stream()
                    .anyMatch(w -> w.status() == 201 && w.startNanos() >= promoted));
            // and the load goes on on the new primary: at least 30 acknowledged writes sent after the promotion
            PackagedApp.await("30 acknowledged writes after the promotion", Duration.ofSeconds(30),
                    () -> writes.stream().filter(w -> w.id() != null && w.startNanos() >= promoted).count() >= 30);
            running.set(false);
            for (Future<?> f : futures) {
                f.get();
            }
            writers.shutdown();

            long firstAfter = writes.stream().filter(w -> w.status() == 201 && w.startNanos() >= promoted)
                    .mapToLong(Write::endNanos).min().orElseThrow();
            double recovery = (firstAfter - promoted) / 1e9;
            int outside = 0;
            int inside503 = 0;
            for (Write w : writes) {
                boolean inWindow = w.endNanos() >= crash && w.startNanos() <= firstAfter;
                if (w.status() >= 500 || w.status() < 0) {
                    assertEquals(503, w.status(), () -> "only 503 during a failover; the service logged: "
                            + app.log().lines().filter(l -> l.contains("Unexpected error")).toList());
                    assertNotNull(w.retryAfter(), "503 without Retry-After");
                    if (inWindow) {
                        inside503++;
                    } else {
                        outside++;
                    }
                }
            }
            List<String> acknowledged = writes.stream().filter(w -> w.id() != null).map(Write::id).toList();
            int lost = missing(standby, acknowledged);
            System.out.printf("| failover | %.1f s from promotion to first write | %d writes, %d acknowledged | "
                    + "%d x 503 inside the outage | %d 5xx outside | %d acknowledged writes lost |%n", recovery,
                    writes.size(), acknowledged.size(), inside503, outside, lost);

            assertTrue(recovery <= 10.0, "writes resumed " + recovery + " s after the promotion");
            assertEquals(0, outside, "5xx outside the outage window");
            assertEquals(0, lost, "acknowledged writes missing on the new primary");
            long acknowledgedBefore = writes.stream().filter(w -> w.id() != null && w.endNanos() <= crash).count();
            long acknowledgedAfter = writes.stream().filter(w -> w.id() != null && w.startNanos() >= promoted).count();
            assertTrue(acknowledgedBefore >= 30, "acknowledged before the crash: " + acknowledgedBefore);
            assertTrue(acknowledgedAfter >= 30, "acknowledged after the promotion: " + acknowledgedAfter);

            PackagedApp.await("ready on the new primary", Duration.ofSeconds(10),
                    () -> app.management("/q/health/ready").status() == 200);
            // the reactive pool follows too: the connection summary runs on it, and finds a primary
            for (int i = 0; i < 5; i++) {
                Response connections = app.management("/q/db/connections", "admin", "ops");
                assertEquals(200, connections.status(), connections.body());
                assertTrue(connections.body().matches("(?s).*\"serverInRecovery\"\\s*:\\s*false.*"),
                        connections.body());
            }
            String log = app.log();
            assertFalse(log.contains(PASSWORD), "password in the log");
            assertFalse(Logs.hasStackTrace(log), "stack trace in the log:\n" + log);
        }
    }

    private static int missing(SystemPostgres server, List<String> ids) throws Exception {
        int missing = 0;
        try (Connection c = server.superuser("fodb");
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM messages WHERE id = ?")) {
            for (String id : ids) {
                ps.setObject(1, UUID.fromString(id));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }

    private static void awaitSynchronous(SystemPostgres primary) throws Exception {
        PackagedApp.await("standby streaming synchronously", Duration.ofSeconds(30), () -> {
            try (Connection c = primary.superuser("postgres"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                rs.next();
                return rs.getInt(1) == 1;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

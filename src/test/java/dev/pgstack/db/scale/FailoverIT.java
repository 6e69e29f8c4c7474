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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.MessageLoad.Pace;
import dev.pgstack.support.MessageLoad.Result;
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

    static final String PASSWORD = "failover-pw";

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

            // two writers as user 9001, 10 ms between writes, a 503 retried at the same pace
            MessageLoad load = new MessageLoad(app, 2, "1", List.of(Op.WRITE),
                    Pace.STANDARD.asUser(9001).pausing(10).backingOff(0));
            long crash;
            long promoted;
            try (load) {
                // the load has written before the crash: at least 30 acknowledged writes (whatever the machine's speed)
                PackagedApp.await("30 acknowledged writes before the crash", Duration.ofSeconds(30),
                        () -> load.count(Result::acknowledged) >= 30);
                crash = load.now();
                primary.stop("immediate");
                // time itself: the pause an operator or a failover manager takes to decide (no event to wait for)
                Thread.sleep(1_000);
                standby.promote();
                promoted = load.now();
                PackagedApp.await("a write after the promotion", Duration.ofSeconds(20),
                        () -> load.count(w -> w.acknowledged() && w.startedMs() >= promoted) > 0);
                // and the load goes on on the new primary: at least 30 acknowledged writes sent after the promotion
                PackagedApp.await("30 acknowledged writes after the promotion", Duration.ofSeconds(30),
                        () -> load.count(w -> w.id() != null && w.startedMs() >= promoted) >= 30);
            }
            assertOutage(app, standby, List.copyOf(load.results), crash, promoted);

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

    /**
     * Recovery within 10 s of the promotion, only 503 + Retry-After inside the outage and no 5xx outside it, no
     * acknowledged write missing on the new primary; {@code crash} and {@code promoted} in the load's ms.
     */
    private static void assertOutage(PackagedApp app, SystemPostgres standby, List<Result> writes, long crash,
            long promoted) throws Exception {
        long firstAfter = writes.stream().filter(w -> w.status() == 201 && w.startedMs() >= promoted)
                .mapToLong(Result::endedMs).min().orElseThrow();
        double recovery = (firstAfter - promoted) / 1e3;
        int outside = 0;
        int inside503 = 0;
        for (Result w : writes) {
            boolean inWindow = w.endedMs() >= crash && w.startedMs() <= firstAfter;
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
        List<String> acknowledged = writes.stream().filter(w -> w.id() != null).map(Result::id).toList();
        int lost = missing(standby, acknowledged);
        System.out.printf("| failover | %.1f s from promotion to first write | %d writes, %d acknowledged | "
                + "%d x 503 inside the outage | %d 5xx outside | %d acknowledged writes lost |%n", recovery,
                writes.size(), acknowledged.size(), inside503, outside, lost);

        assertTrue(recovery <= 10.0, "writes resumed " + recovery + " s after the promotion");
        assertEquals(0, outside, "5xx outside the outage window");
        assertEquals(0, lost, "acknowledged writes missing on the new primary");
        long acknowledgedBefore = writes.stream().filter(w -> w.id() != null && w.endedMs() <= crash).count();
        long acknowledgedAfter = writes.stream().filter(w -> w.id() != null && w.startedMs() >= promoted).count();
        assertTrue(acknowledgedBefore >= 30, "acknowledged before the crash: " + acknowledgedBefore);
        assertTrue(acknowledgedAfter >= 30, "acknowledged after the promotion: " + acknowledgedAfter);
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
}

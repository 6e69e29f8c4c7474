package dev.pgstack.db.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Pace;
import dev.pgstack.support.MessageLoad.Request;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.PgBouncer;
import dev.pgstack.support.Suites;

/**
 * The packaged service behind a real PgBouncer in transaction pooling mode (Debian's pgbouncer 1.18, which refuses
 * the startup parameter 'options'): it waits for PgBouncer at startup, its traffic really goes through it, a
 * PgBouncer outage is 503 with readiness DOWN, and it recovers when PgBouncer is back.
 */
@Tag(Suites.OWNS_SERVERS)
class PgBouncerIT {

    static OwnedPostgres postgres;
    static PgBouncer bouncer;

    @BeforeAll
    static void start() throws Exception {
        postgres = new OwnedPostgres().start();
        postgres.execute("postgres", "CREATE ROLE bouncer_app LOGIN", "CREATE DATABASE bouncerdb OWNER bouncer_app",
                // behind PgBouncer the server-side timeouts belong to the role (docs/scaling-out.md "PgBouncer")
                "ALTER ROLE bouncer_app SET statement_timeout = '30s'", "ALTER ROLE bouncer_app SET lock_timeout = '3s'");
        bouncer = new PgBouncer(postgres.port(), "bouncer_app");
    }

    @AfterAll
    static void stop() throws Exception {
        bouncer.close();
        postgres.close();
    }

    @Test
    void servesThroughPgBouncerWaitsForItAndSurvivesItsRestart() throws Exception {
        try (PackagedApp app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://bouncer_app:unused@127.0.0.1:" + bouncer.port
                        + "/bouncerdb?pgbouncer=true",
                "DB_POOL_SIZE", "2", "DB_MAX_OVERFLOW", "6", "DB_POOL_TIMEOUT", "2",
                "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
            // PgBouncer is not running yet: the service is live, not ready, and keeps trying
            PackagedApp.await("live", Duration.ofSeconds(30), () -> app.management("/q/health/live").status() == 200);
            assertEquals(503, app.management("/q/health/ready").status());
            bouncer.start();
            PackagedApp.await("ready through PgBouncer", Duration.ofSeconds(30),
                    () -> app.management("/q/health/ready").status() == 200);

            assertEquals(201, app.put("/api/users/7001", null).status());
            for (int i = 0; i < 50; i++) {
                assertEquals(201, app.post("/api/users/7001/messages", "{\"role\":\"user\",\"content\":\"b" + i
                        + "\"}").status());
                assertEquals(200, app.get("/api/users/7001/messages?limit=5").status());
            }
            assertEquals(201, app.post("/api/products", "{\"name\":\"Bounced\",\"price\":1.5}").status());
            long transactions = bouncerTransactions();
            assertTrue(transactions >= 100, "PgBouncer saw " + transactions + " transactions");

            bouncer.stop();
            Response during = app.post("/api/users/7001/messages", "{\"role\":\"user\",\"content\":\"lost\"}");
            assertEquals(503, during.status(), during.body());
            assertNotNull(during.retryAfter());
            PackagedApp.await("readiness DOWN without PgBouncer", Duration.ofSeconds(10),
                    () -> app.management("/q/health/ready").status() == 503);

            bouncer.start();
            PackagedApp.await("ready again", Duration.ofSeconds(20),
                    () -> app.management("/q/health/ready").status() == 200);
            assertEquals(201, app.post("/api/users/7001/messages", "{\"role\":\"user\",\"content\":\"back\"}")
                    .status());
            Response history = app.get("/api/users/7001/messages?limit=100");
            assertEquals(200, history.status());
            assertTrue(history.body().contains("\"back\""));
            assertFalse(history.body().contains("\"lost\""), "a write answered 503 must not be stored");

            String log = app.log();
            assertFalse(log.contains("unsupported startup parameter"), log);
            assertFalse(log.contains("prepared statement"), log);
            assertFalse(Logs.hasStackTrace(log), "stack trace in the log:\n" + log);
        }
    }

    /**
     * Under concurrency PgBouncer hands each transaction whichever server connection is free, so a statement whose
     * parse and execute went as two round trips could meet another client's unnamed statement, or none. In the
     * reactive client's layer-7-proxy mode the execute carries its own parse, so it needs nothing from an earlier
     * round trip: many clients at once, every answer right.
     */
    @Test
    void concurrentHotPathReadsThroughPgBouncerAllAnswerRight() throws Exception {
        bouncer.stop(); // whatever the other test left running
        bouncer.start();
        try (PackagedApp app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://bouncer_app:unused@127.0.0.1:" + bouncer.port
                        + "/bouncerdb?pgbouncer=true",
                "DB_POOL_SIZE", "4", "DB_MAX_OVERFLOW", "4", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
            PackagedApp.await("ready through PgBouncer", Duration.ofSeconds(30),
                    () -> app.management("/q/health/ready").status() == 200);
            List<Long> products = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Response created = app.post("/api/products", "{\"name\":\"Concurrent " + i + "\",\"price\":" + i + "}");
                assertEquals(201, created.status(), created.body());
                products.add(Long.parseLong(created.body().replaceAll("(?s).*\"id\":(\\d+).*", "$1")));
            }
            assertEquals(201, app.put("/api/users/7101", null).status());
            assertEquals(201, app.post("/api/users/7101/messages", "{\"role\":\"user\",\"content\":\"c\"}").status());

            // 600 reads: 12 clients, 50 each, the three kinds in turn, each answer checked as it comes
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            MessageLoad reads = MessageLoad.of(12, Pace.STANDARD.backingOff(0).each(50), (client, i) -> {
                int n = (client - 1) * 50 + i;
                long product = products.get(n % products.size());
                int kind = n % 3;
                return new Request("read " + kind, () -> {
                    Response r = switch (kind) {
                        case 0 -> app.get("/api/products/" + product);
                        case 1 -> app.get("/api/products?skip=0&limit=3&minPrice=0");
                        default -> app.get("/api/users/7101/messages?limit=5");
                    };
                    boolean right = r.status() == 200 && switch (kind) {
                        case 0 -> r.body().contains("\"id\":" + product + ",");
                        case 1 -> r.body().contains("\"total\":");
                        default -> r.body().contains("\"content\":\"c\"");
                    };
                    if (!right) {
                        wrong.add(kind + ": " + r.status() + " " + r.body());
                    }
                    return r;
                });
            });
            reads.finish(Duration.ofSeconds(60));
            assertEquals(600, reads.results.size(), "reads answered");
            assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + wrong.stream().limit(3).toList());
            assertFalse(app.log().contains("prepared statement"), app.log());

            // What a hot read costs the server through PgBouncer: the prepare and the parse-bind-execute, two
            // transactions, and no SET DateStyle before each of them (four, when the client's DateStyle differs
            // from the one the server reports). The threshold leaves room for background work.
            long before = serverTransactions();
            PackagedApp.await("PgBouncer has seen its server connections close", Duration.ofSeconds(10),
                    () -> bouncerServers() == 0);
            for (int i = 0; i < 200; i++) {
                assertEquals(200, app.get("/api/products/" + products.get(i % products.size())).status());
            }
            long perRead100 = (serverTransactions() - before) * 100 / 200;
            assertTrue(perRead100 <= 300, "server transactions per hot read x100: " + perRead100);
        } finally {
            bouncer.stop();
        }
    }

    /**
     * Transactions the server has counted for bouncerdb (pg_stat_database). A backend reports its counts some
     * seconds after it goes idle, and at once when it ends: so the server connections that PgBouncer holds are
     * ended first (PgBouncer opens new ones when next asked), then the count is read from another database.
     */
    static long serverTransactions() throws Exception {
        try (var connection = postgres.superuser("postgres"); var statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'bouncerdb'");
            PackagedApp.await("the bouncerdb backends ended", Duration.ofSeconds(10), () -> {
                try (var rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bouncerdb'")) {
                    rows.next();
                    return rows.getLong(1) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (var rows = statement.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                    + "WHERE datname = 'bouncerdb'")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Server connections PgBouncer holds for bouncerdb (its admin console, SHOW SERVERS, via psql). */
    static long bouncerServers() {
        try {
            Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", Integer.toString(bouncer.port), "-U",
                    "pgbouncer", "-d", "pgbouncer", "-AtF,", "-c", "SHOW SERVERS").redirectErrorStream(true).start();
            String out = new String(psql.getInputStream().readAllBytes());
            assertEquals(0, psql.waitFor(), out);
            // type,user,database,...
            return out.lines().filter(l -> l.split(",").length > 2 && l.split(",")[2].equals("bouncerdb")).count();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Transactions PgBouncer has passed to the server for bouncerdb (its admin console, SHOW STATS, via psql). */
    static long bouncerTransactions() throws Exception {
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", Integer.toString(bouncer.port), "-U",
                "pgbouncer", "-d", "pgbouncer", "-AtF,", "-c", "SHOW STATS").redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes());
        assertEquals(0, psql.waitFor(), out);
        // database,total_xact_count,...
        return out.lines().filter(l -> l.startsWith("bouncerdb,")).mapToLong(l -> Long.parseLong(l.split(",")[1]))
                .findFirst().orElse(0);
    }
}

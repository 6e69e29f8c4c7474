package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/**
 * The server is up but refuses the service: a password it has not caught up with, a read-only database.
 * Scenarios 7 and 8 of the fault table.
 */
@Tag(Suites.OWNS_SERVERS)
class RefusingDatabaseIT extends FaultScenario {

    /** A password rotation the service has not caught up with: 503 database-refused, readiness DOWN, recovery. */
    @Test
    void refusedCredentialsAnswer503AndRecover() throws Exception {
        long user = 606;
        newUser(user);
        // the readiness lines of this scenario only: a slow first probe at launch may have logged a DOWN/UP pair
        int logBefore = app.log().length();
        postgres.execute("postgres", "ALTER ROLE fault_app PASSWORD 'rotated-elsewhere'");
        double outage;
        int requests;
        try {
            long start = System.nanoTime();
            terminateAppConnections();
            requests = assertRefusedAnswers(user);
            PackagedApp.await("readiness DOWN", Duration.ofSeconds(10),
                    () -> app.management("/q/health/ready").status() == 503);
            String health = app.management("/q/health/ready").body();
            assertFalse(health.contains("fault_app") || health.contains("127.0.0.1") || health.contains("password"),
                    "readiness names no user, host or password: " + health);
            outage = (System.nanoTime() - start) / 1e9;
        } finally {
            postgres.execute("postgres", "ALTER ROLE fault_app PASSWORD '" + PASSWORD + "'");
        }
        long fixed = System.nanoTime();
        PackagedApp.await("writes succeed again", Duration.ofSeconds(15),
                () -> app.post("/api/users/" + user + "/messages", "{\"role\":\"user\",\"content\":\"back\"}")
                        .status() == 201);
        double recovery = (System.nanoTime() - fixed) / 1e9;
        PackagedApp.await("readiness UP", Duration.ofSeconds(10),
                () -> app.management("/q/health/ready").status() == 200);
        String log = app.log();
        assertFalse(log.contains("rotated-elsewhere"), "the new password is not logged either");
        // the many DOWN probes of the outage: one line when it went DOWN, one when it came back, no JSON dumps
        assertFalse(log.contains("SRHCK01001"), "health reports are not logged per probe");
        String scenarioLog = log.substring(logBefore);
        assertEquals(1, scenarioLog.lines().filter(l -> l.contains("Readiness DOWN")).count(), scenarioLog);
        assertEquals(1, scenarioLog.lines().filter(l -> l.contains("Readiness UP")).count(), scenarioLog);
        ROWS.add(String.format("| 7. password rotated (28P01) | %.1f s observed | %.2f s after the fix | %d | 0 "
                + "(all 503 database-refused + Retry-After) | n/a |", outage, recovery, requests));
    }

    /** 20 blocking requests and 20 hot reads: no 500, the last of each a 503 database-refused; @return 40 */
    private int assertRefusedAnswers(long user) {
        int requests = 0;
        int fiveHundreds = 0;
        Response answer = null;
        Response hotRead = null;
        for (int i = 0; i < 20; i++) {
            answer = record(i % 2 == 0 ? app.get("/api/users/" + user)
                    : app.post("/api/users/" + user + "/messages", "{\"role\":\"user\",\"content\":\"r\"}"));
            hotRead = record(app.get("/api/products/1"));
            requests += 2;
            fiveHundreds += (answer.status() == 500 ? 1 : 0) + (hotRead.status() == 500 ? 1 : 0);
        }
        assertEquals(0, fiveHundreds);
        assertEquals(503, hotRead.status(), hotRead.body());
        assertTrue(hotRead.body().contains("database-refused"), "the reactive pool is refused alike: "
                + hotRead.body());
        assertNotNull(hotRead.retryAfter());
        assertEquals(503, answer.status(), answer.body());
        assertNotNull(answer.retryAfter());
        assertTrue(answer.body().contains("database-refused"), answer.body());
        return requests;
    }

    /** default_transaction_read_only on the server: writes 503 database-read-only, reads 200, readiness DOWN. */
    @Test
    void readOnlyDatabaseAnswers503ForWritesAndTurnsReadinessDown() throws Exception {
        long user = 707;
        newUser(user);
        postgres.execute("postgres", "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
        try {
            PackagedApp.await("readiness DOWN for a read-only database", Duration.ofSeconds(10),
                    () -> app.management("/q/health/ready").status() == 503);
            Response write = record(app.post("/api/users/" + user + "/messages",
                    "{\"role\":\"user\",\"content\":\"ro\"}"));
            assertEquals(503, write.status(), write.body());
            assertTrue(write.body().contains("database-read-only"), write.body());
            assertNotNull(write.retryAfter());
            Response upsert = record(app.put("/api/users/" + user, null));
            assertEquals(503, upsert.status(), upsert.body());
            assertEquals(200, record(app.get("/api/users/" + user)).status(), "reads still served");
            assertEquals(200, app.management("/q/health/live").status());
        } finally {
            postgres.execute("postgres", "ALTER SYSTEM RESET default_transaction_read_only",
                    "SELECT pg_reload_conf()");
        }
        PackagedApp.await("readiness UP again", Duration.ofSeconds(10),
                () -> app.management("/q/health/ready").status() == 200);
        assertEquals(201, record(app.post("/api/users/" + user + "/messages",
                "{\"role\":\"user\",\"content\":\"rw\"}")).status());
        ROWS.add("| 8. database read-only (25006) | until reset | readiness UP within the probe interval | 4 | 0 "
                + "(writes 503 database-read-only, reads 200, readiness 503) | n/a |");
    }
}

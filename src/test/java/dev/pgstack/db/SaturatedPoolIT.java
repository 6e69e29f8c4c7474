package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.PackagedApp.Response;
import dev.pgstack.support.Suites;

/**
 * More demand than connections: every pooled connection stuck behind a lock while others wait for one, and a
 * server that refuses new connections while the pool still serves. Scenarios 3+6 and 9 of the fault table.
 */
@Tag(Suites.OWNS_SERVERS)
class SaturatedPoolIT extends FaultScenario {

    @Test
    void exhaustedPoolAndStalledStatementsAnswerFast503sAndRecover() throws Exception {
        long user = 303;
        newUser(user);
        int requests = 10;
        List<Response> results;
        long start;
        boolean healthStayedUp = true;
        try (Connection blocker = lockUser(user)) {
            start = System.nanoTime();
            List<CompletableFuture<Response>> burst = MessageLoad.burst(requests, () -> record(
                    app.request("PUT", "/api/users/" + user + "/settings", "{\"maxHistoryMessages\": 7}")));
            // sampled once the pool is saturated for sure: every connection of the JDBC pool serves a request
            // waiting on the lock (3: DB_POOL_SIZE 2 + DB_MAX_OVERFLOW 3 is shared, 3 JDBC + 2 reactive), the
            // others wait for a connection (a fixed pause could sample before that, while the probe itself still
            // waited for a connection)
            awaitAppBackendsWaitingOnALock(3, Duration.ofSeconds(2));
            healthStayedUp &= app.management("/q/health/live").status() == 200;
            healthStayedUp &= app.management("/q/health/ready").status() == 200;
            results = MessageLoad.answers(burst);
            blocker.rollback();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long served503 = results.stream().filter(r -> r.status() == 503 && r.retryAfter() != null).count();
        assertTrue(healthStayedUp, "liveness and readiness stay UP while the pool is saturated");
        assertEquals(requests, served503, "every blocked or starved request is a 503 with Retry-After: "
                + results.stream().map(Response::status).toList());
        assertTrue(results.stream().anyMatch(r -> r.body().contains("lock-timeout")),
                "some requests ran into the lock timeout: " + results);
        assertTrue(results.stream().anyMatch(r -> r.body().contains("pool-exhausted")),
                "some requests found no pooled connection");
        assertTrue(elapsed < 2.0 + 2.5, "answers within the lock and acquisition timeouts (+ margin): " + elapsed);

        // recovery: the same write succeeds, and every connection is back in the pool, healthy
        assertEquals(200, record(app.request("PUT", "/api/users/" + user + "/settings",
                "{\"maxHistoryMessages\": 7}")).status());
        PackagedApp.await("pool idle", Duration.ofSeconds(5),
                () -> app.management("/q/db/pool", "admin", "ops").body().contains("\"active\" : 0"));
        String pool = app.management("/q/db/pool", "admin", "ops").body();
        assertTrue(pool.matches("(?s).*\"acquireTimeouts\" : [1-9].*"), pool);
        ROWS.add(String.format("| 3+6. exhaustion (10 concurrent > max 5) and stalled statements (lock held) | "
                + "lock held %.1f s | immediate | %d | 0 (all 10 were fast 503s) | n/a (no write acknowledged) |", elapsed,
                requests + 1));
    }

    /** The server refuses new connections (role connection limit reached) while the pool serves: stay ready. */
    @Test
    void readinessStaysUpWhileTheServerRefusesNewConnectionsButThePoolServes() throws Exception {
        long user = 808;
        newUser(user);
        int open = appConnections();
        postgres.execute("postgres", "ALTER ROLE fault_app CONNECTION LIMIT " + Math.max(1, open));
        try {
            for (int i = 0; i < 10; i++) {
                assertEquals(200, app.management("/q/health/ready").status(), app.management("/q/health/ready")
                        .body());
                assertEquals(200, record(app.get("/api/users/" + user)).status());
                // time itself: "stays UP" is a claim over a period, here 10 probes over a second
                Thread.sleep(100);
            }
        } finally {
            postgres.execute("postgres", "ALTER ROLE fault_app CONNECTION LIMIT -1");
        }
        ROWS.add("| 9. server refuses new connections, pool serves | none | n/a | 10 | 0 (readiness stayed UP) | n/a |");
    }
}

package dev.pgstack.db.connection;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.PackagedApp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The primary's JDBC connections dropped at once, as when its host stops answering (db.connection.PoolSuspension):
 * the idle ones must leave the pool with their sockets. An aborted connection still in the pool was handed to the
 * next request within the validation interval, failed to join its transaction (Agroal's "Failed to enlist", no
 * SQLSTATE) and answered 500. The server itself is fine here, so a request is served on a new connection, or
 * answered 503 when none came in time; never 500. And the pool counts right afterwards: an aborted connection left
 * in it (Agroal's flush of idle ones stops at the minimum size) made Agroal count one active connection too few
 * for good, -1 with all idle (and TransactionPerRequestTest fail after this test in the same application).
 */
@QuarkusTest
class SuspendedJdbcPoolTest {

    @Inject
    JdbcConnections jdbc;

    @Inject
    AgroalDataSource pool;

    @Inject
    ConnectionSlots slots;

    @Test
    void requestsRightAfterTheConnectionsAreDroppedAreServedOrAnswered503NeverFailedAs500() throws InterruptedException {
        everyPooledConnectionJustUsed();
        int minSize = pool.getConfiguration().connectionPoolConfiguration().minSize();
        try {
            jdbc.abortAll();
            assertEquals(0, pool.getConfiguration().connectionPoolConfiguration().minSize(), "nothing kept meanwhile");
            // the server itself is fine here: a new connection serves the request, or none came in time (503)
            for (int i = 0; i < 3; i++) {
                String name = "suspended-" + UUID.randomUUID();
                Response created = given().contentType(ContentType.JSON).body(Map.of("name", name))
                        .post("/api/categories");
                assertServedOr503(created, 201);
                Response listed = given().get("/api/categories");
                assertServedOr503(listed, 200);
                if (created.statusCode() == 503 && listed.statusCode() == 200) {
                    assertFalse(listed.asString().contains(name), "a refused write left nothing behind");
                }
            }
        } finally {
            jdbc.resume();
        }
        assertEquals(minSize, pool.getConfiguration().connectionPoolConfiguration().minSize(), "its minimum again");
        given().contentType(ContentType.JSON).body(Map.of("name", "resumed-" + UUID.randomUUID()))
                .post("/api/categories").then().statusCode(201);
        given().get("/api/categories").then().statusCode(200);
        // the response can be on the wire a moment before the connection is back
        PackagedApp.within(Duration.ofSeconds(1), Duration.ofMillis(20), () -> pool.getMetrics().activeCount() == 0);
        assertEquals(0, pool.getMetrics().activeCount(), "Agroal's count of connections in use, all requests done");
    }

    /**
     * The fleet's share of the server can change while the primary does not answer (the census runs on its own
     * schedule): the pool must still keep nothing until it answers, and keep its minimum (within the share) after.
     */
    @Test
    void aShareChangedWhileSuspendedKeepsNothingUntilTheHostAnswers() throws InterruptedException {
        var sizes = pool.getConfiguration().connectionPoolConfiguration();
        int minSize = sizes.minSize();
        everyPooledConnectionJustUsed();
        try {
            jdbc.abortAll();
            slots.share(minSize + 1, Integer.MAX_VALUE);
            assertEquals(0, sizes.minSize(), "nothing kept while the host does not answer");
        } finally {
            jdbc.resume();
            assertEquals(minSize, sizes.minSize(), "its minimum again, within the share");
            slots.share(Integer.MAX_VALUE, Integer.MAX_VALUE);
        }
        assertEquals(minSize, sizes.minSize());
        // resumed at once, before the pool's housekeeping ran abortAll's flush: no aborted connection left in it
        everyPooledConnectionJustUsed();
        PackagedApp.within(Duration.ofSeconds(1), Duration.ofMillis(20), () -> pool.getMetrics().activeCount() == 0);
        assertEquals(0, pool.getMetrics().activeCount(), "Agroal's count of connections in use, all requests done");
    }

    /** Reads at once from more clients than the pool's minimum: no connection idle long enough to be validated. */
    private static void everyPooledConnectionJustUsed() {
        for (int round = 0; round < 3; round++) {
            IntStream.range(0, 8).parallel()
                    .forEach(i -> given().get("/api/categories").then().statusCode(200));
        }
    }

    private static void assertServedOr503(Response response, int served) {
        if (response.statusCode() != served) {
            assertEquals(503, response.statusCode(), response.asString());
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        }
    }
}

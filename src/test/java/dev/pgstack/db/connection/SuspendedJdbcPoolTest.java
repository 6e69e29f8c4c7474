package dev.pgstack.db.connection;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The primary's JDBC connections dropped at once, as when its host stops answering (db.connection.PoolSuspension):
 * the idle ones must leave the pool with their sockets. An aborted connection still in the pool was handed to the
 * next request within the validation interval, failed to join its transaction (Agroal's "Failed to enlist", no
 * SQLSTATE) and answered 500. The server itself is fine here, so a request is served on a new connection, or
 * answered 503 when none came in time; never 500.
 */
@QuarkusTest
class SuspendedJdbcPoolTest {

    @Inject
    JdbcConnections jdbc;


    @Test
    void requestsRightAfterTheConnectionsAreDroppedAreServedOrAnswered503NeverFailedAs500() {
        for (int i = 0; i < 5; i++) {
            given().get("/api/categories").then().statusCode(200); // idle connections in the pool, just used
        }
        try {
            jdbc.abortAll();
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
        given().contentType(ContentType.JSON).body(Map.of("name", "resumed-" + UUID.randomUUID()))
                .post("/api/categories").then().statusCode(201);
        given().get("/api/categories").then().statusCode(200);
    }

    private static void assertServedOr503(Response response, int served) {
        if (response.statusCode() != served) {
            assertEquals(503, response.statusCode(), response.asString());
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        }
    }
}

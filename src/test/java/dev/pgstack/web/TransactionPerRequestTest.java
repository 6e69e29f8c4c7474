package dev.pgstack.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgstack.support.Ids;
import dev.pgstack.support.PackagedApp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** One transaction per request: commit on success, rollback on any exception, the connection always returned. */
@QuarkusTest
class TransactionPerRequestTest {

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void everyConnectionIsBackInThePool() throws InterruptedException {
        // the response can be on the wire a moment before the connection is released
        PackagedApp.within(Duration.ofSeconds(1), Duration.ofMillis(20),
                () -> dataSource.getMetrics().activeCount() == 0);
        assertEquals(0, dataSource.getMetrics().activeCount(), "connections still checked out");
    }

    @ParameterizedTest
    @ValueSource(strings = { "runtime", "checked", "database" })
    void aRequestThatFailsAfterWritingLeavesNothingBehind(String failure) throws Exception {
        long id = Ids.newUserId();

        int status = given().post("/test-support/failing-writes/{kind}/{id}", failure, id).then()
                .contentType("application/problem+json")
                .body(not(containsString("Exception")))
                .body(not(containsString("INSERT")))
                .extract().statusCode();

        org.junit.jupiter.api.Assertions.assertTrue(status >= 400, "status " + status);
        assertEquals(0, count("SELECT count(*) FROM users WHERE id = ?", id));
        assertEquals(0, count("SELECT count(*) FROM messages WHERE user_id = ?", id));
        given().get("/api/users/{id}", id).then().statusCode(404);
    }

    @Test
    void aSuccessfulRequestIsCommitted() throws Exception {
        long id = Ids.newUserId();
        given().put("/api/users/{id}", id).then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"kept\"}")
                .post("/api/users/{id}/messages", id).then().statusCode(201);

        assertEquals(1, count("SELECT count(*) FROM users WHERE id = ?", id));
        assertEquals(1, count("SELECT count(*) FROM messages WHERE user_id = ? AND deleted_at IS NULL", id));
    }

    @Test
    void manyFailedRequestsDoNotLeakConnections() {
        for (int i = 0; i < 60; i++) {
            given().post("/test-support/failing-writes/runtime/{id}", Ids.newUserId()).then().statusCode(500);
            given().contentType(ContentType.JSON).body("{bad").post("/api/users/{id}/messages", 1).then()
                    .statusCode(400);
            given().get("/api/users/{id}", Ids.newUserId()).then().statusCode(404);
        }
        given().get("/api/users/{id}", Ids.newUserId()).then().statusCode(404).body("status", equalTo(404));
    }

    private long count(String sql, long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

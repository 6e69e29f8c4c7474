package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Admin;
import dev.pgstack.support.Ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * No connection within the acquisition timeout: the request gets a fast 503 with Retry-After, and readiness stays
 * UP (an exhausted pool is saturation, not death: quarkusio/quarkus #41515), then everything recovers.
 */
@QuarkusTest
@TestProfile(PoolExhaustionTest.SmallPool.class)
class PoolExhaustionTest {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.max-size", "2", "quarkus.datasource.jdbc.min-size", "0",
                    "pgstack.pool.acquisition-timeout", "1S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void exhaustedPoolAnswers503WithRetryAfterAndStaysReady() throws Exception {
        long id = Ids.newUserId();
        given().put("/api/users/{id}", id).then().statusCode(201);

        List<Connection> held = new ArrayList<>();
        try {
            held.add(dataSource.getConnection());
            held.add(dataSource.getConnection());
            assertEquals(2, dataSource.getMetrics().activeCount());

            long start = System.nanoTime();
            io.restassured.response.Response refused = given().get("/api/users/{id}", id);
            refused.then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503));
            assertEquals(1, refused.headers().getValues("Retry-After").size(), "exactly one Retry-After");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs < 3_000, "503 took " + elapsedMs + " ms; acquisition timeout is 1 s");

            given().get(ready).then().statusCode(200)
                    .body("checks.find { it.name == 'database' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'database' }.data.poolSaturated", equalTo(true))
                    .body("checks.find { it.name == 'database' }.data.poolActive", equalTo(2));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }

        given().get("/api/users/{id}", id).then().statusCode(200).body("id", equalTo(id));
        given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'database' }.data.poolSaturated", equalTo(false));
        assertEquals(0, dataSource.getMetrics().activeCount());
        given().auth().preemptive().basic(Admin.USER, Admin.PASSWORD).get(pool).then().statusCode(200)
                .body("'<default>'.acquireTimeouts", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @TestHTTPResource(value = "/db/pool", management = true)
    URL pool;
}

package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The probes an orchestrator scrapes, on the management port only. */
@QuarkusTest
class HealthEndpointsTest {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/started", management = true)
    URL started;

    @TestHTTPResource(value = "/health", management = true)
    URL all;

    @Test
    void livenessIsUpAndDoesNotReportTheDatabase() {
        given().get(live).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("database")));
    }

    @Test
    void readinessRunsSelectOneAndReportsThePool() {
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.status", equalTo("UP"))
                // measured in ms, and within the probe's own timeout (pgstack.health.timeout, 2 s), or it would be
                // DOWN (no injection here: HealthEndpointsIT runs these against the packaged jar)
                .body("checks.find { it.name == 'database' }.data.latencyMs",
                        org.hamcrest.Matchers.allOf(greaterThanOrEqualTo(0), org.hamcrest.Matchers.lessThan(2000)))
                .body("checks.find { it.name == 'database' }.data.poolMax", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'database' }.data.poolActive", equalTo(0))
                .body("checks.find { it.name == 'database' }.data.poolSaturated", equalTo(false))
                .body("checks.find { it.name == 'Graceful Shutdown' }.status", equalTo("UP"));
    }

    @Test
    void startupIsUpOnceMigrationsRan() {
        given().get(started).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database-startup' }.data.schemaVersion", notNullValue());
    }

    @Test
    void overallHealthHasAllChecksAndNoPassword() {
        String body = given().get(all).then().statusCode(200).body("status", equalTo("UP"))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.toLowerCase().contains("password"), body);
    }

    @Test
    void healthIsNotServedOnThePublicPort() {
        given().get("/q/health/ready").then().statusCode(404);
    }
}

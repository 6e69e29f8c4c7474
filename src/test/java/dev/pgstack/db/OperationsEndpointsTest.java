package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;


import java.net.URL;


import org.junit.jupiter.api.Test;

import dev.pgstack.support.Admin;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's view on the management port: pool, server connections, migrations, metrics. */
@QuarkusTest
class OperationsEndpointsTest {

    static final String USER = Admin.USER;
    static final String PASSWORD = Admin.PASSWORD;

    @TestHTTPResource(value = "/db/pool", management = true)
    URL pool;

    @TestHTTPResource(value = "/db/connections", management = true)
    URL connections;

    @TestHTTPResource(value = "/db/migrations", management = true)
    URL migrations;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void withoutCredentialsTheAnswerIs401WithAChallenge() {
        for (URL url : new URL[] { pool, connections, migrations }) {
            given().get(url).then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                    .contentType("application/problem+json").body("status", equalTo(401));
            given().auth().preemptive().basic(USER, "wrong").get(url).then().statusCode(401);
            given().auth().preemptive().basic("intruder", PASSWORD).get(url).then().statusCode(401);
            given().header("Authorization", "Basic !!!not-base64").get(url).then().statusCode(401);
            given().header("Authorization", "Bearer " + PASSWORD).get(url).then().statusCode(401);
        }
    }

    @Test
    void poolFiguresPerDatasource() {
        given().auth().preemptive().basic(USER, PASSWORD).get(pool).then().statusCode(200)
                .contentType("application/json")
                .body("'<default>'.max", greaterThan(0))
                .body("'<default>'.min", greaterThanOrEqualTo(0))
                .body("'<default>'", hasKey("active"))
                .body("'<default>'", hasKey("available"))
                .body("'<default>'", hasKey("awaiting"))
                .body("'<default>'.created", greaterThan(0))
                .body("'<default>'", hasKey("destroyed"))
                .body("'<default>'", hasKey("invalidated"))
                .body("'<default>'", hasKey("leakDetected"))
                .body("'<default>'", hasKey("maxUsed"))
                .body("'<default>'.acquired", greaterThan(0))
                .body("'<default>'", hasKey("acquireTimeouts"))
                .body("'<default>'.reactive.max", greaterThan(0))
                .body("'<default>'.reactive.open", greaterThanOrEqualTo(0));
    }

    @Test
    void connectionsSummariseTheServersViewByApplicationName() {
        given().get("/api/users/1"); // make sure the pool has been used
        given().auth().preemptive().basic(USER, PASSWORD).get(connections).then().statusCode(200)
                .body("'<default>'.total", greaterThan(0))
                .body("'<default>'.byApplication", hasKey("pgstack"))
                .body("'<default>'.oldestTransactionSeconds", greaterThanOrEqualTo(0f))
                .body("'<default>'.serverMaxConnections", greaterThan(0));
    }

    @Test
    void migrationsListWhatRanAndWhatIsPending() {
        given().auth().preemptive().basic(USER, PASSWORD).get(migrations).then().statusCode(200)
                .body("'<default>'.current", equalTo("8"))
                .body("'<default>'.applied", hasSize(8))
                .body("'<default>'.applied[0].version", equalTo("1"))
                .body("'<default>'.applied[0].success", equalTo(true))
                .body("'<default>'.applied[0].installedOn", notNullValue())
                .body("'<default>'.pending", empty());
    }

    @Test
    void metricsHavePoolHttpJvmAndPgstackSeries() {
        given().get("/api/users/1");
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        for (String series : new String[] { "agroal_active_count", "agroal_available_count",
                "agroal_awaiting_count", "http_server_requests_seconds_count", "jvm_memory_used_bytes",
                "process_cpu_usage", "pgstack_ready 1.0", "pgstack_pool_acquire_timeouts_total",
                "pgstack_schema_version 8.0" }) {
            org.junit.jupiter.api.Assertions.assertTrue(text.contains(series), "missing " + series);
        }
        org.junit.jupiter.api.Assertions.assertFalse(text.contains(PASSWORD));
    }

    @Test
    void requestsThatMatchNoResourceMethodAreRecordedUnderATemplateNotTheirRawPath() {
        long id = 987_654_321_123L;
        given().contentType("text/plain").body("x").put("/api/users/" + id + "/settings"); // 415
        given().accept("text/html").get("/api/users/" + id); // 406
        given().post("/api/users/" + id); // 405
        given().options("/api/users/" + id + "/messages"); // OPTIONS
        given().get("/api/nothing/" + id); // 404
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(text.contains(Long.toString(id)),
                "a raw id in a uri tag:\n" + text.lines().filter(l -> l.contains(Long.toString(id))).toList());
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("uri=\"/api/users/{id}\""), "templated uri");
    }

    @Test
    void nothingOfThisAnswersOnThePublicPort() {
        for (String path : new String[] { "/q/db/pool", "/q/db/connections", "/q/db/migrations", "/q/metrics",
                "/q/health" }) {
            given().auth().preemptive().basic(USER, PASSWORD).get(path).then().statusCode(404);
        }
    }
}

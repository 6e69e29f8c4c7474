package dev.pgstack.db;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without PGSTACK_ADMIN_PASSWORD the operations endpoints do not exist; health stays open. */
@QuarkusTest
@TestProfile(OperationsDisabledTest.NoAdminPassword.class)
class OperationsDisabledTest {

    public static class NoAdminPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgstack.admin.password", "");
        }
    }

    @TestHTTPResource(value = "/db/pool", management = true)
    URL pool;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void endpointsAnswer404AndHealthStaysOpen() {
        given().get(pool).then().statusCode(404);
        given().auth().preemptive().basic("admin", "anything").get(pool).then().statusCode(404);
        given().get(ready).then().statusCode(200);
    }
}

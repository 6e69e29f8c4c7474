package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgstack.db.config.DatabaseEnvironment;
import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import dev.pgstack.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** SQL_ECHO=debug: statements and pool events in the log, and never the password. */
@QuarkusTest
@TestProfile(SqlEchoTest.EchoDebug.class)
public class SqlEchoTest {

    /** What DatabaseEnvironment produces for SQL_ECHO=debug (environment variables cannot be set in-process). */
    public static class EchoDebug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(
                    DatabaseEnvironment.translate(Map.of("SQL_ECHO", "debug", "DB_SLOW_QUERY_MS", "100"), new dev.pgstack.db.config.DatabaseEnvironment.PoolSizes(2, 20)));
            return config;
        }
    }

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    @Test
    void aStatementSlowerThanTheThresholdIsAWarningWithItsDuration() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("SELECT pg_sleep(0.2)").getSingleResult());

        String all = String.join("\n", log.lines());
        assertTrue(all.matches("(?s).*Slow SQL took [0-9.]+ ms \\(threshold 100 ms\\): SELECT pg_sleep\\(0\\.2\\).*"),
                all);
    }

    @Test
    void statementsAndPoolEventsAreLoggedWithoutThePassword() {
        given().put("/api/users/{id}", Ids.newUserId()).then().statusCode(201);

        String all = String.join("\n", log.lines());
        assertTrue(all.matches("(?s).*dev\\.pgstack\\.sql SQL [0-9.]+ ms: INSERT INTO users.*"), all);
        assertTrue(all.contains("pool checkout"), all);
        assertTrue(all.contains("pool checkin"), all);
        assertFalse(all.contains("password=postgres") || all.contains(":postgres@"), all);
    }

    @Test
    void theHotReadsOnTheReactiveClientAreEchoedToo() {
        long user = Api.newUser();
        Api.postMessage(user, "user", "echoed");
        log.clear();
        given().get("/api/users/{id}/messages?limit=5", user).then().statusCode(200);

        String all = String.join("\n", log.lines());
        assertTrue(all.matches("(?s).*dev\\.pgstack\\.sql SQL [0-9.]+ ms: SELECT m\\.id, m\\.role.*FROM users u LEFT JOIN LATERAL.*"),
                all);
        assertFalse(all.contains("echoed"), "bound values are never logged: " + all);
    }
}

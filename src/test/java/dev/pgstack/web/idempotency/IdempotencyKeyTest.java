package dev.pgstack.web.idempotency;

import static dev.pgstack.support.Api.newUser;
import static dev.pgstack.support.Api.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Ids;
import dev.pgstack.support.PackagedApp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** API.md "Safe retries": the same key replays, a different request under it is 422, one in flight is 409. */
@QuarkusTest
class IdempotencyKeyTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IdempotencyKeys keys;

    static Response postMessage(long user, String key, String content) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"role\":\"user\",\"content\":\"" + content + "\"}")
                .post("/api/users/{id}/messages", user);
    }

    @Test
    void theSameKeyReplaysTheStoredAnswerAndWritesNothing() throws Exception {
        long user = newUser();
        String key = "retry-" + UUID.randomUUID();
        Response first = postMessage(user, key, "hello");
        first.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        Response again = postMessage(user, key, "hello");
        again.then().statusCode(201).header("Idempotent-Replayed", equalTo("true"))
                .contentType(ContentType.JSON)
                .body("id", equalTo(first.path("id")))
                .body("createdAt", equalTo(first.path("createdAt")));
        assertEquals(first.header("Location"), again.header("Location"));
        // whitespace is not a different request
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{ \"role\" : \"user\", \"content\" : \"hello\" }")
                .post("/api/users/{id}/messages", user).then().statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"));
        assertEquals(1, count("SELECT count(*) FROM messages WHERE user_id = ?", user));
    }

    @Test
    void anotherBodyOrPathUnderTheSameKeyIs422() throws Exception {
        long user = newUser();
        long other = newUser();
        String key = "reuse-" + UUID.randomUUID();
        postMessage(user, key, "one").then().statusCode(201);
        postMessage(user, key, "two").then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:pgstack:problem:idempotency-key-reused"));
        postMessage(other, key, "one").then().statusCode(422);
        assertEquals(1, count("SELECT count(*) FROM messages WHERE user_id = ?", user));
        assertEquals(0, count("SELECT count(*) FROM messages WHERE user_id = ?", other));
    }

    @Test
    void aKeyStillInFlightIs409() throws Exception {
        long user = newUser();
        String key = "flight-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, IdempotencyKeys.lockId(key)); // as if another request with this key were running
            lock.execute();
            postMessage(user, key, "x").then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("urn:pgstack:problem:idempotency-key-in-flight"));
            try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, IdempotencyKeys.lockId(key));
                unlock.execute();
            }
        }
        postMessage(user, key, "x").then().statusCode(201);
    }

    @Test
    void errorAnswersAreNotStoredSoTheRetryRuns() throws Exception {
        long user = Ids.newUserId();
        String key = "error-" + UUID.randomUUID();
        postMessage(user, key, "early").then().statusCode(404);
        given().put("/api/users/{id}", user).then().statusCode(201);
        postMessage(user, key, "early").then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(1, count("SELECT count(*) FROM messages WHERE user_id = ?", user));
    }

    @Test
    void keysMustBeVisibleAsciiOfAtMost255() {
        long user = newUser();
        for (String bad : List.of("", "with space", "x".repeat(256), "tab\there", "caf\u00e9")) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", bad)
                    .body("{\"role\":\"user\",\"content\":\"k\"}")
                    .post("/api/users/{id}/messages", user).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].field", equalTo("Idempotency-Key"));
        }
        postMessage(user, "x".repeat(255), "k").then().statusCode(201);
    }

    @Test
    void aKeySentTwiceIs400AndWritesNothing() throws Exception {
        long user = newUser();
        given().contentType(ContentType.JSON).header("Idempotency-Key", "twice-a").header("Idempotency-Key", "twice-b")
                .body("{\"role\":\"user\",\"content\":\"k\"}")
                .post("/api/users/{id}/messages", user).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("Idempotency-Key"))
                .body("violations[0].message", equalTo("must be sent once"));
        assertEquals(0, count("SELECT count(*) FROM messages WHERE user_id = ?", user));
    }

    @Test
    void everyPostHonoursTheKey() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        record Post(String path, String body) {
        }
        long company = given().contentType(ContentType.JSON).body("{\"name\":\"idem-co-" + suffix + "\"}")
                .post("/api/companies").then().statusCode(201).extract().jsonPath().getLong("id");
        for (Post p : List.of(new Post("/api/categories", "{\"name\":\"idem-cat-" + suffix + "\"}"),
                new Post("/api/products", "{\"name\":\"idem\",\"price\":1}"),
                new Post("/api/products/bulk", "[{\"name\":\"idem\",\"price\":1},{\"name\":\"idem2\",\"price\":2}]"),
                new Post("/api/companies", "{\"name\":\"idem-co2-" + suffix + "\"}"),
                new Post("/api/companies/" + company + "/storage",
                        "{\"key\":\"a/b\",\"sizeBytes\":1,\"contentType\":\"text/plain\"}"),
                new Post("/api/agents", "{\"name\":\"a\",\"model\":\"m\"}"))) {
            String key = "every-" + UUID.randomUUID();
            String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(p.body())
                    .post(p.path()).then().statusCode(201).extract().asString();
            // without the key the second one would be a 409 (unique names) or a second row
            String again = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(p.body())
                    .post(p.path()).then().statusCode(201).header("Idempotent-Replayed", equalTo("true"))
                    .extract().asString();
            assertEquals(first, again, p.path());
        }
    }

    @Test
    void expiredKeysRunAgainAndAreCleanedUp() throws Exception {
        long user = newUser();
        String key = "old-" + UUID.randomUUID();
        postMessage(user, key, "then").then().statusCode(201);
        try (Connection c = dataSource.getConnection(); PreparedStatement age = c.prepareStatement(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ?")) {
            age.setString(1, key);
            assertEquals(1, age.executeUpdate());
        }
        postMessage(user, key, "now").then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertEquals(2, count("SELECT count(*) FROM messages WHERE user_id = ?", user));

        try (Connection c = dataSource.getConnection(); PreparedStatement age = c.prepareStatement(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ?")) {
            age.setString(1, key);
            age.executeUpdate();
        }
        keys.removeExpired();
        PackagedApp.await("expired key removed", Duration.ofSeconds(5), () -> {
            try {
                return count("SELECT count(*) FROM idempotency_keys WHERE key = ?", key) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private long count(String sql, Object parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

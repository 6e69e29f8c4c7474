package dev.pgstack.chat;

import static dev.pgstack.support.Api.newUser;
import static dev.pgstack.support.Api.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The conversation store as API.md specifies it: users, settings, messages with soft delete. */
@QuarkusTest
class ConversationApiTest {

    static final String RFC3339_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    // ---- users ----

    @Test
    void putCreatesAUserWith201ThenTouchesItWith200() {
        long id = Ids.newUserId();

        String createdAt = given().put("/api/users/{id}", id).then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("createdAt", matchesPattern(RFC3339_UTC))
                .body("updatedAt", matchesPattern(RFC3339_UTC))
                .extract().path("createdAt");
        String updatedAt = given().contentType(ContentType.JSON).body("{}").put("/api/users/{id}", id).then()
                .statusCode(200)
                .body("createdAt", equalTo(createdAt))
                .extract().path("updatedAt");

        assertNotEquals(createdAt, updatedAt);
        given().get("/api/users/{id}", id).then().statusCode(200)
                .body("id", equalTo(id)).body("createdAt", equalTo(createdAt)).body("updatedAt", equalTo(updatedAt));
    }

    /** API.md: the PUT body is none or {}: any of these is what clients send for "no body". */
    @ParameterizedTest
    @ValueSource(strings = { "", "{}", " { } ", "null" })
    void putAcceptsNoBodyOrAnEmptyObject(String body) {
        long id = Ids.newUserId();
        given().contentType(ContentType.JSON).body(body).put("/api/users/{id}", id).then().statusCode(201);
        given().contentType(ContentType.URLENC).put("/api/users/{id}", id).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\": \"x\"}", "[]", "42", "{", "{} {}" })
    void putWithAnyOtherBodyIs400AndCreatesNothing(String body) {
        long id = Ids.newUserId();
        given().contentType(ContentType.JSON).body(body).put("/api/users/{id}", id).then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        given().contentType(ContentType.TEXT).body("hello").put("/api/users/{id}", id).then().statusCode(415)
                .contentType("application/problem+json");
        given().get("/api/users/{id}", id).then().statusCode(404);
    }

    @Test
    void unknownUserIs404Problem() {
        long id = Ids.newUserId();
        given().get("/api/users/{id}", id).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString(Long.toString(id)))
                .body("instance", equalTo("/api/users/" + id));
        given().delete("/api/users/{id}", id).then().statusCode(404);
        given().get("/api/users/{id}/settings", id).then().statusCode(404);
        given().put("/api/users/{id}/settings", id).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 3}")
                .put("/api/users/{id}/settings", id).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"hi\"}")
                .post("/api/users/{id}/messages", id).then().statusCode(404);
        given().get("/api/users/{id}/messages", id).then().statusCode(404);
        given().delete("/api/users/{id}/messages", id).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-5", "abc", "1.5", "9223372036854775808", "99999999999999999999999" })
    void invalidUserIdsAre400(String id) {
        given().get("/api/users/" + id).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("id"));
        given().put("/api/users/" + id).then().statusCode(400);
    }

    @Test
    void largestPositive64BitIdWorks() {
        String id = Long.toString(Long.MAX_VALUE);
        given().delete("/api/users/" + id);
        given().put("/api/users/" + id).then().statusCode(201).body("id", equalTo(Long.MAX_VALUE));
        given().delete("/api/users/" + id).then().statusCode(204);
    }

    @Test
    void deleteRemovesUserWithMessagesAndSettings() {
        long id = newUser();
        postMessage(id, "user", "hello");
        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 7}")
                .put("/api/users/{id}/settings", id).then().statusCode(200);

        given().delete("/api/users/{id}", id).then().statusCode(204);

        given().get("/api/users/{id}", id).then().statusCode(404);
        given().get("/api/users/{id}/messages", id).then().statusCode(404);
        // re-created, the user starts from nothing: old messages and settings went with the delete
        given().put("/api/users/{id}", id).then().statusCode(201);
        given().get("/api/users/{id}/messages", id).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/users/{id}/settings", id).then().statusCode(200).body("maxHistoryMessages", equalTo(20));
    }

    // ---- settings ----

    @Test
    void settingsDefaultUntilStoredThenUpsert() {
        long id = newUser();

        given().get("/api/users/{id}/settings", id).then().statusCode(200)
                .body("userId", equalTo(id))
                .body("maxHistoryMessages", equalTo(20))
                .body("systemPrompt", nullValue());

        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 5, \"systemPrompt\": \"Be brief.\"}")
                .put("/api/users/{id}/settings", id).then().statusCode(200)
                .body("userId", equalTo(id))
                .body("maxHistoryMessages", equalTo(5))
                .body("systemPrompt", equalTo("Be brief."))
                .body("createdAt", matchesPattern(RFC3339_UTC))
                .body("updatedAt", matchesPattern(RFC3339_UTC));

        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 1000, \"systemPrompt\": null}")
                .put("/api/users/{id}/settings", id).then().statusCode(200)
                .body("maxHistoryMessages", equalTo(1000))
                .body("systemPrompt", nullValue());
        given().get("/api/users/{id}/settings", id).then().statusCode(200)
                .body("maxHistoryMessages", equalTo(1000));
    }

    @Test
    void systemPromptOfExactly10000CharactersIsAccepted() {
        long id = newUser();
        given().contentType(ContentType.JSON)
                .body(java.util.Map.of("maxHistoryMessages", 1, "systemPrompt", "p".repeat(10_000)))
                .put("/api/users/{id}/settings", id).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"maxHistoryMessages\": 0}",
            "{\"maxHistoryMessages\": 1001}",
            "{\"maxHistoryMessages\": -1}",
            "{\"maxHistoryMessages\": \"ten\"}",
            "{\"maxHistoryMessages\": 1.5}",
            "{\"maxHistoryMessages\": 99999999999}",
            "{\"maxHistoryMessages\": 5, \"systemPrompt\": 12}",
            "{\"maxHistoryMessages\": 5, \"systemPrompt\": \"a\\u0000b\"}",
            "{\"maxHistoryMessages\": 5, \"colour\": \"red\"}",
            "[1, 2]",
            "\"text\"",
            "{\"maxHistoryMessages\": 5",
            "",
    })
    void badSettingsAre400AndChangeNothing(String body) {
        long id = newUser();
        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 9, \"systemPrompt\": \"keep\"}")
                .put("/api/users/{id}/settings", id).then().statusCode(200);

        given().contentType(ContentType.JSON).body(body).put("/api/users/{id}/settings", id).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", notNullValue())
                .body(not500Leak());

        given().get("/api/users/{id}/settings", id).then()
                .body("maxHistoryMessages", equalTo(9)).body("systemPrompt", equalTo("keep"));
    }

    @Test
    void systemPromptOver10000CharactersNamesTheField() {
        long id = newUser();
        given().contentType(ContentType.JSON)
                .body(java.util.Map.of("maxHistoryMessages", 5, "systemPrompt", "p".repeat(10_001)))
                .put("/api/users/{id}/settings", id).then().statusCode(400)
                .body("violations.field", contains("systemPrompt"));
    }

    // ---- messages ----

    @Test
    void postMessageAnswers201WithLocationAndAllFields() {
        long id = newUser();
        String location = given().contentType(ContentType.JSON)
                .body("{\"role\": \"assistant\", \"content\": \"héllo wörld\"}")
                .post("/api/users/{id}/messages", id).then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                .body("userId", equalTo(id))
                .body("role", equalTo("assistant"))
                .body("content", equalTo("héllo wörld"))
                .body("contentLength", equalTo(11))
                .body("createdAt", matchesPattern(RFC3339_UTC))
                .header("Location", containsString("/api/users/" + id + "/messages/"))
                .extract().header("Location");

        given().get(location.substring(location.indexOf("/api/"))).then().statusCode(200)
                .body("content", equalTo("héllo wörld"));
    }

    @Test
    void historyIsNewestFirstAndLimited() {
        long id = newUser();
        for (int i = 1; i <= 5; i++) {
            postMessage(id, i % 2 == 0 ? "assistant" : "user", "m" + i);
        }

        given().get("/api/users/{id}/messages", id).then().statusCode(200)
                .body("content", contains("m5", "m4", "m3", "m2", "m1"))
                .body("userId", everyItem(equalTo(id)));
        given().get("/api/users/{id}/messages?limit=2", id).then().statusCode(200)
                .body("content", contains("m5", "m4"));
    }

    @Test
    void defaultLimitIsTheUsersMaxHistoryMessages() {
        long id = newUser();
        for (int i = 1; i <= 4; i++) {
            postMessage(id, "user", "m" + i);
        }
        given().contentType(ContentType.JSON).body("{\"maxHistoryMessages\": 3}")
                .put("/api/users/{id}/settings", id).then().statusCode(200);

        given().get("/api/users/{id}/messages", id).then().statusCode(200)
                .body("content", contains("m4", "m3", "m2"));
        given().get("/api/users/{id}/messages?limit=4", id).then().statusCode(200).body("$", hasSize(4));
    }

    @Test
    void defaultHistoryIsTwentyMessages() {
        long id = newUser();
        for (int i = 1; i <= 21; i++) {
            postMessage(id, "user", "m" + i);
        }
        given().get("/api/users/{id}/messages", id).then().statusCode(200)
                .body("$", hasSize(20)).body("[0].content", equalTo("m21")).body("[19].content", equalTo("m2"));
    }

    @Test
    void deleteMessagesSoftDeletesOnlyActiveOnesAndCountsThem() {
        long id = newUser();
        long other = newUser();
        postMessage(id, "user", "a");
        String kept = postMessage(id, "assistant", "b");
        postMessage(other, "user", "not mine");

        given().delete("/api/users/{id}/messages", id).then().statusCode(200)
                .contentType(ContentType.JSON).body("deleted", equalTo(2));
        given().get("/api/users/{id}/messages", id).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/users/{id}/messages/{m}", id, kept).then().statusCode(404);
        given().delete("/api/users/{id}/messages", id).then().statusCode(200).body("deleted", equalTo(0));
        // the other user's history is untouched
        given().get("/api/users/{id}/messages", other).then().body("content", contains("not mine"));

        postMessage(id, "user", "after");
        given().get("/api/users/{id}/messages", id).then().body("content", contains("after"));
    }

    @Test
    void contentOfExactly100000CharactersIsAccepted() {
        long id = newUser();
        given().contentType(ContentType.JSON)
                .body(java.util.Map.of("role", "user", "content", "x".repeat(100_000)))
                .post("/api/users/{id}/messages", id).then().statusCode(201).body("contentLength", equalTo(100_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"role\": \"user\"}",
            "{\"content\": \"hi\"}",
            "{\"role\": \"user\", \"content\": \"\"}",
            "{\"role\": \"robot\", \"content\": \"hi\"}",
            "{\"role\": \"USER\", \"content\": \"hi\"}",
            "{\"role\": null, \"content\": \"hi\"}",
            "{\"role\": \"user\", \"content\": null}",
            "{\"role\": \"user\", \"content\": 42}",
            "{\"role\": \"user\", \"content\": [\"hi\"]}",
            "{\"role\": \"user\", \"content\": {\"text\": \"hi\"}}",
            "{\"role\": \"user\", \"content\": \"nul\\u0000byte\"}",
            "{\"role\": \"user\", \"content\": \"hi\", \"id\": \"00000000-0000-0000-0000-000000000000\"}",
            "{\"role\": \"user\", \"content\": \"hi\"",
            "{\"role\": \"user\", \"content\": \"hi\"}}",
            "{'role': 'user', 'content': 'hi'}",
            "null",
            "[]",
            "",
    })
    void badMessagesAre400ProblemsAndStoreNothing(String body) {
        long id = newUser();

        given().contentType(ContentType.JSON).body(body).post("/api/users/{id}/messages", id).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("status", equalTo(400))
                .body("instance", equalTo("/api/users/" + id + "/messages"))
                .body(not500Leak());

        given().get("/api/users/{id}/messages", id).then().body("$", hasSize(0));
    }

    @Test
    void validationProblemListsEveryViolatedField() {
        long id = newUser();
        given().contentType(ContentType.JSON).body("{\"role\": \"robot\", \"content\": \"\"}")
                .post("/api/users/{id}/messages", id).then().statusCode(400)
                .body("violations.field", contains("content", "role"))
                .body("violations.message", hasItem(containsString("system, user, assistant")));
    }

    @Test
    void contentOver100000CharactersIs400() {
        long id = newUser();
        given().contentType(ContentType.JSON).body(java.util.Map.of("role", "user", "content", "x".repeat(100_001)))
                .post("/api/users/{id}/messages", id).then().statusCode(400)
                .body("violations.field", contains("content"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "1001", "-1", "ten", "1e3", "" + Long.MAX_VALUE })
    void badLimitIs400(String limit) {
        long id = newUser();
        given().get("/api/users/{id}/messages?limit=" + limit, id).then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("limit"));
    }

    @Test
    void wrongContentTypeIs415() {
        long id = newUser();
        given().contentType(ContentType.TEXT).body("role=user&content=hi")
                .post("/api/users/{id}/messages", id).then().statusCode(415)
                .contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        long id = newUser();
        given().patch("/api/users/{id}", id).then().statusCode(405)
                .contentType("application/problem+json").body("status", equalTo(405));
        given().get("/api/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().get("/api/users/{id}/messages/not-a-uuid", id).then().statusCode(400)
                .body("violations.field", contains("messageId"));
    }

    @Test
    void bodyOverTheLimitIs413Problem() {
        long id = newUser();
        String huge = "{\"role\": \"user\", \"content\": \"" + "x".repeat(1_100_000) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/users/{id}/messages", id).then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
        given().get("/api/users/{id}/messages", id).then().body("$", hasSize(0));
    }

    @Test
    void sqlMetacharactersAreStoredVerbatim() {
        long id = newUser();
        String nasty = "'); DROP TABLE messages; -- \\ % _ $1 ?";
        postMessage(id, "user", nasty);
        given().get("/api/users/{id}/messages", id).then().body("content", equalTo(List.of(nasty)));
    }

    @Test
    void apiIsNotOnTheManagementPortAndHealthIsNotOnThePublicPort() {
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        long id = newUser();
        given().get("/api/users/{id}", id).then().statusCode(200);
        String management = "http://" + managementHealth.getHost() + ":" + managementHealth.getPort();
        given().get(management + "/q/health").then().statusCode(200);
        given().get(management + "/api/users/" + id).then().statusCode(404);
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/health", management = true)
    java.net.URL managementHealth;

    static org.hamcrest.Matcher<Object> not500Leak() {
        return org.hamcrest.Matchers.not(org.hamcrest.Matchers.anyOf(
                org.hamcrest.Matchers.hasToString(containsString("Exception")),
                org.hamcrest.Matchers.hasToString(containsString("insert into")),
                org.hamcrest.Matchers.hasToString(containsString("at dev.pgstack"))));
    }

}

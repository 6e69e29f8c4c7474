package dev.pgstack.web;

import static dev.pgstack.support.Api.newCompany;
import static dev.pgstack.support.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Text is Unicode, counted in characters (code points) as PostgreSQL counts them; JSON is read strictly (no
 * duplicate keys, no invalid UTF-8); numbers come back as the database stores them.
 */
@QuarkusTest
class StrictInputTest {

    static final String EMOJI = "\uD83D\uDE00"; // one character, two UTF-16 units

    @Test
    void loneSurrogatesAre400AndNothingIsStored() {
        long user = newUser();
        for (String content : List.of("pay \\ud83d now", "\\udc00", "end \\ud800")) {
            given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"" + content + "\"}")
                    .post("/api/users/{id}/messages", user).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].field", equalTo("content"))
                    .body("detail", containsString("Unicode"));
        }
        given().get("/api/users/{id}/messages", user).then().statusCode(200).body("size()", equalTo(0));

        long company = newCompany();
        given().contentType(ContentType.JSON).body("{\"key\":\"k\\ud800\",\"sizeBytes\":1,\"contentType\":\"a/b\"}")
                .post("/api/companies/{id}/storage", company).then().statusCode(400)
                .body("violations[0].field", equalTo("key"));
        // a proper pair written as escapes is one valid character
        given().contentType(ContentType.JSON).body("{\"key\":\"k\\ud83d\\ude00\",\"sizeBytes\":1,\"contentType\":\"a/b\"}")
                .post("/api/companies/{id}/storage", company).then().statusCode(201).body("key", equalTo("k" + EMOJI));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\\ud800\"}").patch("/api/companies/{id}", company)
                .then().statusCode(400).body("violations[0].field", equalTo("name"));
    }

    @Test
    void invalidUtf8IncludingOverlongFormsIs400() throws Exception {
        long company = newCompany();
        // C0 AF is an overlong "/", ED A0 80 an encoded surrogate, FF never appears in UTF-8
        for (byte[] bad : List.of(new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0,
                (byte) 0x80 }, new byte[] { (byte) 0xFF })) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write("{\"key\":\"a".getBytes(StandardCharsets.US_ASCII));
            body.write(bad);
            body.write("b\",\"sizeBytes\":1,\"contentType\":\"a/b\"}".getBytes(StandardCharsets.US_ASCII));
            given().contentType("application/json").body(body.toByteArray())
                    .post("/api/companies/{id}/storage", company).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("UTF-8"));
        }
        given().get("/api/companies/{id}/storage", company).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        long user = newUser();
        given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"" + EMOJI + "\"}")
                .post("/api/users/{id}/messages", user).then().statusCode(201).body("contentLength", equalTo(1));
        // 100,000 emoji are 100,000 characters: at the limit, not over it
        given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"" + EMOJI.repeat(100_000) + "\"}")
                .post("/api/users/{id}/messages", user).then().statusCode(201).body("contentLength", equalTo(100_000));
        given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"" + EMOJI.repeat(100_001) + "\"}")
                .post("/api/users/{id}/messages", user).then().statusCode(400)
                .body("violations[0].field", equalTo("content"));

        String base = UUID.randomUUID().toString().substring(0, 4);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + base + EMOJI.repeat(96) + "\"}")
                .post("/api/categories").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + base + EMOJI.repeat(97) + "\"}")
                .post("/api/categories").then().statusCode(400).body("violations[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + EMOJI.repeat(100) + "\",\"price\":1}")
                .post("/api/products").then().statusCode(201);
    }

    static Stream<Arguments> recordWrites() {
        return Stream.of(
                Arguments.of("POST", "/api/categories", "{\"name\":\"a\",\"name\":\"b\"}"),
                Arguments.of("POST", "/api/products", "{\"name\":\"a\",\"price\":1,\"price\":2}"),
                Arguments.of("POST", "/api/products/bulk", "[{\"name\":\"a\",\"name\":\"b\",\"price\":1}]"),
                Arguments.of("PATCH", "/api/products?maxPrice=1", "{\"price\":1,\"price\":2}"),
                Arguments.of("POST", "/api/companies", "{\"name\":\"a\",\"name\":\"b\"}"),
                Arguments.of("POST", "/api/agents", "{\"name\":\"a\",\"model\":\"m\",\"model\":\"n\"}"),
                Arguments.of("POST", "/api/users/1/messages", "{\"role\":\"user\",\"role\":\"user\",\"content\":\"x\"}"),
                Arguments.of("PUT", "/api/users/1/settings", "{\"maxHistoryMessages\":1,\"maxHistoryMessages\":2}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordWrites")
    void duplicateKeysAre400Problems(String method, String path, String body) {
        given().contentType(ContentType.JSON).body(body).request(method, path).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("same field twice"));
    }

    @Test
    void duplicateKeysInPatchesOfOneResourceAre400() {
        long product = given().contentType(ContentType.JSON).body("{\"name\":\"dup\",\"price\":1}")
                .post("/api/products").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"name\":\"b\"}")
                .patch("/api/products/{id}", product).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/products/{id}", product).then().body("name", equalTo("dup"));
    }

    @Test
    void pricesAnswerAsStoredOnWritesAndReads() {
        String created = given().contentType(ContentType.JSON).body("{\"name\":\"p\",\"price\":1e2}")
                .post("/api/products").then().statusCode(201).extract().asString();
        assertTrue(created.contains("\"price\":100.00"), created);
        long id = io.restassured.path.json.JsonPath.from(created).getLong("id");
        String read = given().get("/api/products/{id}", id).then().statusCode(200).extract().asString();
        assertTrue(read.contains("\"price\":100.00"), read);
        String patched = given().contentType(ContentType.JSON).body("{\"price\":5E0}")
                .patch("/api/products/{id}", id).then().statusCode(200).extract().asString();
        assertTrue(patched.contains("\"price\":5.00"), patched);
        assertEquals(read.replace("100.00", "5.00").substring(0, 10), patched.substring(0, 10));
    }
}

package dev.pgstack.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Garbage of every kind, across the API: each one a 4xx problem+json, never a 5xx, and the database unchanged
 * (checked through the listing counts before and after).
 */
@QuarkusTest
class HostileInputTest {

    static final byte[] INVALID_UTF8 = { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"',
            '}' };

    static Stream<Arguments> hostileBodies() {
        String big = "9".repeat(400);
        return Stream.of(
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1", "truncated JSON"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\" \"price\": 1}", "missing comma"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": NaN}", "NaN"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": " + big + "}", "huge number"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1, \"quantity\": 2147483648}",
                        "int overflow"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1, \"categoryId\": 9223372036854775808}",
                        "long overflow"),
                Arguments.of("POST", "/api/products", "{\"name\": [\"x\"], \"price\": 1}", "array for string"),
                Arguments.of("POST", "/api/products", "{\"name\": {\"$ne\": 1}, \"price\": 1}", "object for string"),
                Arguments.of("POST", "/api/products", "{\"name\": true, \"price\": 1}", "boolean for string"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": true}", "boolean for number"),
                Arguments.of("POST", "/api/products", "{\"name\": \"a\\u0000b\", \"price\": 1}", "NUL byte"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1, \"id\": 5}", "unknown field id"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1}{}", "two documents"),
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"name\": \"y\", \"price\": -1}",
                        "duplicate keys, bad value"),
                Arguments.of("POST", "/api/products", "\uFEFF{", "BOM then garbage"),
                Arguments.of("POST", "/api/products/bulk", "[{\"name\": \"x\", \"price\": 1}, 42]", "number in array"),
                Arguments.of("POST", "/api/products/bulk", "{\"items\": []}", "object for array"),
                Arguments.of("POST", "/api/categories", "{\"name\": \"" + "x".repeat(101) + "\"}", "too long"),
                Arguments.of("POST", "/api/companies", "{\"name\": \"'); DROP TABLE companies; --\", \"x\": 1}",
                        "SQL with unknown field"),
                Arguments.of("POST", "/api/agents", "{\"name\": \"a\", \"model\": \"m\", \"companyId\": \"1 OR 1=1\"}",
                        "SQL in id"),
                Arguments.of("PATCH", "/api/products?maxPrice=1", "{\"price\": \"free\"}", "string for number"),
                Arguments.of("PATCH", "/api/products?maxPrice=1", "[]", "array for object"),
                Arguments.of("PUT", "/api/users/1/settings", "{\"maxHistoryMessages\": 1e400}", "exponent overflow"),
                Arguments.of("POST", "/api/users/1/messages", "{\"role\": \"user\", \"content\": \"\\ud800\"}",
                        "lone surrogate"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("hostileBodies")
    void hostileBodiesAre4xxProblemsAndWriteNothing(String method, String path, String body, String what) {
        long before = productCount();
        Response r = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .request(method, path);
        assertProblem(r, what);
        org.junit.jupiter.api.Assertions.assertEquals(before, productCount(), what + " changed the products");
    }

    static Stream<Arguments> hostileRequests() {
        return Stream.of(
                Arguments.of("GET", "/api/users/9223372036854775808", "id beyond 64 bits"),
                Arguments.of("GET", "/api/users/-9223372036854775808", "most negative id"),
                Arguments.of("GET", "/api/users/1e3", "exponent id"),
                Arguments.of("GET", "/api/users/0x10", "hex id"),
                Arguments.of("GET", "/api/users/%20", "blank id"),
                Arguments.of("GET", "/api/users/1%00", "NUL in path"),
                Arguments.of("GET", "/api/products/0;DROP", "semicolon in path"),
                Arguments.of("GET", "/api/../q/health", "dot-dot to management paths"),
                Arguments.of("GET", "/api/products?limit=abc&limit=1", "repeated parameter, first bad"),
                Arguments.of("GET", "/api/products?sort=price%3BDROP%20TABLE%20products", "SQL in sort"),
                Arguments.of("GET", "/api/products?minPrice=NaN", "NaN price"),
                Arguments.of("GET", "/api/products?q=" + "a".repeat(3000), "huge query string"),
                Arguments.of("GET", "/api/companies/1/storage?prefix=%00", "NUL in prefix"),
                Arguments.of("DELETE", "/api/products?outOfStock=yes%20please", "odd boolean"),
                Arguments.of("PUT", "/api/products/1", "wrong method"),
                Arguments.of("TRACE", "/api/products", "TRACE"),
                Arguments.of("GET", "/api/nope/../../etc/passwd", "path traversal"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("hostileRequests")
    void hostileRequestsAre4xxProblems(String method, String path, String what) {
        long before = productCount();
        Response r = given().urlEncodingEnabled(false).request(method, path);
        org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() >= 400 && r.statusCode() < 500,
                what + ": status " + r.statusCode());
        org.junit.jupiter.api.Assertions.assertEquals(before, productCount(), what + " changed the products");
        if (r.statusCode() != 414) { // Vert.x refuses over-long request lines before any handler runs
            assertProblem(r, what);
        }
    }

    @Test
    void invalidUtf8Is400() {
        long id = Ids.newUserId();
        given().put("/api/users/{id}", id).then().statusCode(201);
        Response r = given().contentType("application/json; charset=UTF-8").body(INVALID_UTF8)
                .post("/api/categories");
        assertProblem(r, "invalid UTF-8");
    }

    @Test
    void wrongContentTypesAre415() {
        for (String type : new String[] { "text/plain", "application/xml", "application/octet-stream",
                "multipart/form-data; boundary=x" }) {
            given().contentType(type).body("name=x".getBytes(StandardCharsets.UTF_8)).post("/api/categories").then()
                    .statusCode(415)
                    .contentType("application/problem+json");
        }
    }

    static Stream<Arguments> numbersBeyondTheirType() {
        return Stream.of(
                Arguments.of("POST", "/api/products", "{\"name\": \"x\", \"price\": 1, \"quantity\": 3000000000}",
                        "quantity", "must be at most 2147483647"),
                Arguments.of("POST", "/api/products/bulk",
                        "[{\"name\": \"x\", \"price\": 1}, {\"name\": \"y\", \"price\": 1, \"quantity\": -3000000000}]",
                        "[1].quantity", "must be >= 0"), // the field's own rule, not the int range
                Arguments.of("PATCH", "/api/products/{product}", "{\"quantity\": 99999999999}", "quantity",
                        "2147483647"),
                Arguments.of("POST", "/api/agents",
                        "{\"name\": \"a\", \"model\": \"m\", \"companyId\": 9223372036854775808}", "companyId",
                        "9223372036854775807"),
                Arguments.of("PUT", "/api/users/{user}/settings", "{\"maxHistoryMessages\": 3000000000}",
                        "maxHistoryMessages", "must be between 1 and 1000"));
    }

    /** Valid JSON whose number does not fit the field: a validation problem naming the field, not "not JSON". */
    @ParameterizedTest(name = "{3}")
    @MethodSource("numbersBeyondTheirType")
    void numbersBeyondTheirTypeNameTheField(String method, String path, String body, String field, String bound) {
        long user = Ids.newUserId();
        given().put("/api/users/{id}", user).then().statusCode(201);
        int product = given().contentType(ContentType.JSON).body("{\"name\": \"n\", \"price\": 1, \"quantity\": 7}")
                .post("/api/products").then().statusCode(201).extract().path("id");
        long before = productCount();
        Response r = given().contentType(ContentType.JSON).body(body)
                .request(method, path.replace("{product}", String.valueOf(product)).replace("{user}", String.valueOf(user)));
        assertProblem(r, field);
        r.then().statusCode(400).body("type", equalTo("urn:pgstack:problem:validation"))
                .body("violations[0].field", equalTo(field))
                .body("violations[0].message", containsString(bound));
        org.junit.jupiter.api.Assertions.assertEquals(before, productCount(), field + " changed the products");
        given().get("/api/products/{id}", product).then().body("quantity", equalTo(7));
    }

    static void assertProblem(Response r, String what) {
        org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() >= 400 && r.statusCode() < 500,
                what + ": status " + r.statusCode() + " " + r.asString());
        r.then().contentType("application/problem+json").body("status", equalTo(r.statusCode()))
                .body(not(containsString("Exception"))).body(not(containsString("at dev.")))
                .body(not(containsString("select "))).body(not(containsString("insert ")));
    }

    static long productCount() {
        return ((Number) given().get("/api/products?limit=1").then().statusCode(200).extract().path("total"))
                .longValue();
    }
}

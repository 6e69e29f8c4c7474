package dev.pgstack.web.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The OpenAPI document, generated from the resources, describes the whole contract of API.md: every path with
 * its methods, the problem answers, Retry-After on 503 and Idempotency-Key on POSTs. Served on the management
 * port only.
 */
@QuarkusTest
class OpenApiTest {

    /** Every path and method of API.md (v1). */
    static final Map<String, List<String>> CONTRACT = Map.ofEntries(
            Map.entry("/api/users/{id}", List.of("put", "get", "delete")),
            Map.entry("/api/users/{id}/settings", List.of("get", "put")),
            Map.entry("/api/users/{id}/messages", List.of("post", "get", "delete")),
            Map.entry("/api/categories", List.of("post", "get")),
            Map.entry("/api/products", List.of("post", "get", "patch", "delete")),
            Map.entry("/api/products/{id}", List.of("get", "patch", "delete")),
            Map.entry("/api/products/bulk", List.of("post")),
            Map.entry("/api/companies", List.of("post", "get")),
            Map.entry("/api/companies/{id}", List.of("get", "patch", "delete")),
            Map.entry("/api/companies/{id}/storage", List.of("post", "get")),
            Map.entry("/api/companies/{id}/storage/{objectId}", List.of("get", "delete")),
            Map.entry("/api/agents", List.of("post", "get")),
            Map.entry("/api/agents/{id}", List.of("get", "patch", "delete")));

    @TestHTTPResource(value = "/openapi", management = true)
    java.net.URL openapi;

    @Test
    void theDocumentListsEveryPathAndMethodOfTheContract() {
        JsonPath doc = given().queryParam("format", "json").get(openapi).then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        for (Map.Entry<String, List<String>> path : CONTRACT.entrySet()) {
            assertTrue(paths.containsKey(path.getKey()), "missing path " + path.getKey() + " in " + paths.keySet());
            for (String method : path.getValue()) {
                assertTrue(paths.get(path.getKey()).containsKey(method), "missing " + method + " " + path.getKey());
            }
        }
    }

    @Test
    void operationsDescribeProblemsRetryAfterAndIdempotencyKeys() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body("components.schemas.Problem.properties.violations.type", equalTo("array"))
                .body("paths.'/api/users/{id}/messages'.post.responses.'503'.headers.'Retry-After'", notNullValue())
                .body("paths.'/api/users/{id}/messages'.post.responses.'404'.content.'application/problem+json'",
                        notNullValue())
                .body("paths.'/api/users/{id}/messages'.post.parameters.name", hasItem("Idempotency-Key"))
                .body("paths.'/api/users/{id}/messages'.get.parameters.name", hasItem("Pgstack-Read-After"))
                .body("paths.'/api/users/{id}/messages'.post.responses.'201'.headers", hasKey("Pgstack-Read-After"))
                .body("paths.'/api/products/{id}'.delete.responses", hasKey("204"))
                .body("paths.'/api/users/{id}/messages'.delete.responses", hasKey("200"))
                .body("paths.'/api/users/{id}'.put.responses", hasKey("201"))
                .body("paths.'/api/products'.post.responses.'422'", notNullValue())
                .body("info.title", equalTo("pgstack"));
    }

    @Test
    void theDocumentIsNotOnThePublicPort() {
        given().get("/q/openapi").then().statusCode(404);
    }
}

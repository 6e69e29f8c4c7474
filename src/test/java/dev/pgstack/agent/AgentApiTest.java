package dev.pgstack.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgstack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Agents as API.md specifies them. */
@QuarkusTest
class AgentApiTest {

    static long agent(Map<String, Object> body) {
        return ((Number) given().contentType(ContentType.JSON).body(body).post("/api/agents").then()
                .statusCode(201).extract().path("id")).longValue();
    }

    @Test
    void agentLifecycle() {
        long company = Api.newCompany();
        Map<String, Object> body = new HashMap<>(Map.of("name", "seo writer", "companyId", company,
                "model", "gpt-4o", "systemPrompt", "Write well."));
        long id = ((Number) given().contentType(ContentType.JSON).body(body).post("/api/agents").then()
                .statusCode(201).header("Location", notNullValue())
                .body("name", equalTo("seo writer")).body("companyId", equalTo((int) company))
                .body("model", equalTo("gpt-4o")).body("systemPrompt", equalTo("Write well."))
                .body("createdAt", notNullValue()).extract().path("id")).longValue();

        given().get("/api/agents/{id}", id).then().statusCode(200).body("model", equalTo("gpt-4o"));
        given().contentType(ContentType.JSON).body("{\"model\": \"claude\", \"systemPrompt\": null}")
                .patch("/api/agents/{id}", id).then().statusCode(200)
                .body("model", equalTo("claude")).body("systemPrompt", nullValue())
                .body("name", equalTo("seo writer")).body("companyId", equalTo((int) company));
        given().contentType(ContentType.JSON).body("{\"companyId\": null}").patch("/api/agents/{id}", id).then()
                .statusCode(200).body("companyId", nullValue());
        given().delete("/api/agents/{id}", id).then().statusCode(204);
        given().get("/api/agents/{id}", id).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/agents/{id}", id).then().statusCode(404);
    }

    @Test
    void agentsWithoutCompanyAndFilterByCompany() {
        long company = Api.newCompany();
        long mine = agent(Map.of("name", "mine", "companyId", company, "model", "m"));
        long free = agent(Map.of("name", "free", "model", "m"));

        given().get("/api/agents/{id}", free).then().body("companyId", nullValue());
        given().get("/api/agents?companyId={c}", company).then().statusCode(200)
                .body("id", contains((int) mine)).body("companyId", everyItem(equalTo((int) company)));
        given().get("/api/agents").then().statusCode(200).body("id", hasItem((int) free));
        given().get("/api/agents?companyId=abc").then().statusCode(400)
                .body("violations.field", contains("companyId"));
    }

    @Test
    void unknownCompanyIsA400NamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("name", "n", "companyId", Long.MAX_VALUE, "model", "m"))
                .post("/api/agents").then().statusCode(400).body("violations.field", contains("companyId"));
        long id = agent(Map.of("name", "n", "model", "m"));
        given().contentType(ContentType.JSON).body(Map.of("companyId", Long.MAX_VALUE))
                .patch("/api/agents/{id}", id).then().statusCode(400).body("violations.field", contains("companyId"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"model\": \"m\"}", "{\"name\": \"n\"}", "{\"name\": \"\", \"model\": \"m\"}",
            "{\"name\": \"n\", \"model\": 4}", "{\"name\": \"n\", \"model\": \"m\", \"companyId\": -1}",
            "{\"name\": \"n\", \"model\": \"m\", \"temperature\": 0.2}", "[]", "{\"name\": \"n\"," })
    void badAgentsAre400(String body) {
        given().contentType(ContentType.JSON).body(body).post("/api/agents").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"name\": null}", "{\"model\": null}", "{\"model\": \"\"}", "{\"x\": 1}" })
    void badPatchesAre400AndChangeNothing(String body) {
        long id = agent(Map.of("name", "keep", "model", "keep-model"));
        given().contentType(ContentType.JSON).body(body).patch("/api/agents/{id}", id).then().statusCode(400);
        given().get("/api/agents/{id}", id).then().body("name", equalTo("keep")).body("model", equalTo("keep-model"));
    }

    @Test
    void nameAndModelOver100CharactersAre400() {
        given().contentType(ContentType.JSON).body(Map.of("name", "n".repeat(101), "model", "m".repeat(101)))
                .post("/api/agents").then().statusCode(400).body("violations.field", contains("model", "name"));
    }
}

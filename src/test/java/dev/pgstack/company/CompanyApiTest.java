package dev.pgstack.company;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Companies with their storage objects, as API.md specifies them. */
@QuarkusTest
class CompanyApiTest {

    static Map<String, Object> object(String key, long size) {
        Map<String, Object> body = new HashMap<>(Map.of("key", key, "sizeBytes", size, "contentType", "text/plain"));
        return body;
    }

    static long addObject(long company, String key) {
        return ((Number) given().contentType(ContentType.JSON).body(object(key, 10))
                .post("/api/companies/{id}/storage", company).then().statusCode(201).extract().path("id"))
                .longValue();
    }

    @Test
    void companyLifecycle() {
        String name = Ids.unique("Acme");
        long id = ((Number) given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/companies")
                .then().statusCode(201)
                .header("Location", notNullValue())
                .body("name", equalTo(name)).body("createdAt", notNullValue()).body("updatedAt", notNullValue())
                .extract().path("id")).longValue();

        given().get("/api/companies/{id}", id).then().statusCode(200).body("name", equalTo(name));
        String renamed = Ids.unique("Acme Two");
        given().contentType(ContentType.JSON).body(Map.of("name", renamed)).patch("/api/companies/{id}", id).then()
                .statusCode(200).body("name", equalTo(renamed));
        given().delete("/api/companies/{id}", id).then().statusCode(204);
        given().get("/api/companies/{id}", id).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/companies/{id}", id).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).patch("/api/companies/{id}", id).then()
                .statusCode(404);
    }

    @Test
    void duplicateNamesAre409OnCreateAndRename() {
        String taken = Ids.unique("Taken");
        Api.company(taken);
        given().contentType(ContentType.JSON).body(Map.of("name", taken)).post("/api/companies").then()
                .statusCode(409).contentType("application/problem+json").body("detail", equalTo("name: already exists"));
        long other = Api.company(Ids.unique("Other"));
        given().contentType(ContentType.JSON).body(Map.of("name", taken)).patch("/api/companies/{id}", other).then()
                .statusCode(409);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"name\": \"\"}", "{\"name\": null}", "{\"name\": 1}", "{\"name\": \"a\", \"x\": 1}",
            "nope" })
    void badCompaniesAre400(String body) {
        given().contentType(ContentType.JSON).body(body).post("/api/companies").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** PATCH as for products and agents: only the fields sent change, {@code {}} changes nothing. */
    @Test
    void patchChangesOnlyTheFieldsSent() {
        String name = Ids.unique("Patchy");
        long id = Api.company(name);
        given().contentType(ContentType.JSON).body("{}").patch("/api/companies/{id}", id).then().statusCode(200)
                .body("name", equalTo(name));
        for (String bad : new String[] { "{\"name\": null}", "{\"name\": \" \"}", "{\"name\": 7}", "{\"x\": 1}", "[]",
                "{\"name\": \"" + "n".repeat(201) + "\"}" }) {
            given().contentType(ContentType.JSON).body(bad).patch("/api/companies/{id}", id).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().get("/api/companies/{id}", id).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void companyNameOver200CharactersIs400() {
        given().contentType(ContentType.JSON).body(Map.of("name", "n".repeat(201))).post("/api/companies").then()
                .statusCode(400).body("violations.field", contains("name"));
    }

    @Test
    void companiesArePaginated() {
        Api.company(Ids.unique("Page A"));
        Api.company(Ids.unique("Page B"));
        given().get("/api/companies?skip=0&limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("total", greaterThanOrEqualTo(2))
                .body("skip", equalTo(0)).body("limit", equalTo(1));
        given().get("/api/companies?limit=0").then().statusCode(400).body("violations.field", contains("limit"));
        given().get("/api/companies?skip=-3").then().statusCode(400).body("violations.field", contains("skip"));
    }

    @Test
    void storageObjectsAreUniquePerCompanyListedByKeyAndFilteredByPrefix() {
        long company = Api.company(Ids.unique("Storage"));
        long other = Api.company(Ids.unique("Storage other"));
        addObject(company, "reports/2026/b.pdf");
        addObject(company, "reports/2026/a.pdf");
        addObject(company, "reports/2025/z.pdf");
        addObject(company, "images/logo.png");
        addObject(other, "reports/2026/a.pdf"); // same key, other company: fine

        given().contentType(ContentType.JSON).body(object("images/logo.png", 1))
                .post("/api/companies/{id}/storage", company).then().statusCode(409)
                .body("detail", equalTo("key: already exists"));

        given().get("/api/companies/{id}/storage", company).then().statusCode(200)
                .body("total", equalTo(4))
                .body("items.key", contains("images/logo.png", "reports/2025/z.pdf", "reports/2026/a.pdf",
                        "reports/2026/b.pdf"));
        given().get("/api/companies/{id}/storage?prefix=reports/2026/", company).then()
                .body("total", equalTo(2)).body("items.key", contains("reports/2026/a.pdf", "reports/2026/b.pdf"))
                .body("items.companyId", contains((int) company, (int) company));
        given().get("/api/companies/{id}/storage?prefix=reports/&skip=1&limit=1", company).then()
                .body("total", equalTo(3)).body("items.key", contains("reports/2026/a.pdf"));
        given().get("/api/companies/{id}/storage?prefix=%25", company).then().body("total", equalTo(0));
        given().get("/api/companies/{id}/storage?prefix=_", company).then().body("total", equalTo(0));
    }

    @Test
    void storageObjectReadAndDelete() {
        long company = Api.company(Ids.unique("Objects"));
        Map<String, Object> body = object("a/b.txt", 42);
        body.put("checksum", "sha256:abc");
        long id = ((Number) given().contentType(ContentType.JSON).body(body)
                .post("/api/companies/{id}/storage", company).then().statusCode(201)
                .body("key", equalTo("a/b.txt")).body("sizeBytes", equalTo(42))
                .body("contentType", equalTo("text/plain")).body("checksum", equalTo("sha256:abc"))
                .body("companyId", equalTo((int) company)).body("createdAt", notNullValue())
                .extract().path("id")).longValue();
        long noChecksum = addObject(company, "c.txt");
        given().get("/api/companies/{c}/storage/{o}", company, noChecksum).then().body("checksum", nullValue());

        given().get("/api/companies/{c}/storage/{o}", company, id).then().statusCode(200).body("sizeBytes",
                equalTo(42));
        long other = Api.company(Ids.unique("Not the owner"));
        given().get("/api/companies/{c}/storage/{o}", other, id).then().statusCode(404);
        given().delete("/api/companies/{c}/storage/{o}", other, id).then().statusCode(404);
        given().delete("/api/companies/{c}/storage/{o}", company, id).then().statusCode(204);
        given().get("/api/companies/{c}/storage/{o}", company, id).then().statusCode(404);
    }

    @Test
    void storageOfAnUnknownCompanyIs404() {
        given().get("/api/companies/{id}/storage", Long.MAX_VALUE).then().statusCode(404);
        given().contentType(ContentType.JSON).body(object("k", 1))
                .post("/api/companies/{id}/storage", Long.MAX_VALUE).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"sizeBytes\": 1, \"contentType\": \"text/plain\"}",
            "{\"key\": \"\", \"sizeBytes\": 1, \"contentType\": \"text/plain\"}",
            "{\"key\": \"k\", \"sizeBytes\": -1, \"contentType\": \"text/plain\"}",
            "{\"key\": \"k\", \"sizeBytes\": \"big\", \"contentType\": \"text/plain\"}",
            "{\"key\": \"k\", \"sizeBytes\": 1}",
            "{\"key\": \"k\", \"sizeBytes\": 1, \"contentType\": \"not a type\"}",
            "{\"key\": \"k\", \"sizeBytes\": 1, \"contentType\": \"text/plain\", \"owner\": 1}",
            "{\"key\": \"k\", \"sizeBytes\": 99999999999999999999, \"contentType\": \"text/plain\"}" })
    void badStorageObjectsAre400(String body) {
        long company = Api.company(Ids.unique("Bad objects"));
        given().contentType(ContentType.JSON).body(body).post("/api/companies/{id}/storage", company).then()
                .statusCode(400).contentType("application/problem+json");
        given().get("/api/companies/{id}/storage", company).then().body("total", equalTo(0));
    }

    @Test
    void keyOver1024CharactersIs400() {
        long company = Api.company(Ids.unique("Long key"));
        given().contentType(ContentType.JSON).body(object("k".repeat(1025), 1))
                .post("/api/companies/{id}/storage", company).then().statusCode(400)
                .body("violations.field", contains("key"));
        given().contentType(ContentType.JSON).body(object("k".repeat(1024), 1))
                .post("/api/companies/{id}/storage", company).then().statusCode(201);
    }

    @Test
    void deletingACompanyRemovesItsAgentsAndStorageObjects() {
        long company = Api.company(Ids.unique("Doomed"));
        long object = addObject(company, "doomed.txt");
        long agent = ((Number) given().contentType(ContentType.JSON)
                .body(Map.of("name", "helper", "companyId", company, "model", "gpt")).post("/api/agents").then()
                .statusCode(201).extract().path("id")).longValue();

        given().delete("/api/companies/{id}", company).then().statusCode(204);

        given().get("/api/agents/{id}", agent).then().statusCode(404);
        given().get("/api/agents?companyId={id}", company).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/companies/{c}/storage/{o}", company, object).then().statusCode(404);
    }
}

package dev.pgstack.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every 201 with a {@code Location} names a resource that answers 200 with what the 201 answered. */
@QuarkusTest
class LocationHeadersTest {

    @Test
    void everyCreatedResourceIsFoundAtItsLocation() {
        long user = Ids.newUserId();
        given().put("/api/users/{id}", user).then().statusCode(201);
        String suffix = Ids.unique("loc");
        followsLocation(post("/api/categories", Map.of("name", "cat " + suffix)));
        followsLocation(post("/api/products", Map.of("name", "p " + suffix, "price", 2)));
        Response company = post("/api/companies", Map.of("name", "co " + suffix));
        followsLocation(company);
        long companyId = company.jsonPath().getLong("id");
        followsLocation(post("/api/companies/" + companyId + "/storage",
                Map.of("key", "k/" + suffix, "sizeBytes", 1, "contentType", "text/plain")));
        followsLocation(post("/api/agents", Map.of("name", "a", "model", "m", "companyId", companyId)));
        followsLocation(post("/api/users/" + user + "/messages", Map.of("role", "user", "content", "hi")));
    }

    private static Response post(String path, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(201).extract()
                .response();
    }

    private static void followsLocation(Response created) {
        String location = created.header("Location");
        assertNotNull(location, "no Location in " + created.asString());
        Map<String, Object> found = given().get(location).then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(created.jsonPath().getMap(""), found, location);
    }
}

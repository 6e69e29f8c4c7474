package dev.pgstack.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;

/** Test fixtures made through the public API, one place for every area: users, messages, catalog, companies. */
public final class Api {

    private Api() {
    }

    /** A user with a fresh id (PUT /api/users/{id}, 201). */
    public static long newUser() {
        long id = Ids.newUserId();
        given().put("/api/users/{id}", id).then().statusCode(201);
        return id;
    }

    /** POST /api/users/{id}/messages, 201; the new message's id. */
    public static String postMessage(long user, String role, String content) {
        return given().contentType(ContentType.JSON).body(Map.of("role", role, "content", content))
                .post("/api/users/{id}/messages", user).then().statusCode(201).extract().path("id");
    }

    /** POST /api/companies, 201; the id. */
    public static long company(String name) {
        return ((Number) given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/companies")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** A company with a name of its own. */
    public static long newCompany() {
        return company(Ids.unique("company"));
    }

    /** POST /api/categories, 201; the id. */
    public static long category(String name) {
        return ((Number) given().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/categories").then().statusCode(201).extract().path("id")).longValue();
    }

    /** POST /api/products, 201; the id. */
    public static long product(Map<String, Object> body) {
        return ((Number) given().contentType(ContentType.JSON).body(body).post("/api/products").then()
                .statusCode(201).extract().path("id")).longValue();
    }
}

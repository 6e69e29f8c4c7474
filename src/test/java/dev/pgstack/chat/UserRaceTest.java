package dev.pgstack.chat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Concurrently;
import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Writes that race a DELETE of their parent get only the statuses API.md allows. */
@QuarkusTest
class UserRaceTest {

    @Test
    void putRacingDeleteIsOnly200Or201AndNeverUpdatedBeforeCreated() throws Exception {
        Set<Integer> putStatuses = ConcurrentHashMap.newKeySet();
        List<String> badTimes = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            long id = Ids.newUserId();
            given().put("/api/users/{id}", id).then().statusCode(201);
            // three PUTs and three DELETEs at once: the even tasks PUT, the odd ones DELETE
            List<Response> answers = Concurrently.run(6, Duration.ofSeconds(60),
                    i -> i % 2 == 0 ? given().put("/api/users/{id}", id) : given().delete("/api/users/{id}", id));
            for (int i = 0; i < answers.size(); i++) {
                Response r = answers.get(i);
                if (i % 2 == 1) {
                    assertTrue(r.statusCode() == 204 || r.statusCode() == 404, "DELETE answered " + r.statusCode());
                    continue;
                }
                putStatuses.add(r.statusCode());
                if (r.statusCode() < 300) {
                    Instant created = Instant.parse(r.path("createdAt"));
                    Instant updated = Instant.parse(r.path("updatedAt"));
                    if (updated.isBefore(created)) {
                        badTimes.add(r.asString());
                    }
                }
            }
        }
        assertTrue(Set.of(200, 201).containsAll(putStatuses), "PUT answered " + putStatuses);
        assertEquals(List.of(), badTimes, "updatedAt before createdAt");
    }

    @Test
    void messagePostRacingItsUsersDeletionIs201Or404() throws Exception {
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 40; round++) {
            long id = Ids.newUserId();
            given().put("/api/users/{id}", id).then().statusCode(201);
            // three message POSTs and the user's DELETE at once
            List<Integer> answers = Concurrently.run(4, Duration.ofSeconds(60), i -> i < 3
                    ? given().contentType(ContentType.JSON).body("{\"role\":\"user\",\"content\":\"race\"}")
                            .post("/api/users/{id}/messages", id).statusCode()
                    : given().delete("/api/users/{id}", id).statusCode());
            statuses.addAll(answers.subList(0, 3));
        }
        assertTrue(Set.of(201, 404).containsAll(statuses), "message POST answered " + statuses);
    }

    @Test
    void storagePostForAVanishedCompanyIs404() {
        long company = given().contentType(ContentType.JSON).body("{\"name\":\"race-" + Ids.newUserId() + "\"}")
                .post("/api/companies").then().statusCode(201).extract().jsonPath().getLong("id");
        given().delete("/api/companies/{id}", company).then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"key\":\"k\",\"sizeBytes\":1,\"contentType\":\"a/b\"}")
                .post("/api/companies/{id}/storage", company).then().statusCode(404)
                .contentType("application/problem+json");
    }
}

package dev.pgstack.chat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

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
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 60; round++) {
                long id = Ids.newUserId();
                given().put("/api/users/{id}", id).then().statusCode(201);
                List<Future<Response>> puts = new ArrayList<>();
                List<Future<Integer>> deletes = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    puts.add(pool.submit(() -> given().put("/api/users/{id}", id)));
                    deletes.add(pool.submit(() -> given().delete("/api/users/{id}", id).statusCode()));
                }
                for (Future<Response> f : puts) {
                    Response r = f.get();
                    putStatuses.add(r.statusCode());
                    if (r.statusCode() < 300) {
                        Instant created = Instant.parse(r.path("createdAt"));
                        Instant updated = Instant.parse(r.path("updatedAt"));
                        if (updated.isBefore(created)) {
                            synchronized (badTimes) {
                                badTimes.add(r.asString());
                            }
                        }
                    }
                }
                for (Future<Integer> f : deletes) {
                    int status = f.get();
                    assertTrue(status == 204 || status == 404, "DELETE answered " + status);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(Set.of(200, 201).containsAll(putStatuses), "PUT answered " + putStatuses);
        assertEquals(List.of(), badTimes, "updatedAt before createdAt");
    }

    @Test
    void messagePostRacingItsUsersDeletionIs201Or404() throws Exception {
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 40; round++) {
                long id = Ids.newUserId();
                given().put("/api/users/{id}", id).then().statusCode(201);
                List<Future<Integer>> posts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    posts.add(pool.submit(() -> given().contentType(ContentType.JSON)
                            .body("{\"role\":\"user\",\"content\":\"race\"}")
                            .post("/api/users/{id}/messages", id).statusCode()));
                }
                pool.submit(() -> given().delete("/api/users/{id}", id)).get();
                for (Future<Integer> f : posts) {
                    statuses.add(f.get());
                }
            }
        } finally {
            pool.shutdown();
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

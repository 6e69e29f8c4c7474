package dev.pgstack.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import io.quarkus.test.junit.QuarkusTest;

/** The history is one SQL statement when the client gives the limit, two when the user's setting decides it. */
@QuarkusTest
class HistoryQueryCountTest {

    @Inject
    SessionFactory sessionFactory;

    @Test
    void historyTakesOneStatementWithALimitAndTwoWithout() {
        long user = Api.newUser();
        for (int i = 0; i < 3; i++) {
            Api.postMessage(user, "user", "m" + i);
        }
        assertEquals(1, statements("/api/users/" + user + "/messages?limit=2", 200, 2));
        assertEquals(2, statements("/api/users/" + user + "/messages", 200, 3));
        // an empty page asks whether the user exists at all
        long empty = Api.newUser();
        assertEquals(2, statements("/api/users/" + empty + "/messages?limit=5", 200, 0));
        given().get("/api/users/{id}/messages?limit=5", Ids.newUserId()).then().statusCode(404);
        given().get("/api/users/{id}/messages", Ids.newUserId()).then().statusCode(404);
    }

    private long statements(String path, int status, int items) {
        Statistics stats = sessionFactory.getStatistics();
        stats.clear();
        given().get(path).then().statusCode(status).body("$", hasSize(items));
        return stats.getPrepareStatementCount();
    }
}

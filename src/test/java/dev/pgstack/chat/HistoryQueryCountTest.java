package dev.pgstack.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgstack.db.SqlEchoTest;
import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import dev.pgstack.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The history is one SQL statement whatever decides its length (the client's limit or the user's setting), and
 * also when it has to tell an unknown user (404) from one without messages: counted in the SQL echo.
 */
@QuarkusTest
@TestProfile(SqlEchoTest.EchoDebug.class)
class HistoryQueryCountTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void historyTakesOneStatementInEveryCase() {
        long user = Api.newUser();
        for (int i = 0; i < 3; i++) {
            Api.postMessage(user, "user", "m" + i);
        }
        assertEquals(1, statements("/api/users/" + user + "/messages?limit=2", 200, 2));
        assertEquals(1, statements("/api/users/" + user + "/messages", 200, 3));
        long empty = Api.newUser();
        assertEquals(1, statements("/api/users/" + empty + "/messages?limit=5", 200, 0));
        assertEquals(1, statements("/api/users/" + empty + "/messages", 200, 0));
        long unknown = Ids.newUserId();
        log.clear();
        given().get("/api/users/{id}/messages?limit=5", unknown).then().statusCode(404);
        given().get("/api/users/{id}/messages", unknown).then().statusCode(404);
        assertEquals(2, echoed());
    }

    private long statements(String path, int status, int items) {
        log.clear();
        given().get(path).then().statusCode(status).body("$", hasSize(items));
        return echoed();
    }

    private long echoed() {
        return log.lines().stream().filter(l -> l.startsWith("dev.pgstack.sql SQL ")).count();
    }
}

package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Admin;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * /q/db/pool reports the JDBC and the reactive pool in the same terms, with connections this test holds (it takes
 * them from the pools themselves, so it runs in the application's JVM: no *IT twin).
 */
@QuarkusTest
class PoolReportTest {

    @TestHTTPResource(value = "/db/pool", management = true)
    URL pool;

    @Inject
    AgroalDataSource jdbcPool;

    @Inject
    Pool reactivePool;

    @Test
    void bothPoolsReportConnectionsInUseAndOverflowInTheSameTerms() throws Exception {
        List<java.sql.Connection> jdbc = new ArrayList<>();
        List<SqlConnection> reactive = new ArrayList<>();
        try {
            int jdbcBase = jdbcPool.getConfiguration().connectionPoolConfiguration().minSize();
            for (int i = 0; i < jdbcBase + 2; i++) {
                jdbc.add(jdbcPool.getConnection());
            }
            for (int i = 0; i < 3; i++) {
                reactive.add(reactivePool.getConnection().await().atMost(Duration.ofSeconds(5)));
            }
            var answer = given().auth().preemptive().basic(Admin.USER, Admin.PASSWORD).get(pool).then().statusCode(200)
                    .extract().jsonPath();
            for (String pool : List.of("'<default>'", "'<default>'.reactive")) {
                for (String key : List.of("max", "base", "open", "inUse", "idle", "waiting", "overflowInUse")) {
                    assertTrue(answer.getInt(pool + "." + key) >= 0, pool + "." + key);
                }
                assertEquals(answer.getInt(pool + ".open") - answer.getInt(pool + ".inUse"),
                        answer.getInt(pool + ".idle"), pool);
            }
            assertEquals(jdbcBase, answer.getInt("'<default>'.min"), "the configured min-size");
            assertEquals(jdbcBase, answer.getInt("'<default>'.base"));
            assertEquals(jdbcBase + 2, answer.getInt("'<default>'.inUse"));
            assertEquals(2, answer.getInt("'<default>'.overflowInUse"), "in use beyond the base (min-size)");
            assertEquals(3, answer.getInt("'<default>'.reactive.inUse"));
            assertEquals(0, answer.getInt("'<default>'.reactive.base"), "Vert.x keeps nothing open on purpose");
            assertEquals(3, answer.getInt("'<default>'.reactive.overflowInUse"));
            assertEquals(0, answer.getInt("'<default>'.reactive.waiting"));
        } finally {
            for (java.sql.Connection c : jdbc) {
                c.close();
            }
            reactive.forEach(c -> c.closeAndAwait());
        }
    }

}

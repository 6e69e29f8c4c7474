package dev.pgstack.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.support.Admin;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The pool figures follow what the application really holds. */
@QuarkusTest
class PoolFiguresTest {

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/db/pool", management = true)
    URL pool;

    @Test
    void holdingConnectionsShowsThemAsActiveThenBackToZero() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(dataSource.getConnection());
            }
            given().auth().preemptive().basic(Admin.USER, Admin.PASSWORD).get(pool).then().statusCode(200)
                    .body("'<default>'.active", equalTo(3));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        given().auth().preemptive().basic(Admin.USER, Admin.PASSWORD).get(pool).then().statusCode(200)
                .body("'<default>'.active", equalTo(0));
    }
}

package dev.pgstack.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgstack.db.SqlEchoTest;
import dev.pgstack.support.LogCapture;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A deep catalog page costs index entries, not table rows: the rows before the page are skipped on the sort's
 * index (an index-only scan), and only the page's rows are read from the table. The statement checked is the one
 * the service sent, taken from the SQL echo.
 */
@QuarkusTest
@TestProfile(SqlEchoTest.EchoDebug.class)
class CatalogPageIndexTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeepPageSkipsOnTheSortIndexAndReadsOnlyItsOwnRows() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            // ids far above what the sequence hands out to the other tests
            st.execute("INSERT INTO products (id, name, description, price, quantity, created_at, updated_at) "
                    + "SELECT 8000000000000 + g, 'page-index ' || g, 'd', g % 500, g % 7, now(), now() "
                    + "FROM generate_series(1, 3000) g ON CONFLICT (id) DO NOTHING");
            st.execute("VACUUM ANALYZE products"); // index-only scans need the visibility map
        }
        log.clear();
        given().get("/api/products?skip=2000&limit=5&sort=price").then().statusCode(200);

        String page = log.lines().stream().filter(l -> l.contains("from products") && l.contains("offset"))
                .findFirst().orElseThrow(() -> new AssertionError("no page statement echoed: " + log.lines()));
        String sql = page.substring(page.indexOf("select "));
        // the echo shows placeholders, never values: skip, then limit
        sql = sql.replaceFirst("\\?", "2000").replaceFirst("\\?", "5");
        String plan = explain("EXPLAIN (ANALYZE, COSTS OFF) " + sql);

        assertTrue(plan.contains("Index Only Scan") && plan.contains("products_price_idx"),
                "skipped on the price index:\n" + plan);
        assertFalse(plan.contains("Seq Scan"), plan);
        // the table is read for the page's 5 rows, by primary key
        assertTrue(plan.matches("(?s).*Index Scan using products_pkey.*loops=5\\).*"), plan);
    }

    private String explain(String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}

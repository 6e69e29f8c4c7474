package dev.pgstack.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgstack.db.SqlEchoTest;
import dev.pgstack.support.Api;
import dev.pgstack.support.Ids;
import dev.pgstack.support.LogCapture;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * What a listing sends to the database, taken from the SQL echo: one statement for the page and its total
 * whatever the page's size, categories included (no query per item); and a deep page costs index entries, not
 * table rows, in the plan the service's connections use.
 */
@QuarkusTest
@TestProfile(SqlEchoTest.EchoDebug.class)
class CatalogListingStatementTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.vertx.mutiny.sqlclient.Pool reactivePool;

    @Test
    void aPageWithItsCategoriesIsOneStatementWhateverItsSize() {
        String t = Ids.unique("n1");
        List<Long> categories = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            categories.add(Api.category(t + " category " + i));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> item = CatalogApiTest.item(t + " product " + i, i, 1);
            item.put("categoryId", i % 7 == 0 ? null : categories.get(i % 10));
            items.add(item);
        }
        given().contentType(ContentType.JSON).body(items).post("/api/products/bulk").then().statusCode(201);

        for (int limit : new int[] { 5, 100 }) {
            log.clear();
            List<Map<String, Object>> page = given().get("/api/products?q={q}&include=category&limit={limit}", t, limit)
                    .then().statusCode(200).body("items", hasSize(limit)).extract().path("items");
            assertEquals(1, statements().size(), "one statement for " + limit + " items: " + statements());
            for (Map<String, Object> product : page) {
                int i = Integer.parseInt(((String) product.get("name")).substring((t + " product ").length()));
                Object category = product.get("category");
                if (i % 7 == 0) {
                    assertEquals(null, category, "no category: null");
                } else {
                    assertEquals(Map.of("id", categories.get(i % 10).intValue(), "name", t + " category " + (i % 10)),
                            category);
                }
            }
        }
    }

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
        given().get("/api/products?skip=2000&limit=5&sort=price").then().statusCode(200).body("items", hasSize(5));

        List<String> sent = statements();
        assertEquals(1, sent.size(), sent.toString());
        String sql = sent.get(0).substring(sent.get(0).indexOf("SELECT "));
        // as the reactive connections plan it (HistoryIndexTest): once, for any skip and limit
        String plan = explain("SET plan_cache_mode = force_generic_plan",
                "PREPARE deep_page AS " + sql, "EXPLAIN (ANALYZE, COSTS OFF) EXECUTE deep_page(2000, 5)");

        assertTrue(plan.contains("Index Only Scan") && plan.contains("products_price_idx"),
                "skipped on the price index:\n" + plan);
        assertFalse(plan.contains("Seq Scan on products"), plan);
        // the table is read for the page's 5 rows, by primary key
        assertTrue(plan.matches("(?s).*Index Scan using products_pkey.*loops=5\\).*"), plan);
        assertFalse(plan.contains("Aggregate"), "the unfiltered total is not counted row by row:\n" + plan);
    }

    /**
     * A filtered page, planned once for every value of its filters: its price band is a range of the partial
     * index of products in stock, for the total and for the page (ProductPageStatement: why an absent filter is
     * left out of the text rather than sent as NULL).
     */
    @Test
    void aPriceBandInStockIsARangeOfTheInStockIndexInTheGenericPlan() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO products (id, name, description, price, quantity, created_at, updated_at) "
                    + "SELECT 8000000000000 + g, 'page-index ' || g, 'd', g % 500, g % 7, now(), now() "
                    + "FROM generate_series(1, 3000) g ON CONFLICT (id) DO NOTHING");
            st.execute("VACUUM ANALYZE products");
        }
        log.clear();
        given().get("/api/products?minPrice=100&maxPrice=120&inStock=true&sort=price&limit=5").then()
                .statusCode(200).body("items", hasSize(5));

        List<String> sent = statements();
        assertEquals(1, sent.size(), sent.toString());
        String sql = sent.get(0).substring(sent.get(0).indexOf("SELECT "));
        String plan = explain("SET plan_cache_mode = force_generic_plan",
                "PREPARE band_page AS " + sql, "EXPLAIN (ANALYZE, COSTS OFF) EXECUTE band_page(100, 120, 0, 5)");

        // the total may be counted by an index-only or a bitmap scan: either way a range of the partial index
        assertEquals(2, occurrences(plan, "Index Cond: ((price >= $1) AND (price <= $2))"),
                "total and page are ranges of an index:\n" + plan);
        assertEquals(2, occurrences(plan, " products_in_stock_price_idx"), "of the in-stock index:\n" + plan);
        assertFalse(plan.contains("Seq Scan on products"), plan);
    }

    /**
     * A page's generic plan assumes a tenth of the rows for its LIMIT, which can cost it past jit_above_cost: the
     * reactive connections, where statements are planned once, never compile one (80-130 ms per execution).
     */
    @Test
    void theConnectionsThatPlanOnceNeverJitCompile() {
        String jit = reactivePool.query("SHOW jit").execute().await().atMost(java.time.Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertEquals("off", jit);
    }

    private static int occurrences(String text, String literal) {
        int count = 0;
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length())) {
            count++;
        }
        return count;
    }

    /** The statements echoed since the last {@code log.clear()}: "SQL 1.2 ms: SELECT ...". */
    private List<String> statements() {
        return log.lines().stream().filter(l -> l.matches("(?s).*SQL [0-9.]+ ms: .*")).toList();
    }

    private String explain(String... statements) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < statements.length - 1; i++) {
                st.execute(statements[i]);
            }
            try (ResultSet rs = st.executeQuery(statements[statements.length - 1])) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            } finally {
                st.execute("DEALLOCATE ALL");
                st.execute("RESET plan_cache_mode");
            }
        }
        return plan.toString();
    }
}

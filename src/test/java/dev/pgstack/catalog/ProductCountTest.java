package dev.pgstack.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import dev.pgstack.support.Concurrently;
import dev.pgstack.support.OwnedPostgres;

/**
 * The unfiltered listing's total is the row {@code product_count} (V6), so it must equal {@code count(*)} after
 * every way products come and go: inserts of one and of many, COPY, deletes, rollbacks, TRUNCATE (also by
 * cascade), and writers racing each other. Runs on its own server, since it truncates the catalog.
 */
class ProductCountTest {

    static OwnedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = new OwnedPostgres().start();
        postgres.execute("postgres", "CREATE DATABASE counted");
        Flyway.configure().dataSource(postgres.jdbcUrl("counted"), "postgres", null)
                .locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyCatalog() throws Exception {
        postgres.execute("counted", "TRUNCATE products, categories");
    }

    @Test
    void theCountFollowsInsertsDeletesAndRollbacks() throws Exception {
        try (Connection c = postgres.superuser("counted"); Statement st = c.createStatement()) {
            st.execute(insertProducts(1, 100));
            assertCounted(st, 100);
            st.execute("DELETE FROM products WHERE id > 90");
            assertCounted(st, 90);
            st.execute("DELETE FROM products WHERE id < 0"); // no row: no change
            assertCounted(st, 90);
            st.execute("INSERT INTO products (id, name, price, created_at, updated_at)"
                    + " VALUES (1, 'again', 1, now(), now()) ON CONFLICT DO NOTHING");
            assertCounted(st, 90);

            c.setAutoCommit(false);
            st.execute(insertProducts(1000, 1009));
            assertCounted(st, 100); // the writer sees its own rows counted
            c.rollback();
            c.setAutoCommit(true);
            assertCounted(st, 90);

            try (Connection other = postgres.superuser("counted"); Statement otherSt = other.createStatement()) {
                c.setAutoCommit(false);
                st.execute("DELETE FROM products WHERE id <= 10");
                assertCounted(otherSt, 90); // uncommitted deletes are invisible, count and rows alike
                c.commit();
                c.setAutoCommit(true);
                assertCounted(otherSt, 80);
            }
        }
    }

    @Test
    void theCountFollowsCopyAndTruncate() throws Exception {
        try (Connection c = postgres.superuser("counted"); Statement st = c.createStatement()) {
            CopyManager copy = c.unwrap(BaseConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= 25; i++) {
                rows.append(i).append("\tcopied ").append(i).append("\t1\t2026-01-01\t2026-01-01\n");
            }
            copy.copyIn("COPY products (id, name, price, created_at, updated_at) FROM STDIN",
                    new StringReader(rows.toString()));
            assertCounted(st, 25);

            st.execute("TRUNCATE products");
            assertCounted(st, 0);

            st.execute("INSERT INTO categories (id, name) VALUES (1, 'c')");
            st.execute(insertProducts(1, 5));
            st.execute("TRUNCATE categories CASCADE"); // reaches products through the foreign key
            assertCounted(st, 0);
        }
    }

    @Test
    void racingWritersLeaveAnExactCount() throws Exception {
        Concurrently.run(8, Duration.ofSeconds(60), w -> {
            int first = w * 1000;
            try (Connection c = postgres.superuser("counted"); Statement st = c.createStatement()) {
                for (int i = 0; i < 20; i++) {
                    int from = first + i * 10;
                    c.setAutoCommit(false);
                    st.execute(insertProducts(from, from + 9));
                    if (i % 3 == 0) {
                        c.rollback();
                    } else {
                        st.execute("DELETE FROM products WHERE id = " + from);
                        c.commit();
                    }
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
        try (Connection c = postgres.superuser("counted"); Statement st = c.createStatement()) {
            assertCounted(st, 8 * 13 * 9); // per writer: 13 of 20 rounds commit 10 rows less one
        }
    }

    @Test
    void thereIsOnlyEverOneCountRow() throws Exception {
        try (Connection c = postgres.superuser("counted"); Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.execute("INSERT INTO product_count (products) VALUES (0)"));
            assertThrows(SQLException.class,
                    () -> st.execute("INSERT INTO product_count (only_row, products) VALUES (false, 0)"));
        }
    }

    private static String insertProducts(int from, int to) {
        return "INSERT INTO products (id, name, price, created_at, updated_at) SELECT g, 'product ' || g, 1, now(),"
                + " now() FROM generate_series(" + from + ", " + to + ") g";
    }

    private static void assertCounted(Statement st, long expected) throws SQLException {
        try (ResultSet rs = st.executeQuery(
                "SELECT (SELECT products FROM product_count), (SELECT count(*) FROM products)")) {
            rs.next();
            assertEquals(expected, rs.getLong(2), "rows in products");
            assertEquals(rs.getLong(2), rs.getLong(1), "product_count equals count(*)");
        }
    }
}

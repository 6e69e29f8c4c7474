package dev.pgstack.company;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A prefix listing is an index range scan, even though the database's default collation is not "C". */
@QuarkusTest
class StoragePrefixIndexTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void prefixSearchUsesTheUniqueIndex() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET enable_seqscan = off"); // a tiny table would be scanned; ask what the index can do
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM storage_objects "
                    + "WHERE company_id = 1 AND key LIKE 'reports/2026/%' ORDER BY key")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            st.execute("RESET enable_seqscan");
            assertTrue(plan.toString().contains("storage_objects_company_key_unique"), plan.toString());
            // the LIKE prefix became a range condition on the index
            assertTrue(plan.toString().contains(">= 'reports/2026/'"), plan.toString());
            assertTrue(!plan.toString().contains("Sort"), "ordered by the index, no sort step:\n" + plan);

            // the contrast: under the database's own collation, unless it is C, a plain index cannot do this
            String collation;
            try (ResultSet rs = st.executeQuery(
                    "SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
                rs.next();
                collation = rs.getString(1);
            }
            if (!collation.equals("C") && !collation.equals("POSIX")) {
                st.execute("CREATE TEMP TABLE plain_keys (key varchar(1024))");
                st.execute("CREATE INDEX plain_keys_idx ON plain_keys (key)");
                st.execute("SET enable_seqscan = off");
                StringBuilder plain = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM plain_keys WHERE key LIKE 'reports/%'")) {
                    while (rs.next()) {
                        plain.append(rs.getString(1)).append('\n');
                    }
                }
                st.execute("RESET enable_seqscan");
                assertTrue(!plain.toString().contains(">= 'reports/'"),
                        "collation " + collation + " would not need COLLATE \"C\":\n" + plain);
            }
        }
    }
}

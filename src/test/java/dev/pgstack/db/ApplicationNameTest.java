package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The server sees pgstack's connections under their application_name, for pg_stat_activity and operators, and
 * they carry the server-side timeouts.
 */
@QuarkusTest
class ApplicationNameTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void jdbcConnectionsCarryTheApplicationName() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), "
                        + "current_setting('statement_timeout'), current_setting('lock_timeout')")) {
            rs.next();
            assertTrue(rs.getString(1).equals("pgstack"), rs.getString(1));
            assertTrue(rs.getString(2).equals("30s"), "statement_timeout " + rs.getString(2));
            assertTrue(rs.getString(3).equals("3s"), "lock_timeout " + rs.getString(3));
        }
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool reactivePool;

    /** The hot reads run on the reactive pool: the same name and the same server-side timeouts. */
    @Test
    void reactiveConnectionsCarryTheNameAndTheTimeoutsToo() {
        var row = reactivePool.query("SELECT current_setting('application_name') AS name, "
                + "current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt")
                .execute().await().atMost(java.time.Duration.ofSeconds(10)).iterator().next();
        assertTrue(row.getString("name").equals("pgstack"), row.getString("name"));
        assertTrue(row.getString("st").equals("30s"), "statement_timeout " + row.getString("st"));
        assertTrue(row.getString("lt").equals("3s"), "lock_timeout " + row.getString("lt"));
    }

    @Test
    void theServerListsThePoolUnderThatName() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT application_name FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        assertTrue(names.contains("pgstack"), names.toString());
    }
}

package dev.pgstack.db.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One policy for every pool: settings changed in one place reach the primary's JDBC and reactive pools and the
 * replica's JDBC and reactive pools alike (the replica pools used to keep fixed values of their own). The
 * "replica" here is the test's own database under a second URL, which is enough to see what its pools were built
 * with.
 */
@QuarkusTest
@TestProfile(ConnectionPolicyTest.ChangedSettings.class)
class ConnectionPolicyTest {

    public static class ChangedSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgstack.replica.urls", "${quarkus.datasource.jdbc.url}",
                    "pgstack.db.application-name", "policy-test",
                    "pgstack.db.statement-timeout-ms", "12345",
                    "pgstack.db.lock-timeout-ms", "2345",
                    "pgstack.pool.max-lifetime", "17M",
                    "pgstack.pool.acquisition-timeout", "3S",
                    "pgstack.pool.validate-after-idle", "0S",
                    "pgstack.pool.idle-timeout", "42S");
        }
    }

    @Inject
    AgroalDataSource primary;

    @Inject
    Pool primaryReactive;

    @Inject
    Replicas replicas;

    @Test
    void sessionSettingsReachEveryPool() throws Exception {
        ReplicaPool replica = replicas.named("replica-1");
        for (AgroalDataSource pool : List.of(primary, replica.pool())) {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), "
                            + "current_setting('statement_timeout'), current_setting('lock_timeout'), "
                            + "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())")) {
                rs.next();
                assertEquals(List.of("policy-test", "12345ms", "2345ms"),
                        List.of(rs.getString(1), rs.getString(2), rs.getString(3)), "JDBC " + pool);
            }
        }
        for (Pool pool : List.of(primaryReactive, replica.reactivePool())) {
            var row = pool.query("SELECT current_setting('application_name') AS a, "
                    + "current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, "
                    + "current_setting('plan_cache_mode') AS p").execute().await().atMost(Duration.ofSeconds(10))
                    .iterator().next();
            assertEquals(List.of("policy-test", "12345ms", "2345ms", "force_generic_plan"),
                    List.of(row.getString("a"), row.getString("s"), row.getString("l"), row.getString("p")),
                    "reactive");
        }
    }

    @Test
    void poolRulesReachThePrimarysAndTheReplicasJdbcPools() {
        for (AgroalDataSource pool : List.of(primary, replicas.named("replica-1").pool())) {
            AgroalConnectionPoolConfiguration rules = pool.getConfiguration().connectionPoolConfiguration();
            assertEquals(Duration.ofMinutes(17), rules.maxLifetime(), "max lifetime");
            assertEquals(Duration.ofSeconds(3), rules.acquisitionTimeout(), "acquisition timeout");
            assertEquals(Duration.ZERO, rules.idleValidationTimeout(), "validation after idle");
            assertEquals(Duration.ofSeconds(42), rules.reapTimeout(), "idle timeout");
            String connectTimeout = rules.connectionFactoryConfiguration().jdbcProperties()
                    .getProperty("connectTimeout");
            assertEquals("5", connectTimeout, "connect timeout");
            assertTrue(rules.connectionFactoryConfiguration().jdbcProperties().getProperty("sslfactory")
                    .endsWith("LibpqSslFactory"), "TLS as libpq");
        }
    }
}

package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseEnvironmentTest {

    /** What application.properties configures for the packaged application: JDBC min 5, a budget of 20 + 20. */
    static final DatabaseEnvironment.PoolSizes SHIPPED_POOL = new DatabaseEnvironment.PoolSizes(5, 40);

    @org.junit.jupiter.api.Test
    void onePoolVariableKeepsTheOtherFigureOfTheConfiguration() {
        var dev = new DatabaseEnvironment.PoolSizes(2, 20);
        Map<String, String> sizeOnly = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "5"), dev);
        assertEquals("5", sizeOnly.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("12", sizeOnly.get("quarkus.datasource.jdbc.max-size"), "the configured overflow (18) is kept");
        assertEquals("11", sizeOnly.get("quarkus.datasource.reactive.max-size"), "a budget of 23, shared");
        Map<String, String> overflowOnly = DatabaseEnvironment.translate(Map.of("DB_MAX_OVERFLOW", "4"), dev);
        assertEquals("2", overflowOnly.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("3", overflowOnly.get("quarkus.datasource.jdbc.max-size"));
        assertEquals("3", overflowOnly.get("quarkus.datasource.reactive.max-size"));
    }


    @Test
    void nothingSetMeansOnlyThePolicysSessionSettingsForThePrimarysJdbcPool() {
        Map<String, String> expected = new java.util.HashMap<>();
        SessionSettings.EXPRESSIONS.jdbc(false)
                .forEach((k, v) -> expected.put(DatabaseEnvironment.JDBC_PROPERTY_PREFIX + k, v));
        assertEquals(expected, DatabaseEnvironment.translate(Map.of("HOME", "/root"), SHIPPED_POOL));
        assertEquals("-c statement_timeout=${pgstack.db.statement-timeout-ms} -c lock_timeout=${pgstack.db.lock-timeout-ms}",
                expected.get(DatabaseEnvironment.JDBC_PROPERTY_PREFIX + "options"));
        assertEquals(SessionSettings.SSL_FACTORY, expected.get(DatabaseEnvironment.JDBC_PROPERTY_PREFIX + "sslfactory"));
    }

    @Test
    void pgbouncerLeavesOutWhatTransactionPoolingBreaks() {
        Map<String, String> out = DatabaseEnvironment.translate(
                Map.of("DATABASE_URL", "postgresql://app:pw@bouncer:6432/shop?pgbouncer=true"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://bouncer:6432/shop?prepareThreshold=0", out.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://bouncer:6432/shop", out.get("quarkus.datasource.reactive.url"));
        assertFalse(out.containsKey(DatabaseEnvironment.JDBC_PROPERTY_PREFIX + "options"), "PgBouncer refuses 'options'");
        assertEquals("true", out.get(DatabaseEnvironment.PGBOUNCER), "the policy builds the pools for PgBouncer");
        Map<String, String> reactive = SessionSettings.EXPRESSIONS.reactive(true);
        assertEquals("ISO, MDY", reactive.get("DateStyle"), "what the server reports");
        for (String refused : java.util.List.of("statement_timeout", "lock_timeout", "plan_cache_mode", "jit")) {
            assertFalse(reactive.containsKey(refused), refused);
        }
    }

    @Test
    void severalHostsConnectToThePrimaryAndRecheckRolesQuickly() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DATABASE_URL",
                "postgresql://app:pw@h1:5432,h2:5433/shop?target_session_attrs=read-write"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://h1:5432,h2:5433/shop?targetServerType=primary&hostRecheckSeconds=2",
                out.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://h1:5432/shop,postgresql://h2:5433/shop", out.get("quarkus.datasource.reactive.url"));
        assertNull(out.get(DatabaseEnvironment.CONFIG_ERROR));
    }

    @Test
    void replicaUrlsAndMaxLagAreCheckedAndKept() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DATABASE_URL", "postgresql://app:pw@h1/shop",
                "DATABASE_REPLICA_URL", "postgresql://r1:5432/shop, postgres://app:pw@r2:5433,r3:5434/shop",
                "DB_REPLICA_MAX_LAG", "2.5"), SHIPPED_POOL);

        assertEquals("postgresql://r1:5432/shop, postgres://app:pw@r2:5433,r3:5434/shop",
                out.get(DatabaseEnvironment.REPLICA_URLS));
        assertEquals("PT2.5S", out.get("pgstack.replica.max-lag"));
        assertNull(out.get(DatabaseEnvironment.CONFIG_ERROR));

        Map<String, String> bad = DatabaseEnvironment.translate(Map.of("DATABASE_REPLICA_URL",
                "postgresql://app:hunter2@r1/shop,mysql://x", "DB_REPLICA_MAX_LAG", "soon"), SHIPPED_POOL);
        String error = bad.get(DatabaseEnvironment.CONFIG_ERROR);
        assertTrue(error.contains("DATABASE_REPLICA_URL is not a valid PostgreSQL URL"), error);
        assertTrue(error.contains("DB_REPLICA_MAX_LAG must be a number of seconds"), error);
        assertFalse(error.contains("hunter2"), error);
        assertFalse(bad.containsKey(DatabaseEnvironment.REPLICA_URLS));
    }

    @Test
    void databaseUrlFeedsBothPoolsAndTheCredentials() {
        Map<String, String> out = DatabaseEnvironment.translate(
                Map.of("DATABASE_URL", "postgresql+asyncpg://app:s%3Acret@10.0.0.5:5433/shop?sslmode=require"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://10.0.0.5:5433/shop?sslmode=require", out.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://10.0.0.5:5433/shop", out.get("quarkus.datasource.reactive.url"));
        assertEquals("app", out.get("quarkus.datasource.username"));
        assertEquals("s:cret", out.get("quarkus.datasource.password"));
        assertEquals("DATABASE_URL", out.get(DatabaseEnvironment.ORIGIN));
        assertNull(out.get(DatabaseEnvironment.CONFIG_ERROR));
    }

    @Test
    void postgresPiecesAreUsedWhenDatabaseUrlIsUnset() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("POSTGRES_HOST", "db", "POSTGRES_PORT", "6000",
                "POSTGRES_DB", "chat", "POSTGRES_USER", "bot", "POSTGRES_PASSWORD", "pw"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://db:6000/chat", out.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://db:6000/chat", out.get("quarkus.datasource.reactive.url"));
        assertEquals("bot", out.get("quarkus.datasource.username"));
        assertEquals("pw", out.get("quarkus.datasource.password"));
        assertEquals("POSTGRES_*", out.get(DatabaseEnvironment.ORIGIN));
    }

    @Test
    void theChatBotsDbVariablesAreReadLikePostgresOnes() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_HOST", "chatdb", "DB_PORT", "6543",
                "DB_NAME", "bot", "DB_USER", "botuser", "DB_PASSWORD", "s3cret"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://chatdb:6543/bot", out.get("quarkus.datasource.jdbc.url"));
        assertEquals("botuser", out.get("quarkus.datasource.username"));
        assertEquals("s3cret", out.get("quarkus.datasource.password"));
        assertEquals("DB_*", out.get(DatabaseEnvironment.ORIGIN));
        Map<String, String> postgresWins = DatabaseEnvironment.translate(Map.of("DB_HOST", "chatdb",
                "POSTGRES_HOST", "pg"), SHIPPED_POOL);
        assertEquals("jdbc:postgresql://pg:5432/postgres", postgresWins.get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void databaseUrlWinsOverPieces() {
        Map<String, String> out = DatabaseEnvironment.translate(
                Map.of("DATABASE_URL", "postgres://a:b@url-host/x", "POSTGRES_HOST", "piece-host"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://url-host:5432/x", out.get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void postgresPiecesWithoutHostAreIgnored() {
        // POSTGRES_PASSWORD alone is how the postgres image is configured; it must not point pgstack anywhere
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("POSTGRES_PASSWORD", "pw"), SHIPPED_POOL);
        assertFalse(out.keySet().stream().anyMatch(k -> k.startsWith("quarkus.datasource.")
                && !k.startsWith(DatabaseEnvironment.JDBC_PROPERTY_PREFIX)), out.toString());
    }

    @Test
    void devPiecesApplyToTheDevProfileOnly() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DEV_POSTGRES_PORT", "5439"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://localhost:5439/postgres", out.get("%dev.quarkus.datasource.jdbc.url"));
        assertEquals("postgres", out.get("%dev.quarkus.datasource.username"));
        assertFalse(out.containsKey("quarkus.datasource.jdbc.url"));
    }

    @Test
    void poolSizeAndOverflowGiveMinAndMaxOfBothPools() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "5", "DB_MAX_OVERFLOW", "10",
                "DB_POOL_TIMEOUT", "2.5", "DB_POOL_RECYCLE", "1800", "DB_POOL_PRE_PING", "false"), SHIPPED_POOL);

        assertEquals("5", out.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("8", out.get("quarkus.datasource.jdbc.max-size"), "15 in all, shared by the two pools");
        assertEquals("7", out.get("quarkus.datasource.reactive.max-size"));
        assertEquals("PT2.5S", out.get("pgstack.pool.acquisition-timeout"));
        assertEquals("PT30M", out.get("pgstack.pool.max-lifetime"));
        assertEquals("0S", out.get("pgstack.pool.validate-after-idle"));
    }

    @Test
    void overflowAloneKeepsTheDefaultPoolSize() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_MAX_OVERFLOW", "1"), SHIPPED_POOL);

        assertEquals("3", out.get("quarkus.datasource.jdbc.min-size"), "at most the JDBC share of the budget");
        assertEquals("3", out.get("quarkus.datasource.jdbc.max-size"), "a budget of 5 + 1");
        assertEquals("3", out.get("quarkus.datasource.reactive.max-size"));
    }

    @Test
    void aBudgetBelowThreeIsRefusedBecauseAMigrationNeedsTwoConnectionsAndTheHotPathsOne() {
        Map<String, String> two = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "1", "DB_MAX_OVERFLOW", "1"),
                SHIPPED_POOL);
        Map<String, String> three = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "1", "DB_MAX_OVERFLOW", "2"),
                SHIPPED_POOL);

        assertTrue(two.get(DatabaseEnvironment.CONFIG_ERROR).contains("DB_POOL_SIZE + DB_MAX_OVERFLOW must be at least 3"),
                two.toString());
        assertFalse(two.containsKey("quarkus.datasource.jdbc.max-size"));
        assertFalse(three.containsKey(DatabaseEnvironment.CONFIG_ERROR), three.toString());
        assertEquals("2", three.get("quarkus.datasource.jdbc.max-size"));
        assertEquals("1", three.get("quarkus.datasource.reactive.max-size"));
    }

    @Test
    void recycleMinusOneMeansNoMaximumLifetime() {
        assertEquals("PT0S", DatabaseEnvironment.translate(Map.of("DB_POOL_RECYCLE", "-1"), SHIPPED_POOL)
                .get("pgstack.pool.max-lifetime"));
    }

    @Test
    void sqlEchoTurnsOnTimedStatementLoggingAndDebugAlsoPoolEvents() {
        assertEquals("true", DatabaseEnvironment.translate(Map.of("SQL_ECHO", "true"), SHIPPED_POOL).get(DatabaseEnvironment.SQL_ECHO));
        assertEquals("true", DatabaseEnvironment.translate(Map.of("DEBUG", "1"), SHIPPED_POOL).get(DatabaseEnvironment.SQL_ECHO));
        assertEquals("debug", DatabaseEnvironment.translate(Map.of("SQL_ECHO", "debug"), SHIPPED_POOL).get(DatabaseEnvironment.SQL_ECHO));
        assertEquals("false", DatabaseEnvironment.translate(Map.of("SQL_ECHO", "false", "DEBUG", "true"), SHIPPED_POOL)
                .get(DatabaseEnvironment.SQL_ECHO));
        assertEquals("250", DatabaseEnvironment.translate(Map.of("DB_SLOW_QUERY_MS", "250"), SHIPPED_POOL)
                .get("pgstack.db.slow-query-ms"));
    }

    @Test
    void applicationNameIsThePolicysForEveryPool() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_APPLICATION_NAME", "seo-agent"), SHIPPED_POOL);

        assertEquals("seo-agent", out.get("pgstack.db.application-name"));
        assertEquals("${pgstack.db.application-name}",
                out.get("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName"));
    }

    @Test
    void badValuesAreCollectedIntoOneErrorWithoutThePassword() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DATABASE_URL", "postgres://u:hunter2@h:x/d",
                "DB_POOL_SIZE", "many", "DB_POOL_TIMEOUT", "0", "DB_POOL_PRE_PING", "maybe", "SQL_ECHO", "loud"), SHIPPED_POOL);

        String error = out.get(DatabaseEnvironment.CONFIG_ERROR);
        assertTrue(error.contains("DATABASE_URL is not a valid PostgreSQL URL: the port is not a number"), error);
        assertTrue(error.contains("DB_POOL_SIZE must be a whole number"), error);
        assertTrue(error.contains("DB_POOL_TIMEOUT must be a number of seconds greater than 0"), error);
        assertTrue(error.contains("DB_POOL_PRE_PING must be true or false"), error);
        assertTrue(error.contains("SQL_ECHO must be true, false or debug"), error);
        assertFalse(error.contains("hunter2"));
        assertFalse(out.containsKey("quarkus.datasource.jdbc.url"));
    }

    @Test
    void configSourceSitsBetweenApplicationPropertiesAndEnvironmentVariables() {
        var source = DatabaseEnvironmentConfigSourceFactory.source(
                DatabaseEnvironmentConfigSourceFactory.translate(Map.of("DATABASE_URL", "postgres://a:b@h/d"), false,
                        SHIPPED_POOL));

        assertTrue(source.getOrdinal() > 270 && source.getOrdinal() < 300);
        assertEquals("jdbc:postgresql://h:5432/d", source.getValue("quarkus.datasource.jdbc.url"));
        assertTrue(source.getPropertyNames().contains("quarkus.datasource.password"));
        assertNull(source.getValue("quarkus.hibernate-orm.active"));
    }

    @Test
    void aConfigErrorSwitchesOffWhatWouldFailWithAStackTrace() {
        var source = DatabaseEnvironmentConfigSourceFactory.source(
                DatabaseEnvironmentConfigSourceFactory.translate(Map.of("DATABASE_URL", "nonsense"), true, SHIPPED_POOL));

        assertTrue(source.getValue(DatabaseEnvironment.CONFIG_ERROR).startsWith("DATABASE_URL is not a valid"));
        assertEquals("false", source.getValue("quarkus.hibernate-orm.active"));
        assertEquals("false", source.getValue("quarkus.flyway.active"));
    }
}

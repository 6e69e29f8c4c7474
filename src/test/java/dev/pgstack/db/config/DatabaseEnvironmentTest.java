package dev.pgstack.db.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DatabaseEnvironmentTest {

    /** The pool sizes that application.properties configures for the packaged application: min 20, max 50. */
    static final DatabaseEnvironment.PoolSizes SHIPPED_POOL = new DatabaseEnvironment.PoolSizes(20, 50);

    @org.junit.jupiter.api.Test
    void onePoolVariableKeepsTheOtherFigureOfTheConfiguration() {
        var dev = new DatabaseEnvironment.PoolSizes(2, 20);
        Map<String, String> sizeOnly = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "5"), dev);
        assertEquals("5", sizeOnly.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("23", sizeOnly.get("quarkus.datasource.jdbc.max-size"), "the configured overflow (18) is kept");
        Map<String, String> overflowOnly = DatabaseEnvironment.translate(Map.of("DB_MAX_OVERFLOW", "4"), dev);
        assertEquals("2", overflowOnly.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("6", overflowOnly.get("quarkus.datasource.jdbc.max-size"));
    }


    @Test
    void nothingSetMeansOnlyTheServerSideTimeouts() {
        assertEquals(Map.of(DatabaseEnvironment.TIMEOUT_OPTIONS_KEY, DatabaseEnvironment.TIMEOUT_OPTIONS,
                DatabaseEnvironment.REACTIVE_STATEMENT_TIMEOUT_KEY, "${pgstack.db.statement-timeout-ms}",
                DatabaseEnvironment.REACTIVE_LOCK_TIMEOUT_KEY, "${pgstack.db.lock-timeout-ms}",
                DatabaseEnvironment.REACTIVE_PLAN_CACHE_MODE_KEY, DatabaseEnvironment.PLAN_ONCE,
                DatabaseEnvironment.REACTIVE_JIT_KEY, DatabaseEnvironment.NO_JIT),
                DatabaseEnvironment.translate(Map.of("HOME", "/root"), SHIPPED_POOL));
    }

    @Test
    void pgbouncerLeavesOutWhatTransactionPoolingBreaks() {
        Map<String, String> out = DatabaseEnvironment.translate(
                Map.of("DATABASE_URL", "postgresql://app:pw@bouncer:6432/shop?pgbouncer=true"), SHIPPED_POOL);

        assertEquals("jdbc:postgresql://bouncer:6432/shop?prepareThreshold=0", out.get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://bouncer:6432/shop", out.get("quarkus.datasource.reactive.url"));
        assertFalse(out.containsKey(DatabaseEnvironment.TIMEOUT_OPTIONS_KEY), "PgBouncer refuses 'options'");
        assertFalse(out.containsKey(DatabaseEnvironment.REACTIVE_STATEMENT_TIMEOUT_KEY), "nor statement_timeout");
        assertFalse(out.containsKey(DatabaseEnvironment.REACTIVE_LOCK_TIMEOUT_KEY), "nor lock_timeout");
        assertFalse(out.containsKey(DatabaseEnvironment.REACTIVE_PLAN_CACHE_MODE_KEY), "nor plan_cache_mode");
        assertFalse(out.containsKey(DatabaseEnvironment.REACTIVE_JIT_KEY), "nor jit");
        assertEquals("1", out.get("quarkus.datasource.reactive.postgresql.pipelining-limit"));
        assertEquals("false", out.get("quarkus.datasource.reactive.cache-prepared-statements"));
        assertEquals("true", out.get(DatabaseEnvironment.REACTIVE_LAYER7_PROXY_KEY));
        assertEquals("ISO, MDY", out.get(DatabaseEnvironment.REACTIVE_DATESTYLE_KEY), "what the server reports");
        assertEquals("true", out.get(DatabaseEnvironment.PGBOUNCER));
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
        assertEquals("postgresql://10.0.0.5:5433/shop?sslmode=require", out.get("quarkus.datasource.reactive.url"));
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
                && !k.equals(DatabaseEnvironment.TIMEOUT_OPTIONS_KEY)
                && !k.equals(DatabaseEnvironment.REACTIVE_STATEMENT_TIMEOUT_KEY)
                && !k.equals(DatabaseEnvironment.REACTIVE_LOCK_TIMEOUT_KEY)
                && !k.equals(DatabaseEnvironment.REACTIVE_PLAN_CACHE_MODE_KEY)
                && !k.equals(DatabaseEnvironment.REACTIVE_JIT_KEY)), out.toString());
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
        assertEquals("15", out.get("quarkus.datasource.jdbc.max-size"));
        assertEquals("15", out.get("quarkus.datasource.reactive.max-size"));
        assertEquals("PT2.5S", out.get("quarkus.datasource.jdbc.acquisition-timeout"));
        assertEquals("PT30M", out.get("quarkus.datasource.jdbc.max-lifetime"));
        assertEquals("PT30M", out.get("quarkus.datasource.reactive.max-lifetime"));
        assertEquals("0S", out.get("quarkus.datasource.jdbc.foreground-validation-interval"));
    }

    @Test
    void overflowAloneKeepsTheDefaultPoolSize() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_MAX_OVERFLOW", "0"), SHIPPED_POOL);

        assertEquals("20", out.get("quarkus.datasource.jdbc.min-size"));
        assertEquals("20", out.get("quarkus.datasource.jdbc.max-size"));
    }

    @Test
    void aPoolOfOneIsRefusedBecauseAMigrationNeedsTwoConnections() {
        Map<String, String> one = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "1", "DB_MAX_OVERFLOW", "0"),
                SHIPPED_POOL);
        Map<String, String> two = DatabaseEnvironment.translate(Map.of("DB_POOL_SIZE", "1", "DB_MAX_OVERFLOW", "1"),
                SHIPPED_POOL);

        assertTrue(one.get(DatabaseEnvironment.CONFIG_ERROR).contains("DB_POOL_SIZE + DB_MAX_OVERFLOW must be at least 2"),
                one.toString());
        assertFalse(one.containsKey("quarkus.datasource.jdbc.max-size"));
        assertFalse(two.containsKey(DatabaseEnvironment.CONFIG_ERROR), two.toString());
        assertEquals("2", two.get("quarkus.datasource.jdbc.max-size"));
    }

    @Test
    void recycleMinusOneMeansNoMaximumLifetime() {
        assertEquals("PT0S", DatabaseEnvironment.translate(Map.of("DB_POOL_RECYCLE", "-1"), SHIPPED_POOL)
                .get("quarkus.datasource.jdbc.max-lifetime"));
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
    void applicationNameReachesBothPools() {
        Map<String, String> out = DatabaseEnvironment.translate(Map.of("DB_APPLICATION_NAME", "seo-agent"), SHIPPED_POOL);

        assertEquals("seo-agent", out.get("quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName"));
        assertEquals("seo-agent", out.get("quarkus.datasource.reactive.additional-properties.application_name"));
    }

    @Test
    void environmentSelectsTheProfileOfThePackagedAppOnly() {
        assertEquals("prod", DatabaseEnvironment.translate(Map.of("ENVIRONMENT", "production"), true, SHIPPED_POOL)
                .get("quarkus.profile"));
        assertEquals("dev", DatabaseEnvironment.translate(Map.of("ENVIRONMENT", "development"), true, SHIPPED_POOL)
                .get("quarkus.profile"));
        assertNull(DatabaseEnvironment.translate(Map.of("ENVIRONMENT", "production"), false, SHIPPED_POOL).get("quarkus.profile"));
        assertNull(DatabaseEnvironment.translate(Map.of("ENVIRONMENT", "production", "QUARKUS_PROFILE", "x"), true, SHIPPED_POOL)
                .get("quarkus.profile"));
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
                DatabaseEnvironment.translate(Map.of("DATABASE_URL", "postgres://a:b@h/d"), false, SHIPPED_POOL));

        assertTrue(source.getOrdinal() > 270 && source.getOrdinal() < 300);
        assertEquals("jdbc:postgresql://h:5432/d", source.getValue("quarkus.datasource.jdbc.url"));
        assertTrue(source.getPropertyNames().contains("quarkus.datasource.password"));
        assertNull(source.getValue("quarkus.hibernate-orm.active"));
    }

    @Test
    void aConfigErrorSwitchesOffWhatWouldFailWithAStackTrace() {
        var source = DatabaseEnvironmentConfigSourceFactory.source(
                DatabaseEnvironment.translate(Map.of("DATABASE_URL", "nonsense"), true, SHIPPED_POOL));

        assertTrue(source.getValue(DatabaseEnvironment.CONFIG_ERROR).startsWith("DATABASE_URL is not a valid"));
        assertEquals("false", source.getValue("quarkus.hibernate-orm.active"));
        assertEquals("false", source.getValue("quarkus.flyway.active"));
    }
}

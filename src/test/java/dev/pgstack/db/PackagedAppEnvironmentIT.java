package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * The packaged jar as a platform team runs it: configured only by the variables of a Python/PaaS deployment,
 * started before its database, then serving. Runs against a PostgreSQL server that this test owns.
 */
@Tag(Suites.OWNS_SERVERS)
class PackagedAppEnvironmentIT {

    static final String PASSWORD = "p@ss:w/rd%x";
    static final String ENCODED_PASSWORD = "p%40ss%3Aw%2Frd%25x";

    @Test
    void startedBeforeItsDatabaseItWaitsThenMigratesAndServesWithTheEnvironmentsSettings() throws Exception {
        int pgPort = OwnedPostgres.freePort();
        Map<String, String> env = Map.of(
                "DATABASE_URL", "postgresql+asyncpg://pgstack_app:" + ENCODED_PASSWORD + "@127.0.0.1:" + pgPort
                        + "/appdb?sslmode=disable",
                "DB_APPLICATION_NAME", "pgstack-env-it",
                "DB_POOL_SIZE", "3",
                "DB_MAX_OVERFLOW", "4",
                "DB_POOL_TIMEOUT", "2",
                "ENVIRONMENT", "production",
                "QUARKUS_SHUTDOWN_DELAY", "1S");

        try (PackagedApp app = PackagedApp.launch(env); OwnedPostgres postgres = new OwnedPostgres(pgPort)) {
            // 1. no database yet: the process lives, liveness UP, readiness DOWN, the API answers 503 + Retry-After
            PackagedApp.await("liveness UP", Duration.ofSeconds(60), () -> app.management("/q/health/live").status() == 200);
            assertEquals(503, app.management("/q/health/ready").status());
            assertEquals(503, app.management("/q/health/started").status());
            PackagedApp.Response early = app.get("/api/users/1");
            assertEquals(503, early.status());
            assertNotNull(early.retryAfter(), "Retry-After on 503");
            assertTrue(early.body().contains("\"status\":503"), early.body());
            // the seeds' health path, on the public port, says so in their words
            PackagedApp.Response seedHealth = app.get("/health");
            assertEquals(503, seedHealth.status(), seedHealth.body());
            assertTrue(seedHealth.body().contains("\"status\":\"unhealthy\"")
                    && seedHealth.body().contains("\"database\":\"disconnected\""), seedHealth.body());

            // 2. the database appears, with a password that only a correctly decoded DATABASE_URL matches
            postgres.start();
            postgres.createAppDatabase("pgstack_app", PASSWORD, "appdb");

            PackagedApp.await("readiness UP", Duration.ofSeconds(60),
                    () -> app.management("/q/health/ready").status() == 200);
            assertEquals(200, app.management("/q/health/started").status());
            assertTrue(app.isAlive());
            seedHealth = app.get("/health");
            assertEquals(200, seedHealth.status(), seedHealth.body());
            assertTrue(seedHealth.body().contains("\"status\":\"healthy\"")
                    && seedHealth.body().contains("\"database\":\"connected\""), seedHealth.body());

            // 3. it serves, on the migrated schema, with the environment's pool and application name
            assertEquals(201, app.put("/api/users/77", null).status());
            assertEquals(201, app.post("/api/users/77/messages", "{\"role\":\"user\",\"content\":\"hi\"}").status());
            String ready = app.management("/q/health/ready").body();
            assertTrue(ready.contains("\"poolMax\": 4") || ready.contains("\"poolMax\":4"), "JDBC share of 7: " + ready);

            List<String> names = applicationNames(postgres);
            assertTrue(names.contains("pgstack-env-it"), names.toString());
            try (Connection c = postgres.superuser("appdb"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertTrue(rs.getInt(1) >= 1);
            }
            long startupMs = (System.nanoTime() - app.launchedAtNanos) / 1_000_000;
            System.out.printf("packaged app: ready %d ms after launch (database started late), RSS %d MiB%n",
                    startupMs, app.rssMiB());

            // 4. SIGTERM: readiness DOWN, pools closed, no connection left on the server
            int exit = app.terminate(Duration.ofSeconds(30));
            assertEquals(0, exit, "SIGTERM is a normal stop: exit code 0");
            PackagedApp.await("no pgstack connection left", Duration.ofSeconds(10),
                    () -> !applicationNamesQuietly(postgres).contains("pgstack-env-it"));

            String log = app.log();
            assertTrue(log.contains("Database 127.0.0.1:" + pgPort + " not reachable yet"), "waited for the database, named");
            assertTrue(log.contains("as user pgstack_app (from DATABASE_URL)"), "effective settings line");
            assertTrue(log.contains("connections at most 7 (JDBC min 3, max 4; reactive max 3)"),
                    "one budget from DB_POOL_SIZE + DB_MAX_OVERFLOW, shared by both pools");
            assertTrue(log.contains("Shutdown 1/3") && log.contains("Shutdown 3/3"), "shutdown steps logged");
            assertFalse(log.contains(PASSWORD), "the password never appears in the log");
            assertFalse(log.contains(ENCODED_PASSWORD), "not even percent-encoded");
            assertFalse(Logs.hasStackTrace(log), "no stack trace in the log:\n" + log);
            assertTrue(Logs.isJson(log), "production logs are JSON lines:\n" + log);
        }
    }

    @Test
    void explicitQuarkusVariablesWinOverDatabaseUrl() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("explicit_app", "explicit-pw", "explicitdb");
            int nothingThere = OwnedPostgres.freePort();
            String right = "127.0.0.1:" + postgres.port() + "/explicitdb";
            try (PackagedApp app = PackagedApp.launch(Map.of(
                    "DATABASE_URL", "postgresql://wrong:wrong-pw@127.0.0.1:" + nothingThere + "/nowhere",
                    "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + right,
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + right,
                    "QUARKUS_DATASOURCE_USERNAME", "explicit_app",
                    "QUARKUS_DATASOURCE_PASSWORD", "explicit-pw"))) {
                PackagedApp.await("readiness UP on the explicitly configured database", Duration.ofSeconds(60),
                        () -> app.management("/q/health/ready").status() == 200);
                assertEquals(201, app.put("/api/users/5", null).status());
                assertTrue(app.log().contains("as user explicit_app (from QUARKUS_DATASOURCE_JDBC_URL)"), app.log());
                assertFalse(app.log().contains("explicit-pw"));
                assertFalse(app.log().contains("wrong-pw"));
            }
        }
    }

    @Test
    void aDatabaseThatNeverComesIsGivenUpOnAfterTheConfiguredWait() throws Exception {
        int closedPort = OwnedPostgres.freePort();
        try (PackagedApp app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://app:never-logged-pw@127.0.0.1:" + closedPort + "/app",
                "PGSTACK_STARTUP_MAX_WAIT", "3S"))) {
            PackagedApp.await("liveness UP while waiting", Duration.ofSeconds(60),
                    () -> app.management("/q/health/live").status() == 200);
            assertEquals(503, app.management("/q/health/started").status());
            assertEquals(1, app.waitForExit(Duration.ofSeconds(60)), "exit code after giving up");
            String log = app.log();
            assertTrue(log.contains("Database still not reachable after PT3S; giving up"), log);
            assertFalse(log.contains("never-logged-pw"), log);
            assertFalse(Logs.hasStackTrace(log), "no stack trace:\n" + log);
        }
    }

    @Test
    void withoutAnyDatabaseSettingTheJarExitsWithOneClearLine() throws Exception {
        try (PackagedApp app = PackagedApp.launch(Map.of())) {
            assertEquals(1, app.waitForExit(Duration.ofSeconds(60)));
            String log = app.log();
            assertTrue(log.contains("pgstack cannot start: no database configured. Set DATABASE_URL"), log);
            assertFalse(Logs.hasStackTrace(log), "no stack trace:\n" + log);
        }
    }

    @Test
    void aBadDatabaseUrlExitsWithoutEchoingThePassword() throws Exception {
        try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL", "postgres://app:hunter2@host:port/db"))) {
            assertEquals(1, app.waitForExit(Duration.ofSeconds(60)));
            String log = app.log();
            assertTrue(log.contains("DATABASE_URL is not a valid PostgreSQL URL: the port is not a number"), log);
            assertFalse(log.contains("hunter2"), log);
            assertFalse(Logs.hasStackTrace(log), "no stack trace:\n" + log);
        }
    }

    @Test
    void aDotEnvFileAndPortConfigureItBelowTheRealEnvironment() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("dotenv_app", "dotenv-pw", "dotenvdb");
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pgstack-dotenv-");
            java.nio.file.Files.writeString(dir.resolve(".env"), String.join("\n",
                    "# Python-style variables, as the seed apps keep them",
                    "DATABASE_URL=postgresql://dotenv_app:dotenv-pw@127.0.0.1:" + postgres.port() + "/dotenvdb",
                    "DB_POOL_SIZE=2",
                    "DB_MAX_OVERFLOW=2",
                    "DB_APPLICATION_NAME=from-dotenv-file",
                    ""));
            int port = OwnedPostgres.freePort();
            try (PackagedApp app = PackagedApp.launch(Map.of("PORT", Integer.toString(port),
                    "DB_APPLICATION_NAME", "from-real-env"), dir)) {
                PackagedApp.await("readiness UP on the database of the .env file", Duration.ofSeconds(60),
                        () -> app.management("/q/health/ready").status() == 200);
                assertEquals(201, app.put("/api/users/6", null).status(), "serves on PORT " + port);
                String log = app.log();
                assertTrue(log.contains("as user dotenv_app (from DATABASE_URL)"), log);
                assertTrue(log.contains("connections at most 4 (JDBC min 2, max 2; reactive max 2)"), log);
                // min == max: the warm-up leaves Flyway its two connections, and still fills the pool
                assertTrue(log.contains("pool warmed with 2 connections"), log);
                assertFalse(log.contains("warm-up stopped"), log);
                assertTrue(log.contains("application_name from-real-env"), "the real environment wins: " + log);
                assertTrue(log.contains("Listening on: http://0.0.0.0:" + port), log);
                assertFalse(log.contains("dotenv-pw"), log);
            }
        }
    }

    @Test
    void aMigrationFailingOnTheFirstAttemptIsOneLineAndExit1() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("broken_app", "broken-pw", "brokendb");
            // an object that V1 wants to create already exists: the migration fails, not the connection
            postgres.execute("brokendb", "CREATE TABLE users (something text)", "ALTER TABLE users OWNER TO broken_app");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://broken_app:broken-pw@127.0.0.1:" + postgres.port() + "/brokendb"))) {
                assertEquals(1, app.waitForExit(Duration.ofSeconds(60)), "exit code of a failed migration");
                String log = app.log();
                assertTrue(log.contains("Database initialisation failed"), log);
                assertFalse(Logs.hasStackTrace(log), "no stack trace:\n" + log);
                assertFalse(log.contains("broken-pw"), log);
            }
        }
    }

    private static List<String> applicationNames(OwnedPostgres postgres) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = postgres.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT application_name FROM pg_stat_activity WHERE datname = 'appdb'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> applicationNamesQuietly(OwnedPostgres postgres) {
        try {
            return applicationNames(postgres);
        } catch (Exception e) {
            return List.of("?");
        }
    }
}

package dev.pgstack.db.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * Migrations as an operation, on the packaged application and a PostgreSQL the test owns: a service started with
 * PGSTACK_MIGRATE_AT_START=false waits (readiness DOWN, API 503) until the {@code migrate} command has run, then
 * serves; {@code info}, {@code undo}, {@code migrate} again and {@code validate} exit 0 with one clear line each;
 * a failing command exits 1 with one line and no stack trace.
 */
@Tag(Suites.OWNS_SERVERS)
class MigrationCommandsIT {

    static final String PASSWORD = "migrate-pw";

    @Test
    void theServiceWaitsForTheMigrateCommandAndTheCommandsWorkFromAnEmptyDatabase() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("migrate_app", PASSWORD, "migratedb");
            Map<String, String> env = Map.of("DATABASE_URL",
                    "postgresql://migrate_app:" + PASSWORD + "@127.0.0.1:" + postgres.port() + "/migratedb");
            Map<String, String> serviceEnv = new java.util.HashMap<>(env);
            serviceEnv.put("PGSTACK_MIGRATE_AT_START", "false");
            serviceEnv.put("PGSTACK_STARTUP_MAX_BACKOFF", "500MS");
            try (PackagedApp service = PackagedApp.launch(serviceEnv)) {
                PackagedApp.await("liveness UP", Duration.ofSeconds(60),
                        () -> service.management("/q/health/live").status() == 200);
                PackagedApp.await("the service has found the schema behind", Duration.ofSeconds(30),
                        () -> service.get("/api/users/1").body().contains("waiting for migrations"));
                assertEquals(503, service.management("/q/health/ready").status(), "not ready before migrate");
                PackagedApp.Response early = service.get("/api/users/1");
                assertEquals(503, early.status());
                assertTrue(early.body().contains("waiting for migrations"), early.body());

                PackagedApp.Command migrate = PackagedApp.run(env, "migrate");
                assertEquals(0, migrate.exitCode(), migrate.output());
                assertTrue(migrate.output().contains("migrate: 8 applied, schema at version 8"), migrate.output());

                PackagedApp.await("readiness UP once the schema is there", Duration.ofSeconds(30),
                        () -> service.management("/q/health/ready").status() == 200);
                assertEquals(201, service.put("/api/users/7", null).status());
                assertTrue(service.log().contains("Waiting for the schema"), service.log());
            }

            PackagedApp.Command info = PackagedApp.run(env, "info");
            assertEquals(0, info.exitCode(), info.output());
            assertTrue(info.output().contains("current version: 8; pending: 0"), info.output());
            // the answer alone on stdout, a person's to read: no log line, no JSON, no "Listening on"
            List<String> answer = info.stdout().lines().toList();
            assertTrue(answer.get(0).startsWith("version") && answer.get(answer.size() - 1).startsWith("current version"),
                    info.stdout());
            assertFalse(info.stdout().contains("{\"") || info.stdout().contains("Listening") || info.stdout()
                    .contains("INFO"), info.stdout());

            PackagedApp.Command undo = PackagedApp.run(env, "undo");
            assertEquals(0, undo.exitCode(), undo.output());
            assertTrue(undo.output().contains("undo: 1 undone (8), schema at version 7"), undo.output());

            PackagedApp.Command again = PackagedApp.run(env, "migrate");
            assertEquals(0, again.exitCode(), again.output());
            assertTrue(again.output().contains("migrate: 1 applied, schema at version 8"), again.output());

            PackagedApp.Command validate = PackagedApp.run(env, "validate");
            assertEquals(0, validate.exitCode(), validate.output());
            assertTrue(validate.output().contains("validate: 8 migrations match their checksums"), validate.output());

            PackagedApp.Command revision = PackagedApp.run(env, "revision", "add_tags");
            assertEquals(1, revision.exitCode(), "revision writes source files: refused outside a checkout");

            for (PackagedApp.Command c : new PackagedApp.Command[] { migrate(env), info, undo, again, validate }) {
                assertFalse(c.output().contains(PASSWORD), "no password in a command's output");
                assertFalse(Logs.hasStackTrace(c.output()), "no stack trace:\n" + c.output());
            }
        }
    }

    @Test
    void aCommandThatCannotReachTheDatabaseExits1WithOneLine() throws Exception {
        int closed = OwnedPostgres.freePort();
        PackagedApp.Command migrate = PackagedApp.run(Map.of("DATABASE_URL",
                "postgresql://app:never-shown@127.0.0.1:" + closed + "/app"), "migrate");
        assertEquals(1, migrate.exitCode(), migrate.output());
        assertTrue(migrate.output().contains("migrate failed: "), migrate.output());
        assertFalse(migrate.output().contains("never-shown"), migrate.output());
        assertFalse(Logs.hasStackTrace(migrate.output()), "no stack trace:\n" + migrate.output());
        PackagedApp.Command unknown = PackagedApp.run(Map.of(), "upgrade");
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("unknown command 'upgrade'"), unknown.output());
    }

    private static PackagedApp.Command migrate(Map<String, String> env) throws Exception {
        return PackagedApp.run(env, "migrate");
    }
}

package dev.pgstack.db.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.Logs;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * Three instances started at the same moment on an empty database, as an orchestrator scaling to three does:
 * exactly one applies the migrations (Flyway's lock makes the others wait, then they find nothing to do), all three
 * become ready and serve, and no log has an error or warning.
 */
@Tag(Suites.OWNS_SERVERS)
class ManyInstancesIT {

    static final Pattern APPLIED = Pattern.compile("Migrations: (\\d+) applied");

    @Test
    void threeInstancesOnAnEmptyDatabaseMigrateOnceAndAllBecomeReady() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("many_app", "many-pw", "manydb");
            // Three JVMs starting at once on two cores are slow by design here: a readiness SELECT 1 over the
            // default 2 s would log "Readiness DOWN" and a statement over 1 s "Slow SQL took", both WARN lines that
            // say nothing about migrations. A generous health timeout and no slow-statement log keep those out;
            // any other warning or error still fails the test.
            Map<String, String> env = Map.of("DATABASE_URL", "postgresql://many_app:many-pw@127.0.0.1:"
                    + postgres.port() + "/manydb", "DB_POOL_SIZE", "2", "DB_MAX_OVERFLOW", "3",
                    "QUARKUS_SHUTDOWN_DELAY", "0S", "PGSTACK_HEALTH_TIMEOUT", "15S", "DB_SLOW_QUERY_MS", "0");
            List<PackagedApp> apps = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    apps.add(PackagedApp.launch(env));
                }
                for (PackagedApp app : apps) {
                    PackagedApp.await("instance ready", Duration.ofSeconds(90),
                            () -> app.management("/q/health/ready").status() == 200);
                }
                for (int i = 0; i < apps.size(); i++) {
                    PackagedApp app = apps.get(i);
                    assertEquals(201, app.put("/api/users/" + (8100 + i), null).status());
                    assertEquals(201, app.post("/api/users/" + (8100 + i) + "/messages",
                            "{\"role\":\"user\",\"content\":\"from instance " + i + "\"}").status());
                }

                List<Integer> applied = new ArrayList<>();
                for (PackagedApp app : apps) {
                    String log = app.log();
                    Matcher m = APPLIED.matcher(log);
                    applied.add(m.find() ? Integer.parseInt(m.group(1)) : -1);
                    assertFalse(Logs.hasWarningOrError(log), "error or warning in:\n" + log);
                    assertFalse(Logs.hasStackTrace(log), "stack trace in:\n" + log);
                }
                int migrations = countMigrations(postgres);
                assertEquals(1, applied.stream().filter(n -> n == migrations).count(),
                        "exactly one instance applies all " + migrations + " migrations: " + applied);
                assertEquals(2, applied.stream().filter(n -> n == 0).count(), "the others apply none: " + applied);
                System.out.printf("three instances: migrations applied per instance %s%n", applied);
            } finally {
                apps.forEach(PackagedApp::close);
            }
        }
    }

    /** Rows of the Flyway history, each version once: a migration applied twice would fail on its own DDL. */
    private static int countMigrations(OwnedPostgres postgres) throws Exception {
        try (Connection c = postgres.superuser("manydb"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT version) FROM flyway_schema_history "
                        + "WHERE success AND version IS NOT NULL")) {
            rs.next();
            assertEquals(rs.getInt(1), rs.getInt(2), "a version in the history twice");
            return rs.getInt(1);
        }
    }
}

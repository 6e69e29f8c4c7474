package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * A wrong password at startup is not a network problem: after a few refusals the service says "refused" and
 * exits 1, instead of retrying for the whole startup wait (five minutes) as if the database were not there yet.
 */
@Tag(Suites.OWNS_SERVERS)
class RefusedCredentialsIT {

    @Test
    void aWrongPasswordStopsTheServiceEarlyWithTheRightWords() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("refused_app", "right-pw", "refuseddb");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://refused_app:wrong-pw@127.0.0.1:" + postgres.port() + "/refuseddb"))) {
                long started = System.nanoTime();
                int exit = app.waitForExit(Duration.ofSeconds(60));
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                String log = app.log();
                assertEquals(1, exit, log);
                assertTrue(tookMs < 30_000, "stopped after " + tookMs + " ms");
                assertTrue(log.contains("Database refused the credentials 3 times") && log.contains("28P01"), log);
                assertFalse(log.contains("not reachable yet"), "not a network problem: " + log);
                assertFalse(log.contains("wrong-pw"), log);
            }
        }
    }
}

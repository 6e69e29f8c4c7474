package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.MessageLoad;
import dev.pgstack.support.MessageLoad.Op;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;

/**
 * One instance at its defaults, pushed by 64 clients on both pools, opens at most half of a default server's
 * max_connections (100): the two pools share one budget (40) instead of each taking the whole.
 */
@Tag(Suites.OWNS_SERVERS)
class ConnectionBudgetIT {

    @Test
    void anInstanceAtItsDefaultsUsesAtMostHalfOfADefaultServer() throws Exception {
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("budget_app", "budget-pw", "budgetdb");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://budget_app:budget-pw@127.0.0.1:" + postgres.port() + "/budgetdb",
                    "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
                PackagedApp.await("ready", Duration.ofSeconds(90), () -> app.management("/q/health/ready").status() == 200);
                for (int u = 1; u <= 64; u++) {
                    assertTrue(app.put("/api/users/" + u, null).status() / 100 == 2);
                }
                AtomicInteger peak = new AtomicInteger();
                try (MessageLoad load = new MessageLoad(app, 64, "1",
                        List.of(Op.KEYED_WRITE, Op.WRITE, Op.HISTORY, Op.CATEGORIES))) {
                    long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
                    while (System.nanoTime() < until) {
                        peak.accumulateAndGet(connections(postgres), Math::max);
                        Thread.sleep(100); // time itself: the peak over 12 s of load, sampled every 100 ms
                    }
                }
                System.out.printf("[budget] defaults, 64 clients: at most %d connections to the server%n", peak.get());
                assertTrue(peak.get() <= 50, "connections at peak: " + peak.get());
                assertTrue(peak.get() > 20, "both pools were used: " + peak.get());
                assertEquals(200, app.management("/q/health/ready").status());
            }
        }
    }

    private static int connections(OwnedPostgres postgres) throws Exception {
        try (Connection c = postgres.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'budget_app'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

package dev.pgstack.db.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * A replica that fails a read hands it to the next usable replica before the primary: in a failover the primary
 * may be gone while the monitor still calls the failing replica usable (PatroniFailoverIT saw one such 503 at a
 * kill -9). The monitor checks once an hour here, so that only the read itself can find replica-1 gone.
 */
@Tag(Suites.OWNS_SERVERS)
class ReplicaFallbackIT {

    static final Pattern UP = Pattern.compile("\"state\"\\s*:\\s*\"UP\"");

    @Test
    void aReadWhoseReplicaFailsIsServedByTheOtherReplicaWhileThePrimaryIsDown() throws Exception {
        try (SystemPostgres primary = SystemPostgres.primary(Map.of())) {
            primary.execute("postgres", "CREATE ROLE rf_app LOGIN PASSWORD 'rf-pw'", "CREATE DATABASE rfdb OWNER rf_app");
            try (SystemPostgres first = primary.standby(Map.of());
                    SystemPostgres second = primary.standby(Map.of())) {
                // a transaction both replay before the service starts: its one check (at start) then measures a lag
                // from that replay, not "never replayed" (LAGGING)
                primary.execute("postgres", "CREATE TABLE replayed_once (x int)", "DROP TABLE replayed_once");
                PackagedApp.await("both replicas replayed a transaction", Duration.ofSeconds(20),
                        () -> hasReplayed(first) && hasReplayed(second));
                serveWithTheOtherReplica(primary, first, second);
            }
        }
    }

    private static void serveWithTheOtherReplica(SystemPostgres primary, SystemPostgres first, SystemPostgres second)
            throws Exception {
        try (PackagedApp app = PackagedApp.launch(Map.of(
                "DATABASE_URL", "postgresql://rf_app:rf-pw@127.0.0.1:" + primary.port + "/rfdb",
                "DATABASE_REPLICA_URL", "postgresql://127.0.0.1:" + first.port + "/rfdb,postgresql://127.0.0.1:"
                        + second.port + "/rfdb",
                "DB_REPLICA_MAX_LAG", "30",
                "PGSTACK_REPLICA_CHECK_INTERVAL", "1H",
                "PGSTACK_ADMIN_PASSWORD", "ops", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
            PackagedApp.await("ready", Duration.ofSeconds(60), () -> app.management("/q/health/ready").status() == 200);
            assertEquals(201, app.put("/api/users/7001", null).status());
            assertEquals(201, app.post("/api/users/7001/messages", "{\"role\":\"user\",\"content\":\"kept\"}")
                    .status());
            primary.awaitReplayedOn(first, Duration.ofSeconds(20));
            primary.awaitReplayedOn(second, Duration.ofSeconds(20));
            PackagedApp.await("both replicas checked UP", Duration.ofSeconds(20), () -> upCount(app) == 2);

            primary.stop("immediate");
            first.stop("immediate");
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // the reactive hot read, and a Hibernate read (a session outside a transaction)
                for (String path : List.of("/api/users/7001/messages?limit=5", "/api/users/7001")) {
                    PackagedApp.Response r = app.get(path);
                    if (r.status() != 200) {
                        failed.add(path + " " + r.status() + " " + r.body());
                    }
                }
            }
            assertEquals(List.of(), failed, "reads while the primary and replica-1 are down");
        }
    }

    private static boolean hasReplayed(SystemPostgres replica) {
        try (var c = replica.superuser("postgres"); var st = c.createStatement();
                var rs = st.executeQuery("SELECT pg_last_xact_replay_timestamp() IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        } catch (Exception notYet) {
            return false;
        }
    }

    private static int upCount(PackagedApp app) {
        Matcher m = UP.matcher(app.management("/q/db/pool", "admin", "ops").body());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

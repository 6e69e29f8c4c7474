package dev.pgstack.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;

/**
 * A commit that the server made but could not confirm: with synchronous replication, a primary whose backend is
 * terminated while it waits for its standby has committed locally ("canceling the wait for synchronous
 * replication ... already committed locally", what a Patroni failover does). The client must hear "outcome
 * unknown", never "nothing written": a client without an Idempotency-Key that trusted the latter would write
 * twice. On both write paths: the keyed one (a JTA transaction on the JDBC pool) and the unkeyed one (a
 * statement on the reactive pool).
 */
@Tag(Suites.OWNS_SERVERS)
class CommitOutcomeIT {

    @Test
    void aCommitCutOffWhileWaitingForItsStandbyIsReportedAsUnknownAndWasStored() throws Exception {
        try (SystemPostgres server = SystemPostgres.primary(Map.of())) {
            server.execute("postgres", "CREATE ROLE co_app LOGIN PASSWORD 'co-pw'", "CREATE DATABASE codb OWNER co_app");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://co_app:co-pw@127.0.0.1:" + server.port + "/codb", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
                PackagedApp.await("ready", Duration.ofSeconds(90),
                        () -> app.management("/q/health/ready").status() == 200);
                assertTrue(app.put("/api/users/9", null).status() / 100 == 2);
                // every commit now waits for a standby that never comes
                server.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = 'nobody'",
                        "SELECT pg_reload_conf()");
                for (Map<String, String> headers : java.util.List.of(Map.of("Idempotency-Key", "co-keyed"),
                        Map.<String, String> of())) {
                    String content = headers.isEmpty() ? "co-unkeyed" : "co-keyed";
                    CompletableFuture<PackagedApp.Response> answer = CompletableFuture.supplyAsync(() -> app.post(
                            "/api/users/9/messages", "{\"role\":\"user\",\"content\":\"" + content + "\"}", headers));
                    PackagedApp.await("a commit waiting for its standby", Duration.ofSeconds(20),
                            () -> waitingForStandby(server) > 0);
                    server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE wait_event = 'SyncRep'");
                    PackagedApp.Response response = answer.get();
                    assertEquals(503, response.status(), response.body());
                    assertTrue(response.body().contains("urn:pgstack:problem:commit-outcome-unknown"),
                            content + ": " + response.body());
                    assertEquals(1, stored(server, content), "the commit was made locally");
                }
            }
        }
    }

    private static int waitingForStandby(SystemPostgres server) {
        try (Connection c = server.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            return 0;
        }
    }

    private static int stored(SystemPostgres server, String content) throws Exception {
        try (Connection c = server.superuser("codb"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM messages WHERE content = '" + content + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

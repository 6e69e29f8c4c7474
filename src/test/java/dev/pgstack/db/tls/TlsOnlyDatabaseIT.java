package dev.pgstack.db.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;
import dev.pgstack.support.TestCertificates;

/**
 * The packaged service against a PostgreSQL 15 that accepts TLS only, as every managed database does: with
 * verify-full every hot path (reactive) and every Hibernate path answers, over TLS on every connection; a
 * certificate that does not verify keeps it not ready and answers 503, never 500, with one line naming the host
 * and the check; the server's certificate replaced and reloaded while it runs costs nothing.
 */
@Tag(Suites.OWNS_SERVERS)
class TlsOnlyDatabaseIT {

    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @Test
    void verifyFullServesEveryPathOverTlsAndSurvivesACertificateReload() throws Exception {
        try (TestCertificates ca = TestCertificates.authority("tls-it-ca")) {
            TestCertificates.Pair cert = ca.issue("server", "db.test", "DNS:localhost,IP:127.0.0.1");
            ca.handTo("postgres");
            try (SystemPostgres server = tlsOnly(ca, cert)) {
                String url = "postgresql://tls_app:tls-pw@127.0.0.1:" + server.port + "/tlsdb?sslmode=verify-full"
                        + "&sslrootcert=" + ca.caCert;
                // the same server as a replica, its URL without TLS parameters: it takes the primary's
                String replica = "postgresql://127.0.0.1:" + server.port + "/tlsdb";
                try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL", url, "DATABASE_REPLICA_URL", replica,
                        "DB_APPLICATION_NAME", "pgstack-tls", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
                    PackagedApp.await("ready", Duration.ofSeconds(90),
                            () -> app.management("/q/health/ready").status() == 200);
                    servesEveryPath(app, 1);
                    PackagedApp.await("reads served by the replica over TLS", Duration.ofSeconds(20), () -> {
                        app.get("/api/users/77/messages?limit=5");
                        return app.management("/q/metrics").body().contains("pgstack_reads_total{target=\"replica-1\"}");
                    });
                    // the primary's pools, the replica's, the replication monitor: every session is encrypted
                    assertEquals(0, plaintextSessions(server), "every pgstack session is encrypted");
                    PackagedApp.Command info = PackagedApp.run(Map.of("DATABASE_URL", url), "info");
                    assertEquals(0, info.exitCode(), info.output());
                    assertTrue(info.stdout().contains("current version: 8; pending: 0"), info.output());

                    // a new server certificate from the same CA, reloaded; pooled sessions ended: new ones verify it
                    TestCertificates.Pair renewed = ca.issue("server-renewed", "db.test", "DNS:localhost,IP:127.0.0.1");
                    ca.handTo("postgres");
                    Files.copy(renewed.cert(), cert.cert(), StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(renewed.key(), cert.key(), StandardCopyOption.REPLACE_EXISTING);
                    ca.handTo("postgres");
                    server.reload();
                    // with a timeout (PostgreSQL 14+; Debian's server here is 15), it returns once the sessions
                    // are gone, not merely signalled: what follows is served by new connections for sure
                    server.execute("postgres", "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                            + "WHERE application_name = 'pgstack-tls'");
                    PackagedApp.await("serving again on new connections", Duration.ofSeconds(20),
                            () -> app.get("/api/categories").status() == 200);
                    servesEveryPath(app, 2);
                    assertEquals(0, plaintextSessions(server));
                    assertFalse(app.log().contains("\"level\":\"ERROR\""), app.log());
                }
            }
        }
    }

    @Test
    void aCertificateThatDoesNotVerifyKeepsTheServiceNotReadyWithA503AndOneLineSayingWhy() throws Exception {
        try (TestCertificates ca = TestCertificates.authority("tls-it-ca2");
                TestCertificates stranger = TestCertificates.authority("tls-it-stranger")) {
            TestCertificates.Pair cert = ca.issue("server", "db.test", "DNS:localhost,IP:127.0.0.1");
            ca.handTo("postgres");
            try (SystemPostgres server = tlsOnly(ca, cert)) {
                String url = "postgresql://tls_app:tls-pw@127.0.0.1:" + server.port + "/tlsdb?sslmode=verify-ca"
                        + "&sslrootcert=" + stranger.caCert;
                try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL", url, "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
                    PackagedApp.await("started, waiting for its database", Duration.ofSeconds(60),
                            () -> app.management("/q/health/live").status() == 200);
                    for (int i = 0; i < 3; i++) {
                        assertEquals(503, app.management("/q/health/ready").status());
                        PackagedApp.Response product = app.get("/api/products/1");
                        assertEquals(503, product.status(), product.body());
                        assertEquals(503, app.get("/api/categories").status());
                        Thread.sleep(500); // time itself: "stays 503" is a claim over a period, 3 probes 0.5 s apart
                    }
                    String log = app.log();
                    assertTrue(log.lines().anyMatch(l -> l.contains("Database 127.0.0.1:" + server.port + " not reachable")
                            && l.contains("PKIX path building failed")), "one line names the host and the check: " + log);
                    assertFalse(log.contains("tls-pw"), log);
                }
            }
        }
    }

    private static SystemPostgres tlsOnly(TestCertificates ca, TestCertificates.Pair cert) throws Exception {
        SystemPostgres server = SystemPostgres.primary(Map.of("ssl", "on", "ssl_cert_file", "'" + cert.cert() + "'",
                "ssl_key_file", "'" + cert.key() + "'"));
        server.execute("postgres", "CREATE ROLE tls_app LOGIN PASSWORD 'tls-pw'", "CREATE DATABASE tlsdb OWNER tls_app");
        server.hba("hostssl all postgres 127.0.0.1/32 trust\n"
                + "hostssl all all 127.0.0.1/32 scram-sha-256\n"
                + "hostnossl all all 0.0.0.0/0 reject\n");
        return server;
    }

    /** A category and a product (Hibernate), then the hot paths: a product by id, a new message, a history. */
    private static void servesEveryPath(PackagedApp app, int round) {
        PackagedApp.Response category = app.post("/api/categories", "{\"name\":\"tls " + round + "\"}");
        assertEquals(201, category.status(), category.body());
        PackagedApp.Response product = app.post("/api/products", "{\"name\":\"p" + round
                + "\",\"price\":1.5,\"quantity\":2}");
        assertEquals(201, product.status(), product.body());
        Matcher id = ID.matcher(product.body());
        assertTrue(id.find(), product.body());
        assertEquals(200, app.get("/api/products/" + id.group(1)).status());
        assertEquals(200, app.get("/api/products?limit=5").status());
        assertTrue(app.put("/api/users/77", null).status() / 100 == 2);
        assertEquals(201, app.post("/api/users/77/messages", "{\"role\":\"user\",\"content\":\"over tls\"}").status());
        PackagedApp.Response history = app.get("/api/users/77/messages?limit=5");
        assertEquals(200, history.status(), history.body());
        assertTrue(history.body().contains("over tls"), history.body());
    }

    private static int plaintextSessions(SystemPostgres server) throws Exception {
        try (Connection c = server.superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE NOT s.ssl), count(*) "
                        + "FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name LIKE 'pgstack%'")) {
            rs.next();
            assertTrue(rs.getInt(2) >= 3, "pgstack has sessions (pools and monitor): " + rs.getInt(2));
            return rs.getInt(1);
        }
    }
}

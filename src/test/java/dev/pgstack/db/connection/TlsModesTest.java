package dev.pgstack.db.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.pgstack.db.config.DatabaseUrl;
import dev.pgstack.db.config.SessionSettings;
import dev.pgstack.support.Suites;
import dev.pgstack.support.SystemPostgres;
import dev.pgstack.support.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;

/**
 * libpq's TLS parameters against a PostgreSQL 15 that accepts TLS only, with certificates the test makes: every
 * mode gives the same answer on both clients (pgjdbc with {@link LibpqSslFactory}, the reactive client with the
 * options {@link ConnectionPolicy} sets), and that answer is libpq's.
 */
@Tag(Suites.OWNS_SERVERS)
class TlsModesTest {

    static TestCertificates ca;
    static TestCertificates otherCa;
    static TestCertificates.Pair client;
    static SystemPostgres server;
    static Vertx vertx;

    @BeforeAll
    static void tlsOnlyServer() throws Exception {
        ca = TestCertificates.authority("tls-modes-ca");
        otherCa = TestCertificates.authority("tls-modes-other-ca");
        TestCertificates.Pair cert = ca.issue("server", "db.test", "DNS:localhost,IP:127.0.0.1");
        client = ca.issue("certuser", "certuser", null);
        ca.handTo("postgres");
        server = SystemPostgres.primary(Map.of("ssl", "on", "ssl_cert_file", "'" + cert.cert() + "'",
                "ssl_key_file", "'" + cert.key() + "'", "ssl_ca_file", "'" + ca.caCert + "'",
                "listen_addresses", "'127.0.0.1,127.0.0.2'"));
        server.execute("postgres", "CREATE ROLE certuser LOGIN");
        server.hba("hostssl all certuser 127.0.0.0/8 cert\n"
                + "hostssl all all 127.0.0.0/8 trust\n"
                + "hostnossl all all 0.0.0.0/0 reject\n");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        for (TestCertificates c : new TestCertificates[] { ca, otherCa }) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void modesThatMayEncryptConnectToATlsOnlyServerOverTls() throws Exception {
        for (String mode : new String[] { "allow", "prefer", "require" }) {
            bothConnectOverTls("127.0.0.1", Map.of("sslmode", mode), "postgres");
        }
        bothConnectOverTls("127.0.0.1", Map.of(), "postgres"); // libpq's default, prefer
        bothConnectOverTls("127.0.0.1", Map.of("ssl", "require"), "postgres"); // asyncpg's spelling
    }

    @Test
    void disableIsRefusedByATlsOnlyServer() throws Exception {
        bothRefused("127.0.0.1", Map.of("sslmode", "disable"), "postgres");
    }

    @Test
    void verifyCaAcceptsTheRightCaWhateverTheHostName() throws Exception {
        bothConnectOverTls("127.0.0.1", Map.of("sslmode", "verify-ca", "sslrootcert", ca.caCert.toString()),
                "postgres");
        bothConnectOverTls("127.0.0.2", Map.of("sslmode", "verify-ca", "sslrootcert", ca.caCert.toString()),
                "postgres");
    }

    @Test
    void aWrongCaIsRefusedAndRequireWithARootCertificateChecksItAsLibpqDoes() throws Exception {
        bothRefused("127.0.0.1", Map.of("sslmode", "verify-ca", "sslrootcert", otherCa.caCert.toString()), "postgres");
        bothRefused("127.0.0.1", Map.of("sslmode", "verify-full", "sslrootcert", otherCa.caCert.toString()),
                "postgres");
        bothRefused("127.0.0.1", Map.of("sslmode", "require", "sslrootcert", otherCa.caCert.toString()), "postgres");
    }

    @Test
    void verifyFullChecksTheHostName() throws Exception {
        bothConnectOverTls("127.0.0.1", Map.of("sslmode", "verify-full", "sslrootcert", ca.caCert.toString()),
                "postgres");
        bothConnectOverTls("localhost", Map.of("sslmode", "verify-full", "sslrootcert", ca.caCert.toString()),
                "postgres");
        // 127.0.0.2 is the same server, but not a name its certificate was issued for
        bothRefused("127.0.0.2", Map.of("sslmode", "verify-full", "sslrootcert", ca.caCert.toString()), "postgres");
    }

    @Test
    void systemTrustsTheJvmsStoreOnlyWhichDoesNotHoldTheTestsCa() throws Exception {
        bothRefused("127.0.0.1", Map.of("sslrootcert", "system"), "postgres");
    }

    @Test
    void aClientCertificateAuthenticatesItsUserWithAPkcs8OrPkcs1Key() throws Exception {
        Map<String, String> tls = new LinkedHashMap<>(Map.of("sslmode", "verify-full",
                "sslrootcert", ca.caCert.toString(), "sslcert", client.cert().toString(),
                "sslkey", client.key().toString()));
        bothConnectOverTls("127.0.0.1", tls, "certuser");
        tls.put("sslkey", ca.pkcs1(client.key()).toString());
        bothConnectOverTls("127.0.0.1", tls, "certuser");
        bothRefused("127.0.0.1", Map.of("sslmode", "verify-full", "sslrootcert", ca.caCert.toString()), "certuser");
    }

    private void bothConnectOverTls(String host, Map<String, String> tls, String user) throws Exception {
        DatabaseUrl url = url(host, tls, user);
        try (Connection c = jdbc(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next() && rs.getBoolean(1), "JDBC over TLS with " + tls);
        }
        PgConnection connection = reactive(url);
        try {
            var rows = connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Boolean.TRUE, rows.iterator().next().getBoolean(0), "reactive over TLS with " + tls);
        } finally {
            connection.close();
        }
    }

    private void bothRefused(String host, Map<String, String> tls, String user) throws Exception {
        DatabaseUrl url = url(host, tls, user);
        try (Connection c = jdbc(url)) {
            fail("JDBC connected with " + tls + " to " + host);
        } catch (java.sql.SQLException expected) {
            assertTrue(expected.getSQLState().startsWith("08") || expected.getSQLState().startsWith("28"),
                    expected.getSQLState() + " " + expected.getMessage());
        }
        try {
            reactive(url).close();
            fail("the reactive client connected with " + tls + " to " + host);
        } catch (java.util.concurrent.ExecutionException expected) {
            // refused: a handshake that failed, or the server's rejection
        }
    }

    private static DatabaseUrl url(String host, Map<String, String> tls, String user) {
        StringBuilder query = new StringBuilder();
        tls.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=').append(v));
        return DatabaseUrl.parse("test", "postgresql://" + user + "@" + host + ":" + server.port + "/postgres" + query);
    }

    private static Connection jdbc(DatabaseUrl url) throws java.sql.SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        properties.setProperty("sslfactory", SessionSettings.SSL_FACTORY);
        properties.setProperty("connectTimeout", "5");
        return new org.postgresql.Driver().connect(url.jdbcUrl(), properties);
    }

    private static PgConnection reactive(DatabaseUrl url) throws Exception {
        PgConnectOptions options = new PgConnectOptions().setHost(url.host()).setPort(url.port())
                .setDatabase(url.database()).setUser(url.user()).setConnectTimeout(5000);
        ConnectionPolicy.tls(options, url.tls());
        return PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture().get(15,
                TimeUnit.SECONDS);
    }

}

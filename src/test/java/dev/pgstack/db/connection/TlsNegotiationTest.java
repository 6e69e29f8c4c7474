package dev.pgstack.db.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pgstack.db.sql.DatabaseFailure;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The question pgstack asks before a reactive connection fails as a connection fails, whatever ends it: a server
 * that resets the socket as a fast shutdown does (NIO says a plain IOException) must be the database being
 * unavailable (a 503), never an unclassified error (a 500).
 */
class TlsNegotiationTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aServerThatResetsTheQuestionIsUnavailable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> reset = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    InputStream in = accepted.getInputStream();
                    in.readNBytes(8); // the SSLRequest
                    accepted.setSoLinger(true, 0); // close with a reset, as a terminated backend's socket
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TlsNegotiation negotiation = new TlsNegotiation(vertx, 5_000);
            Throwable failure = negotiation.offersTls(SocketAddress.inetSocketAddress(server.getLocalPort(),
                    "127.0.0.1")).toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get(10,
                            TimeUnit.SECONDS);
            reset.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, failure);
            assertEquals(DatabaseFailure.Kind.UNAVAILABLE, DatabaseFailure.of(failure).orElseThrow().kind());
        }
    }

    /**
     * A server without TLS (PgBouncer's usual set-up) gets a plain connection with every other option as configured:
     * the layer-7-proxy mode above all, which PgBouncer's transaction pooling needs (PgBouncerIT saw 500s and
     * protocol violations when a copy of the options dropped it).
     */
    @Test
    void aServerWithoutTlsGetsAPlainConnectionWithEveryOtherOptionKept() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> refuses = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().readNBytes(8);
                    accepted.getOutputStream().write('N');
                    accepted.getInputStream().read(); // until the question's socket is closed
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            PgConnectOptions configured = new PgConnectOptions().setHost("127.0.0.1").setPort(server.getLocalPort())
                    .setSslMode(SslMode.PREFER).setUseLayer7Proxy(true).setPipeliningLimit(1)
                    .setCachePreparedStatements(false).setProperties(Map.of("application_name", "pgstack"));
            SqlConnectOptions negotiated = new TlsNegotiation(vertx, 5_000).negotiated(configured)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            refuses.get(10, TimeUnit.SECONDS);
            PgConnectOptions plain = (PgConnectOptions) negotiated;
            assertEquals(SslMode.DISABLE, plain.getSslMode());
            assertTrue(plain.getUseLayer7Proxy(), "layer-7-proxy mode kept");
            assertEquals(1, plain.getPipeliningLimit());
            assertEquals(false, plain.getCachePreparedStatements());
            assertEquals(Map.of("application_name", "pgstack"), plain.getProperties());
        }
    }

    @Test
    void aTransportsPlainIoFailureBecomesASocketErrorWithItsCause() {
        java.io.IOException reset = new java.io.IOException("Connection reset by peer");
        Throwable failure = DatabaseFailure.asConnectionFailure(reset);
        assertInstanceOf(SocketException.class, failure);
        assertTrue(failure.getCause() == reset);
        assertEquals(DatabaseFailure.Kind.UNAVAILABLE, DatabaseFailure.of(failure).orElseThrow().kind());
        assertTrue(DatabaseFailure.of(reset).isEmpty(), "why the wrapping is needed: a plain IOException is no failure"
                + " of the database to DatabaseFailure");
    }
}

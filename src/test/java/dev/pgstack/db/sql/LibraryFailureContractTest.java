package dev.pgstack.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgstack.db.connection.ReactiveSockets;
import dev.pgstack.db.sql.DatabaseFailure.Kind;
import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * The failures that {@link DatabaseFailure} can only tell by a library's wording or exception type, produced for
 * real by the libraries in the build (Agroal, pgjdbc, the Vert.x PostgreSQL client) against a real server: an
 * upgrade that rewords or retypes one of them fails here, not in production. docs/upgrading.md lists them.
 */
class LibraryFailureContractTest {

    static OwnedPostgres server;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        server = new OwnedPostgres().start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- Agroal + pgjdbc -----------------------------------------------------------------------------------------

    /** Agroal's "Sorry, acquisition timeout!": every connection in use, none returned in time. SQLSTATE: none. */
    @Test
    void agroalAcquisitionTimeoutWithEveryConnectionInUseIsAPoolTimeout() throws Exception {
        try (AgroalDataSource pool = agroal(server.jdbcUrl("postgres"), 200); Connection held = pool.getConnection()) {
            SQLException timeout = assertThrows(SQLException.class, pool::getConnection);
            assertKind(Kind.POOL_TIMEOUT, timeout);
        }
    }

    /**
     * Agroal's "Acquisition timeout while waiting for new connection": the new connection's handshake is never
     * answered (a host that accepts TCP but says nothing, as behind a half-open partition).
     */
    @Test
    void agroalAcquisitionTimeoutWhileConnectingIsAPoolTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                AgroalDataSource pool = agroal("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort()
                        + "/postgres?connectTimeout=2&loginTimeout=2&socketTimeout=2", 200)) {
            SQLException timeout = assertThrows(SQLException.class, pool::getConnection);
            assertKind(Kind.POOL_TIMEOUT, timeout);
        }
    }

    /** pgjdbc refused by a port nothing listens on: 08001, directly and through Agroal. */
    @Test
    void jdbcConnectionRefusedIsUnavailable() throws Exception {
        String nobody = "jdbc:postgresql://127.0.0.1:" + OwnedPostgres.freePort() + "/postgres?connectTimeout=2";
        SQLException direct = assertThrows(SQLException.class, () -> DriverManager.getConnection(nobody, "postgres", ""));
        assertEquals("08001", direct.getSQLState());
        assertKind(Kind.UNAVAILABLE, direct);
        try (AgroalDataSource pool = agroal(nobody, 5000)) {
            SQLException pooled = assertThrows(SQLException.class, pool::getConnection);
            assertKind(Kind.UNAVAILABLE, pooled);
        }
    }

    /**
     * The session terminated under a running statement (what a fast shutdown or a failover does to each session):
     * pgjdbc reports the server's 57P01, and a statement on the connection afterwards is refused with 08003.
     */
    @Test
    void jdbcConnectionTerminatedUnderAStatementIsUnavailable() throws Exception {
        try (Connection victim = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "")) {
            int pid = backendPid(victim);
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try (Statement st = victim.createStatement()) {
                    st.execute("SELECT pg_sleep(30)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            terminateWhenRunning(pid);
            Throwable underStatement = running.get(10, TimeUnit.SECONDS);
            assertNotNull(underStatement, "the statement should have failed");
            assertKind(Kind.UNAVAILABLE, underStatement);

            SQLException afterwards = assertThrows(SQLException.class,
                    () -> victim.createStatement().execute("SELECT 1"));
            assertKind(Kind.UNAVAILABLE, afterwards);
        }
    }

    // ---- Vert.x PostgreSQL client -------------------------------------------------------------------------------

    /**
     * The pool's statements (what db.reactive.ReactiveSql runs) when every connection is in use past
     * PoolOptions.connectionTimeout: a VertxException "Timeout waiting for connection".
     */
    @Test
    void reactivePoolWaitTimeoutIsAPoolTimeout() throws Exception {
        Pool pool = reactive(serverOptions(), new PoolOptions().setMaxSize(1).setConnectionTimeout(200)
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
        try {
            SqlConnection held = await(pool.getConnection());
            Throwable timeout = failure(pool.query("SELECT 1").execute());
            assertKind(Kind.POOL_TIMEOUT, timeout);
            await(held.close());
        } finally {
            await(pool.close());
        }
    }

    /** A port nothing listens on: the socket's ConnectException, on a pool's statement and on a connection. */
    @Test
    void reactiveConnectionRefusedIsUnavailable() throws Exception {
        PgConnectOptions nobody = serverOptions().setPort(OwnedPostgres.freePort());
        Pool pool = reactive(nobody, new PoolOptions().setMaxSize(1));
        try {
            assertKind(Kind.UNAVAILABLE, failure(pool.query("SELECT 1").execute()));
            assertKind(Kind.UNAVAILABLE, failure(pool.getConnection()));
        } finally {
            await(pool.close());
        }
    }

    /**
     * The session terminated under a running statement: the running statement and one pipelined behind it (the
     * socket's reset, a SocketException), then a statement on the connection after it closed (a NoStackTraceThrowable
     * "Connection is not active now, current status: CLOSED", known only by its text).
     */
    @Test
    void reactiveConnectionTerminatedUnderAStatementIsUnavailable() throws Exception {
        SqlConnection victim = await(io.vertx.pgclient.PgConnection.connect(vertx,
                serverOptions()));
        try {
            int pid = await(victim.query("SELECT pg_backend_pid()").execute()).iterator().next().getInteger(0);
            var running = victim.preparedQuery("SELECT pg_sleep(30)").execute();
            var queued = victim.preparedQuery("SELECT 2").execute();
            terminateWhenRunning(pid);
            assertKind(Kind.UNAVAILABLE, failure(running));
            assertKind(Kind.UNAVAILABLE, failure(queued));
            assertKind(Kind.UNAVAILABLE, failure(victim.query("SELECT 3").execute()));
        } finally {
            victim.close();
        }
    }

    /**
     * db.connection.ReactiveSockets reaches each pooled connection's socket through the client's
     * implementation types (io.vertx.sqlclient.impl) to close it at once; a graceful close would wait for a
     * statement in a partition forever. If those types change, the socket is no longer found: nothing is tracked,
     * and the running statement is not failed.
     */
    @Test
    void reactiveSocketsClosesAPooledSocketUnderARunningStatement() throws Exception {
        ReactiveSockets connections = new ReactiveSockets();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(serverOptions())
                .using(vertx).withConnectHandler(connections::track).build();
        try {
            var running = pool.query("SELECT pg_sleep(30)").execute();
            PackagedApp.await("the statement runs on the server", Duration.ofSeconds(10),
                    () -> runningSleeps("true") > 0);
            long closed = System.nanoTime();
            assertEquals(1, connections.closeAll(), "the pool's one socket should have been tracked");
            Throwable failure = failure(running);
            assertTrue(System.nanoTime() - closed < TimeUnit.SECONDS.toNanos(5),
                    "the statement should fail when its socket is closed, not when the server answers");
            assertKind(Kind.UNAVAILABLE, failure);
            // the pool discards the connection and makes a new one; a statement given the closed connection
            // before the pool learnt of it fails with "Connection is not active now ...", a connection failure
            for (int tries = 0;; tries++) {
                try {
                    assertEquals(1, (int) await(pool.query("SELECT 1").execute()).iterator().next().getInteger(0));
                    break;
                } catch (ExecutionException e) {
                    assertKind(Kind.UNAVAILABLE, e.getCause());
                    assertTrue(tries < 3, "the pool kept the closed connection");
                }
            }
        } finally {
            server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()"); // if the socket stayed open
            await(pool.close());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static void assertKind(Kind expected, Throwable failure) {
        Optional<DatabaseFailure> classified = DatabaseFailure.of(failure);
        assertEquals(Optional.of(expected), classified.map(DatabaseFailure::kind),
                () -> "classified " + failure + " (" + chain(failure) + ")");
        assertTrue(DatabaseFailure.isServerSide(failure));
    }

    static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.length() == 0 ? "" : " < ").append(t.getClass().getName()).append(": ")
                    .append(t.getMessage());
        }
        return out.toString();
    }

    static AgroalDataSource agroal(String url, long acquisitionTimeoutMillis) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(1)
                        .acquisitionTimeout(Duration.ofMillis(acquisitionTimeoutMillis))
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(url)
                                .principal(new NamePrincipal("postgres")))));
    }

    static PgConnectOptions serverOptions() {
        return new PgConnectOptions().setHost("127.0.0.1").setPort(server.port()).setDatabase("postgres")
                .setUser("postgres").setConnectTimeout(2000);
    }

    static Pool reactive(PgConnectOptions connect, PoolOptions pool) {
        return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
    }

    static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Terminates backend {@code pid} once it runs its pg_sleep (so that the statement is really under way). */
    static void terminateWhenRunning(int pid) throws Exception {
        PackagedApp.await("backend " + pid + " runs its statement", Duration.ofSeconds(10),
                () -> runningSleeps("pid = " + pid) == 1);
        try (Connection admin = server.superuser("postgres"); Statement st = admin.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    /** Backends running a pg_sleep statement where {@code also} holds (unchecked: a polled condition). */
    static int runningSleeps(String also) {
        try (Connection admin = server.superuser("postgres"); Statement st = admin.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND query LIKE 'SELECT pg_sleep%' AND " + also)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Throwable failure(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}

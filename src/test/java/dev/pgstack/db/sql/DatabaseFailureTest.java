package dev.pgstack.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pgstack.db.sql.DatabaseFailure.Kind;
import dev.pgstack.problem.DatabaseProblemTypes;

/** How each database failure is classified, whatever wraps it; every server-side failure is a 503 kind. */
class DatabaseFailureTest {

    static final Kind[] SERVER_SIDE = { Kind.UNAVAILABLE, Kind.REFUSED, Kind.READ_ONLY, Kind.POOL_TIMEOUT,
            Kind.NO_SLOTS, Kind.TIMEOUT, Kind.LOCK_TIMEOUT, Kind.COMMIT_FAILED, Kind.COMMIT_OUTCOME_UNKNOWN };

    @ParameterizedTest(name = "SQLSTATE {0} is {1}")
    @CsvSource({ "23505, UNIQUE", "23503, FOREIGN_KEY", "23514, INVALID_DATA", "22021, INVALID_DATA",
            "40001, CONCURRENCY", "40P01, CONCURRENCY", "55P03, LOCK_TIMEOUT", "57014, TIMEOUT",
            "25006, READ_ONLY", "28P01, REFUSED", "28000, REFUSED", "3D000, REFUSED", "42501, REFUSED",
            "08006, UNAVAILABLE", "08001, UNAVAILABLE", "57P01, UNAVAILABLE", "57P03, UNAVAILABLE",
            "53300, NO_SLOTS", "53100, UNAVAILABLE", "58030, UNAVAILABLE", "XX000, UNAVAILABLE" })
    void sqlStatesAreClassifiedThroughAnyWrapping(String state, Kind kind) {
        SQLException sql = new SQLException("server message with values", state);
        RuntimeException wrapped = new RuntimeException(new IllegalStateException(sql));
        assertEquals(kind, DatabaseFailure.of(wrapped).orElseThrow().kind());
        assertEquals(state, DatabaseFailure.of(wrapped).orElseThrow().sqlState());
    }

    @Test
    void aConnectionLostDuringCommitIsAnUnknownOutcome() {
        // what the @Transactional interceptor rethrows when Narayana's one-phase commit failed on a dead socket
        RuntimeException thrown = new RuntimeException(new HeuristicMixedException());
        assertEquals(Kind.COMMIT_OUTCOME_UNKNOWN, DatabaseFailure.of(thrown).orElseThrow().kind());
        RuntimeException system = new RuntimeException(new jakarta.transaction.SystemException("XAER_RMFAIL"));
        assertEquals(Kind.COMMIT_OUTCOME_UNKNOWN, DatabaseFailure.of(system).orElseThrow().kind());
        // even when the broken connection's SQLSTATE is further down the chain: the commit may have reached it
        HeuristicMixedException mixed = new HeuristicMixedException();
        mixed.initCause(new SQLException("I/O error", "08006"));
        assertEquals(Kind.COMMIT_OUTCOME_UNKNOWN, DatabaseFailure.of(mixed).orElseThrow().kind());
    }

    @Test
    void aRollbackAtCommitIsClassifiedByItsCauseOrElseAsAnUnknownOutcome() {
        RollbackException unique = new RollbackException("ARJUNA016053");
        unique.initCause(new RuntimeException(new SQLException("dup", "23505")));
        assertEquals(Kind.UNIQUE, DatabaseFailure.of(new RuntimeException(unique)).orElseThrow().kind());

        RollbackException broken = new RollbackException("ARJUNA016053");
        broken.initCause(new SQLException("I/O error", "08006"));
        assertEquals(Kind.UNAVAILABLE, DatabaseFailure.of(broken).orElseThrow().kind());

        RollbackException flushFailed = new RollbackException("ARJUNA016053");
        flushFailed.initCause(new IllegalStateException("flush"));
        assertEquals(Kind.COMMIT_FAILED, DatabaseFailure.of(new RuntimeException(flushFailed)).orElseThrow().kind());

        // a one-phase COMMIT that failed arrives without a cause: the server may have committed
        RollbackException bare = new RollbackException("ARJUNA016053");
        assertEquals(Kind.COMMIT_OUTCOME_UNKNOWN, DatabaseFailure.of(new RuntimeException(bare)).orElseThrow().kind());
    }

    /** What the reactive client says of statements on a connection that was closed before they were sent. */
    @Test
    void statementsThatNeverLeftAClosedReactiveConnectionAreUnavailable() {
        assertEquals(Kind.UNAVAILABLE, DatabaseFailure.of(new io.vertx.core.impl.NoStackTraceThrowable(
                "Pending requests failed to be sent due to connection has been closed.")).orElseThrow().kind());
        assertEquals(Kind.UNAVAILABLE, DatabaseFailure.of(new io.vertx.core.impl.NoStackTraceThrowable(
                "Connection is not active now, current status: CLOSED")).orElseThrow().kind());
        assertEquals(java.util.Optional.empty(),
                DatabaseFailure.of(new io.vertx.core.impl.NoStackTraceThrowable("something else")));
    }

    /** The reactive client's failures (the hot paths): the server's errors and the connection's. */
    @Test
    void reactiveClientFailuresAreClassifiedLikeJdbcOnes() {
        io.vertx.pgclient.PgException refused = new io.vertx.pgclient.PgException("password authentication failed",
                "FATAL", "28P01", null);
        assertEquals(Kind.REFUSED, DatabaseFailure.of(new RuntimeException(refused)).orElseThrow().kind());
        assertEquals("28P01", DatabaseFailure.of(refused).orElseThrow().sqlState());
        assertEquals(Kind.UNAVAILABLE,
                DatabaseFailure.of(io.vertx.sqlclient.ClosedConnectionException.INSTANCE).orElseThrow().kind());
        // a server killed under a statement resets the socket (seen in FailoverIT)
        assertEquals(Kind.UNAVAILABLE,
                DatabaseFailure.of(new java.net.SocketException("Connection reset")).orElseThrow().kind());
        assertEquals(Kind.UNAVAILABLE,
                DatabaseFailure.of(new java.net.ConnectException("Connection refused")).orElseThrow().kind());
        assertEquals(Kind.POOL_TIMEOUT, DatabaseFailure.of(
                new io.vertx.core.VertxException("Timeout waiting for connection", true)).orElseThrow().kind());
        // other I/O exceptions are not the database's: a JSON error is an IOException too
        assertTrue(DatabaseFailure.of(new RuntimeException(new com.fasterxml.jackson.core.JsonParseException(
                (com.fasterxml.jackson.core.JsonParser) null, "bad JSON"))).isEmpty());
        assertEquals(Kind.COMMIT_OUTCOME_UNKNOWN, DatabaseFailure.of(
                new DatabaseFailure.OutcomeUnknown(io.vertx.sqlclient.ClosedConnectionException.INSTANCE))
                .orElseThrow().kind());
    }

    @Test
    void everyServerSideKindIsA503AndNothingElseIsAFailure() {
        for (Kind kind : SERVER_SIDE) {
            assertTrue(kind.serverSide, kind.name());
            // what a kind means to clients is decided above the database layer, in one mapping
            assertEquals(503, DatabaseProblemTypes.of(kind).status(), kind.name());
        }
        assertTrue(DatabaseFailure.of(new IllegalArgumentException("not a database error")).isEmpty());
        assertTrue(DatabaseFailure.of(new SQLException("no state")).isEmpty());
        assertEquals(Kind.POOL_TIMEOUT,
                DatabaseFailure.of(new SQLException("Acquisition timeout while waiting for new connection"))
                        .orElseThrow().kind());
    }
}

package dev.pgstack.db.sql;

import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.transaction.xa.XAException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;

import org.hibernate.exception.JDBCConnectionException;
import org.postgresql.util.PSQLException;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * What kind of database error a failure is, read from the SQLSTATE anywhere in the cause chain (Hibernate, JTA
 * and Agroal wrap it differently), or from how the transaction ended. Only the state, the constraint name and the
 * kind are kept: never the SQL text or the values, which the driver's message may contain.
 */
public record DatabaseFailure(Kind kind, String sqlState, String constraint) {

    /**
     * What went wrong, as far as the database layer can tell; what each kind means to a client (status, problem
     * type) is decided above, in problem.DatabaseProblemTypes.
     */
    public enum Kind {
        /** unique_violation */
        UNIQUE(false),
        /** foreign_key_violation: a parent row missing, or a child row still there */
        FOREIGN_KEY(false),
        /** check, not-null, data exceptions (e.g. NUL byte in text) */
        INVALID_DATA(false),
        /** serialization failure, deadlock: the client may retry */
        CONCURRENCY(false),
        /** server down, restarting, out of connections or resources */
        UNAVAILABLE(true),
        /** the server refuses the service's credentials or privileges (e.g. after a password rotation) */
        REFUSED(true),
        /** the database accepts no writes (a standby, or default_transaction_read_only) */
        READ_ONLY(true),
        /** no pooled connection within the acquisition timeout */
        POOL_TIMEOUT(true),
        /**
         * the server has no connection slot left for a new session (53300, also "remaining connection slots are
         * reserved"): busy, not down; the connections already held still work (db.connection.ConnectionSlots)
         */
        NO_SLOTS(true),
        /** statement_timeout or cancel */
        TIMEOUT(true),
        /** lock_timeout: a row or table lock was not granted in time */
        LOCK_TIMEOUT(true),
        /** the commit failed and the transaction was rolled back: nothing was written, a retry is safe */
        COMMIT_FAILED(true),
        /** the connection failed during COMMIT: the writes may or may not be stored */
        COMMIT_OUTCOME_UNKNOWN(true);

        /** The failure is on the database's side (down, refusing, read-only, timing out), not the request's. */
        public final boolean serverSide;

        Kind(boolean serverSide) {
            this.serverSide = serverSide;
        }
    }

    /**
     * The connection failed while a statement that is its own transaction (autocommit, db.reactive.ReactiveSql)
     * ran: it may or may not have been committed.
     */
    public static final class OutcomeUnknown extends RuntimeException {
        public OutcomeUnknown(Throwable cause) {
            super("the connection failed while the statement ran", cause, false, false);
        }
    }

    /**
     * No connection came free within the acquisition timeout while the pool may not grow (db.connection.ConnectionSlots):
     * a pool timeout, as the pools' own.
     */
    public static final class NoConnectionInTime extends RuntimeException {
        public NoConnectionInTime(String why) {
            super(why, null, false, false);
        }
    }

    /** A refusal of a new connection for lack of server slots (53300), which no statement was sent on. */
    public static boolean isNoSlots(Throwable failure) {
        return of(failure).map(f -> f.kind() == Kind.NO_SLOTS).orElse(false);
    }

    /**
     * {@code failure} as the socket error it is, when it comes from a connection's transport: Java's NIO reports a
     * reset by the server (a fast shutdown's) as a plain IOException, which {@link #of} does not take for a
     * database failure (Jackson's errors are IOExceptions too). Only for failures that can come from nothing but a
     * connection: a reactive statement's, the TLS question's (db.connection.TlsNegotiation).
     */
    public static Throwable asConnectionFailure(Throwable failure) {
        if (!(failure instanceof IOException) || failure instanceof SocketException) {
            return failure;
        }
        SocketException connection = new SocketException("the connection failed: " + failure.getMessage());
        connection.initCause(failure);
        return connection;
    }

    /** A failure on the database's side (down, refusing, read-only, timing out): worth a retry. */
    public static boolean isServerSide(Throwable error) {
        return of(error).map(f -> f.kind().serverSide).orElse(false);
    }

    /** A one-line reason without SQL or credentials: the exception type and, for SQL errors, its SQLSTATE. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = sql.getMessage() == null ? "" : sql.getMessage().lines().findFirst().orElse("");
                return "SQLSTATE " + sql.getSQLState() + ": " + message;
            }
            if (t instanceof PgException pg) {
                return "SQLSTATE " + pg.getSqlState() + ": " + pg.getErrorMessage();
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines()
                .findFirst().orElse(""));
    }

    public static Optional<DatabaseFailure> of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoConnectionInTime) {
                return Optional.of(new DatabaseFailure(Kind.POOL_TIMEOUT, null, null));
            }
            if (isOutcomeUnknown(t)) {
                return Optional.of(new DatabaseFailure(Kind.COMMIT_OUTCOME_UNKNOWN, null, null));
            }
            if (t instanceof RollbackException
                    || t instanceof HeuristicRollbackException) {
                // rolled back at commit: the cause says why (a constraint checked at flush, a broken connection).
                // Without one, the one-phase COMMIT itself failed (Agroal reports any failure of it as a rollback,
                // XA_RBROLLBACK, and Narayana keeps no cause): the server may have committed, e.g. a backend
                // terminated while it waited for its synchronous standby (CommitOutcomeIT)
                return Optional.of(sqlCause(t).orElse(new DatabaseFailure(
                        t.getCause() == null ? Kind.COMMIT_OUTCOME_UNKNOWN : Kind.COMMIT_FAILED, null, null)));
            }
            Optional<DatabaseFailure> direct = direct(t);
            if (direct.isPresent()) {
                return direct;
            }
        }
        return Optional.empty();
    }

    /**
     * Narayana reports a commit that may have reached the server as heuristic-mixed or as a system error; the
     * reactive client's lone statements as {@link OutcomeUnknown}.
     */
    private static boolean isOutcomeUnknown(Throwable t) {
        return t instanceof OutcomeUnknown || t instanceof HeuristicMixedException
                || t instanceof SystemException
                || t instanceof XAException;
    }

    private static Optional<DatabaseFailure> sqlCause(Throwable rollback) {
        for (Throwable t = rollback.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<DatabaseFailure> direct = direct(t);
            if (direct.isPresent()) {
                return direct;
            }
        }
        return Optional.empty();
    }

    private static Optional<DatabaseFailure> direct(Throwable t) {
        if (t instanceof SQLException sql) {
            return Optional.ofNullable(classify(sql));
        }
        if (t instanceof JDBCConnectionException) {
            return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, null, null));
        }
        return reactive(t);
    }

    /** The reactive client's failures (db.reactive.ReactiveSql): the server's error, or the connection's. */
    private static Optional<DatabaseFailure> reactive(Throwable t) {
        if (t instanceof PgException pg) {
            return Optional.ofNullable(classify(pg.getSqlState(), pg.getConstraint()));
        }
        // closed, reset (a server killed mid-statement), refused (ConnectException), unknown host: socket-level
        // only, not every IOException (Jackson's errors are IOExceptions too, and no database failure)
        // a TLS handshake that failed (a certificate that does not verify, a server without TLS) is the
        // connection's failure too: nothing was sent
        if (t instanceof ClosedConnectionException || t instanceof SocketException
                || t instanceof UnknownHostException || t instanceof SSLException
                || t instanceof ClosedChannelException) {
            return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, null, null));
        }
        // The client has no types for these two, only generic exceptions and their wording (vertx-sql-client's
        // SqlConnectionPool and SocketConnectionBase); LibraryFailureContractTest makes the real client produce them
        // (docs/upgrading.md). A refused or reset connection is a SocketException above, whatever its message.
        if ((t instanceof VertxException || t instanceof NoStackTraceThrowable)
                && t.getMessage() != null) {
            // every connection in use past PoolOptions.connectionTimeout, on the pool's own statements
            if (t.getMessage().startsWith("Timeout waiting for connection")) {
                return Optional.of(new DatabaseFailure(Kind.POOL_TIMEOUT, null, null));
            }
            // the connection closed under a statement not sent yet: "Connection is not active now ..." on a closed
            // connection, "Pending requests failed to be sent ..." when it closed without an error (with one, the
            // error is its cause and classified by type)
            if (t.getMessage().startsWith("Pending requests failed to be sent")
                    || t.getMessage().startsWith("Connection is not active now")) {
                return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, null, null));
            }
        }
        return Optional.empty();
    }

    private static DatabaseFailure classify(SQLException sql) {
        String state = sql.getSQLState();
        String message = sql.getMessage() == null ? "" : sql.getMessage();
        if (state == null) {
            // Agroal's acquisition timeout is a plain SQLException without SQLSTATE: "Sorry, acquisition timeout!"
            // (every connection in use) or "Acquisition timeout while waiting for new connection" (the new one's
            // handshake unanswered); LibraryFailureContractTest produces both with the real pool
            if (message.contains("cquisition timeout")) {
                return new DatabaseFailure(Kind.POOL_TIMEOUT, null, null);
            }
            // Agroal's "Failed to enlist": the pooled connection could not begin the request's transaction, its
            // socket gone (aborted when its host stopped answering, db.connection.JdbcSockets) before the pool
            // checked it; SuspendedJdbcPoolTest produces it with the real pool and transaction manager
            if (message.startsWith("Failed to enlist")) {
                return new DatabaseFailure(Kind.UNAVAILABLE, null, null);
            }
            return null;
        }
        return classify(state, constraintName(sql));
    }

    private static DatabaseFailure classify(String state, String constraint) {
        if (state == null) {
            return null;
        }
        Kind kind = switch (state) {
            case "23505" -> Kind.UNIQUE;
            case "23503" -> Kind.FOREIGN_KEY;
            case "40001", "40P01" -> Kind.CONCURRENCY;
            case "55P03" -> Kind.LOCK_TIMEOUT;
            case "57014" -> Kind.TIMEOUT;
            case "25006" -> Kind.READ_ONLY;
            case "53300" -> Kind.NO_SLOTS;
            // 28000/28P01 credentials refused, 3D000 database gone, 42501 privilege revoked
            case "3D000", "42501" -> Kind.REFUSED;
            default -> byClass(state);
        };
        return kind == null ? null : new DatabaseFailure(kind, state, constraint);
    }

    private static Kind byClass(String state) {
        if (state.startsWith("23") || state.startsWith("22")) {
            return Kind.INVALID_DATA;
        }
        if (state.startsWith("28")) {
            return Kind.REFUSED;
        }
        // 08 connection, 57P shutdown/restart, 53 resources (too many connections, disk full), 58 system error,
        // XX internal error: all on the server's side
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("58")
                || state.startsWith("XX")) {
            return Kind.UNAVAILABLE;
        }
        return null;
    }

    /** A batched statement reports the server's error as the next exception of a BatchUpdateException. */
    private static String constraintName(SQLException sql) {
        for (SQLException e = sql; e != null; e = e.getNextException() == e ? null : e.getNextException()) {
            if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }
}

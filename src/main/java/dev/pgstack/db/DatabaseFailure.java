package dev.pgstack.db;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What a database error means for the client, read from the SQLSTATE anywhere in the cause chain (Hibernate, JTA
 * and Agroal wrap it differently). Only the state, the constraint name and the kind are kept: never the SQL text
 * or the values, which the driver's message may contain.
 */
public record DatabaseFailure(Kind kind, String sqlState, String constraint) {

    public enum Kind {
        /** unique_violation: 409 */
        UNIQUE,
        /** foreign_key_violation: 409 or 404 */
        FOREIGN_KEY,
        /** check, not-null, data exceptions (e.g. NUL byte in text): 400 */
        INVALID_DATA,
        /** serialization failure, deadlock, lock not available: 409, the client may retry */
        CONCURRENCY,
        /** server down, restarting, or out of connections: 503 */
        UNAVAILABLE,
        /** no pooled connection within the acquisition timeout: 503 */
        POOL_TIMEOUT,
        /** statement_timeout or cancel: 503 */
        TIMEOUT
    }

    public static Optional<DatabaseFailure> of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                DatabaseFailure failure = classify(sql);
                if (failure != null) {
                    return Optional.of(failure);
                }
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, null, null));
            }
        }
        return Optional.empty();
    }

    private static DatabaseFailure classify(SQLException sql) {
        String state = sql.getSQLState();
        String message = sql.getMessage() == null ? "" : sql.getMessage();
        if (state == null) {
            // Agroal's acquisition timeout carries no SQLSTATE.
            if (message.contains("cquisition timeout")) {
                return new DatabaseFailure(Kind.POOL_TIMEOUT, null, null);
            }
            return null;
        }
        String constraint = constraintName(sql);
        if (state.equals("23505")) {
            return new DatabaseFailure(Kind.UNIQUE, state, constraint);
        }
        if (state.equals("23503")) {
            return new DatabaseFailure(Kind.FOREIGN_KEY, state, constraint);
        }
        if (state.startsWith("23") || state.startsWith("22")) {
            return new DatabaseFailure(Kind.INVALID_DATA, state, constraint);
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
            return new DatabaseFailure(Kind.CONCURRENCY, state, null);
        }
        if (state.equals("57014")) {
            return new DatabaseFailure(Kind.TIMEOUT, state, null);
        }
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.equals("53000")) {
            return new DatabaseFailure(Kind.UNAVAILABLE, state, null);
        }
        return null;
    }

    private static String constraintName(SQLException sql) {
        if (sql instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
            return psql.getServerErrorMessage().getConstraint();
        }
        return null;
    }
}

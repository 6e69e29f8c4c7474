package dev.pgstack.problem;

import dev.pgstack.db.sql.DatabaseFailure;

/**
 * What each kind of database failure means to clients: the one mapping from {@link DatabaseFailure.Kind} (the
 * database layer's classification, which knows nothing of HTTP) to a {@link ProblemType} of the catalogue. The
 * exception mapper refines it with what it knows of the request (a foreign key to the path's resource is a 404,
 * a pool timeout while the host is unreachable is the database being unavailable).
 */
public final class DatabaseProblemTypes {

    private DatabaseProblemTypes() {
    }

    public static ProblemType of(DatabaseFailure.Kind kind) {
        return switch (kind) {
            case UNIQUE, FOREIGN_KEY, CONCURRENCY -> ProblemType.CONFLICT;
            case INVALID_DATA -> ProblemType.VALIDATION;
            case UNAVAILABLE -> ProblemType.DATABASE_UNAVAILABLE;
            case REFUSED -> ProblemType.DATABASE_REFUSED;
            case READ_ONLY -> ProblemType.DATABASE_READ_ONLY;
            case POOL_TIMEOUT, NO_SLOTS -> ProblemType.POOL_EXHAUSTED;
            case TIMEOUT -> ProblemType.TIMEOUT;
            case LOCK_TIMEOUT -> ProblemType.LOCK_TIMEOUT;
            case COMMIT_FAILED -> ProblemType.COMMIT_FAILED;
            case COMMIT_OUTCOME_UNKNOWN -> ProblemType.COMMIT_OUTCOME_UNKNOWN;
        };
    }

    /**
     * A failure in words anyone may read (health checks, operations endpoints): its problem type and SQLSTATE,
     * never the server's message (hosts, users).
     */
    public static String reason(Throwable e) {
        return DatabaseFailure.of(e)
                .map(f -> of(f.kind()).slug() + (f.sqlState() == null ? "" : " (SQLSTATE " + f.sqlState() + ")"))
                .orElse(e.getClass().getSimpleName());
    }
}

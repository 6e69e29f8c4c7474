package dev.pgstack.web.errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.pgstack.db.ops.PoolMetrics;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.problem.ConstraintNames;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.Problems;

/**
 * Database failures, and anything else unexpected, as problem answers. Constraint violations name the field the
 * client sent (each feature declares its constraints, {@link ConstraintNames}); a database that is down,
 * refusing, read-only or timing out is a 503 with one log line and a reference, never a 500. Never the SQL text,
 * a bound value or the server's message.
 */
public class DatabaseProblemMappers {

    private static final Logger LOG = Logger.getLogger(DatabaseProblemMappers.class);

    @Inject
    UriInfo uriInfo;

    @Inject
    Problems problems;

    @Inject
    jakarta.inject.Provider<PoolMetrics> poolMetrics;

    @Inject
    Instance<ConstraintNames> features;

    @Inject
    dev.pgstack.db.health.ReachabilityWatch reachability;

    private volatile ConstraintNames merged;

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response any(Throwable e) {
        var failure = DatabaseFailure.of(e);
        if (failure.isPresent()) {
            return database(failure.get());
        }
        String id = UUID.randomUUID().toString();
        // The exception's message may contain SQL text: only its type at ERROR, the rest for whoever enables DEBUG.
        LOG.errorf("Unexpected error %s on %s: %s", id, uriInfo.getPath(), e.getClass().getName());
        LOG.debugf(e, "Unexpected error %s", id);
        return problem(500, "internal", "Internal Server Error", "unexpected error; reference " + id, null);
    }

    private Response database(DatabaseFailure failure) {
        String field = failure.constraint() == null ? null : constraints().fields().get(failure.constraint());
        DatabaseFailure.Kind kind = failure.kind();
        if (kind == DatabaseFailure.Kind.POOL_TIMEOUT && reachability.unreachable() != null) {
            // no connection could be made, not one came free: telling the operator to enlarge the pool would mislead
            kind = DatabaseFailure.Kind.UNAVAILABLE;
        }
        switch (kind) {
            case UNIQUE:
                return problem(409, kind.type, "Conflict",
                        field != null ? field + ": already exists" : "the resource already exists", null);
            case FOREIGN_KEY:
                String parent = failure.constraint() == null ? null
                        : constraints().parents().get(failure.constraint());
                if (parent != null) {
                    return problem(404, "not-found", "Not Found", "the " + parent + " does not exist", null);
                }
                return problem(409, kind.type, "Conflict",
                        field != null ? field + ": refers to something that does not exist or is still referenced"
                                : "the request refers to a resource that does not exist or is still in use",
                        null);
            case INVALID_DATA:
                return problem(400, kind.type, "Invalid request",
                        field != null ? field + ": rejected by the database" : "a value was rejected by the database",
                        field == null ? null : List.of(new Problem.Violation(field, "rejected by the database")));
            case CONCURRENCY:
                return problems.retryable(body(409, kind.type, "Conflict",
                        "a concurrent request changed the same data; retry", null));
            case POOL_TIMEOUT:
                poolMetrics.get().acquisitionTimedOut();
                break;
            default:
                break;
        }
        // 503s: one log line each, with a reference the answer repeats; never the SQL or the server's message
        String reference = UUID.randomUUID().toString();
        LOG.warnf("%s on %s (SQLSTATE %s), reference %s", kind.type, uriInfo.getPath(),
                failure.sqlState() == null ? "-" : failure.sqlState(), reference);
        return problem(503, kind.type, "Service Unavailable", UNAVAILABLE_DETAILS.get(kind) + "; reference "
                + reference, null);
    }

    private static final Map<DatabaseFailure.Kind, String> UNAVAILABLE_DETAILS = Map.of(
            DatabaseFailure.Kind.UNAVAILABLE, "the database cannot be reached right now; retry later",
            DatabaseFailure.Kind.REFUSED,
            "the database refused the service's connection (credentials or privileges); retry later",
            DatabaseFailure.Kind.READ_ONLY,
            "the database accepts no writes right now (read-only, or a standby); retry later",
            DatabaseFailure.Kind.POOL_TIMEOUT,
            "every database connection is busy and none came free within the acquisition timeout; retry later",
            DatabaseFailure.Kind.TIMEOUT, "the database did not answer within the statement timeout; retry later",
            DatabaseFailure.Kind.LOCK_TIMEOUT,
            "the data is locked by another transaction and the lock timeout passed; retry later",
            DatabaseFailure.Kind.COMMIT_FAILED,
            "the transaction could not be committed and was rolled back, nothing was written; retry",
            DatabaseFailure.Kind.COMMIT_OUTCOME_UNKNOWN,
            "the database connection failed during commit, so the change may or may not be stored; "
                    + "retry with the same Idempotency-Key to be safe");


    /** Every feature's constraint names, merged once. */
    private ConstraintNames constraints() {
        ConstraintNames all = merged;
        if (all == null) {
            Map<String, String> fields = new HashMap<>();
            Map<String, String> parents = new HashMap<>();
            for (ConstraintNames feature : features) {
                fields.putAll(feature.fields());
                parents.putAll(feature.parents());
            }
            Map<String, String> f = Map.copyOf(fields);
            Map<String, String> p = Map.copyOf(parents);
            all = new ConstraintNames() {
                @Override
                public Map<String, String> fields() {
                    return f;
                }

                @Override
                public Map<String, String> parents() {
                    return p;
                }
            };
            merged = all;
        }
        return all;
    }

    private Response problem(int status, String type, String title, String detail, List<Problem.Violation> violations) {
        return problems.response(body(status, type, title, detail, violations));
    }

    private Problem body(int status, String type, String title, String detail, List<Problem.Violation> violations) {
        String instance;
        try {
            instance = uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException e) {
            instance = null;
        }
        return new Problem(Problem.TYPE_PREFIX + type, title, status, detail, instance, violations);
    }
}

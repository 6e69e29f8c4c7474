package dev.pgstack.web.errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.ops.PoolMetrics;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.problem.ConstraintNames;
import dev.pgstack.problem.DatabaseProblemTypes;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;

/**
 * Database failures, and anything else unexpected, as problem answers. Constraint violations name the field the
 * client sent (each feature declares its constraints, {@link ConstraintNames}); a database that is down,
 * refusing, read-only or timing out is a 503 with one log line and a reference, never a 500. Never the SQL text,
 * a bound value or the server's message.
 */
public class DatabaseProblemMappers {

    private static final Logger LOG = Logger.getLogger(DatabaseProblemMappers.class);

    @Inject
    ProblemResponses answers;

    @Inject
    Provider<PoolMetrics> poolMetrics;

    @Inject
    Instance<ConstraintNames> features;

    @Inject
    DatabaseAvailability availability;

    private volatile ConstraintNames merged;

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response any(Throwable e) {
        var failure = DatabaseFailure.of(e);
        if (failure.isPresent()) {
            return database(failure.get());
        }
        return answers.answer(UnexpectedErrors.report(500, answers.path(), e, answers.instance()));
    }

    private Response database(DatabaseFailure failure) {
        String field = failure.constraint() == null ? null : constraints().fields().get(failure.constraint());
        ProblemType type = DatabaseProblemTypes.of(failure.kind());
        switch (failure.kind()) {
            case UNIQUE:
                return answers.answer(type, field != null ? field + ": already exists" : "the resource already exists");
            case FOREIGN_KEY:
                String parent = failure.constraint() == null ? null
                        : constraints().parents().get(failure.constraint());
                if (parent != null) {
                    return answers.answer(ProblemType.NOT_FOUND, "the " + parent + " does not exist");
                }
                return answers.answer(type, field != null
                        ? field + ": refers to something that does not exist or is still referenced"
                        : "the request refers to a resource that does not exist or is still in use");
            case INVALID_DATA:
                return answers.answer(type,
                        field != null ? field + ": rejected by the database" : "a value was rejected by the database",
                        field == null ? null : List.of(new Problem.Violation(field, "rejected by the database")));
            case CONCURRENCY:
                return answers.retryable(type, "a concurrent request changed the same data; retry");
            case READ_ONLY:
                // what the primary answered, reported as readiness's probe would: the model leaves a read-only
                // server for a new connection (AvailabilityRules.onChange), an old writer after a DNS failover
                availability.readOnly(true);
                break;
            case POOL_TIMEOUT:
                if (AvailabilityRules.poolTimeoutIsUnavailability(availability.now())) {
                    type = ProblemType.DATABASE_UNAVAILABLE;
                } else {
                    poolMetrics.get().acquisitionTimedOut();
                }
                break;
            default:
                break;
        }
        // 503s: one log line each, with a reference the answer repeats; never the SQL or the server's message
        String reference = UUID.randomUUID().toString();
        LOG.warnf("%s on %s (SQLSTATE %s), reference %s", type.slug(), answers.path(),
                failure.sqlState() == null ? "-" : failure.sqlState(), reference);
        return answers.answer(type, UNAVAILABLE_DETAILS.get(type) + "; reference " + reference);
    }

    private static final Map<ProblemType, String> UNAVAILABLE_DETAILS = Map.of(
            ProblemType.DATABASE_UNAVAILABLE, "the database cannot be reached right now; retry later",
            ProblemType.DATABASE_REFUSED,
            "the database refused the service's connection (credentials or privileges); retry later",
            ProblemType.DATABASE_READ_ONLY,
            "the database accepts no writes right now (read-only, or a standby); retry later",
            ProblemType.POOL_EXHAUSTED,
            "every database connection is busy and none came free within the acquisition timeout; retry later",
            ProblemType.TIMEOUT, "the database did not answer within the statement timeout; retry later",
            ProblemType.LOCK_TIMEOUT,
            "the data is locked by another transaction and the lock timeout passed; retry later",
            ProblemType.COMMIT_FAILED,
            "the transaction could not be committed and was rolled back, nothing was written; retry",
            ProblemType.COMMIT_OUTCOME_UNKNOWN,
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
}

package dev.pgstack.problem;

import java.util.Optional;

/**
 * Every kind of problem answer the service gives: the one catalogue that the exception mappers, the features, the
 * handlers below JAX-RS and the OpenAPI document take their type, status and title from. A client tells problems
 * apart by {@link #uri()}; the slug after {@link Problem#TYPE_PREFIX} is part of the contract (API.md), so a
 * constant may be added but never renamed. Any other HTTP error is {@code http-<status>} ({@link Problem#ofStatus}).
 */
public enum ProblemType {

    VALIDATION("validation", 400, "Invalid request",
            "a field, parameter or header breaks a rule, or the database refused a value; violations name them"),
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON",
            "the body is not JSON, not UTF-8, has a field twice, or is not the expected shape"),
    BAD_REQUEST("bad-request", 400, "Bad Request", "the request cannot be read, e.g. a Content-Length not a number"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized", "an operations endpoint without the operator's credentials"),
    NOT_FOUND("not-found", 404, "Not Found", "an unknown id or path, or a parent that was deleted meanwhile"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed", "a method the path does not answer"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not Acceptable", "an Accept header without application/json"),
    REQUEST_TIMEOUT("request-timeout", 408, "Request Timeout", "the body did not arrive within the body timeout"),
    CONFLICT("conflict", 409, "Conflict",
            "a unique or foreign key constraint, or a concurrent change of the same data (retry)"),
    IDEMPOTENCY_KEY_IN_FLIGHT("idempotency-key-in-flight", 409, "Conflict",
            "a request with the same Idempotency-Key is still being processed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload Too Large", "a body over the configured limit"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type",
            "a body that is not application/json"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Unprocessable Content",
            "an Idempotency-Key sent again with a different method, path or body"),
    INTERNAL("internal", 500, "Internal Server Error", "an unexpected error; the detail carries a log reference"),
    STARTING("starting", 503, "Service Unavailable", "the service has not reached its database yet"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "Service Unavailable",
            "the database cannot be reached, is restarting or out of resources"),
    DATABASE_REFUSED("database-refused", 503, "Service Unavailable",
            "the database refuses the service's credentials or privileges"),
    DATABASE_READ_ONLY("database-read-only", 503, "Service Unavailable",
            "the database accepts no writes (a standby, or read-only)"),
    POOL_EXHAUSTED("pool-exhausted", 503, "Service Unavailable",
            "no pooled connection came free within the acquisition timeout"),
    TIMEOUT("timeout", 503, "Service Unavailable", "a statement ran past the statement timeout"),
    LOCK_TIMEOUT("lock-timeout", 503, "Service Unavailable", "a lock was not granted within the lock timeout"),
    COMMIT_FAILED("commit-failed", 503, "Service Unavailable",
            "the commit failed and was rolled back: nothing was written, a retry is safe"),
    COMMIT_OUTCOME_UNKNOWN("commit-outcome-unknown", 503, "Service Unavailable",
            "the connection failed during the commit: retry with the same Idempotency-Key");

    private final String slug;
    private final int status;
    private final String title;
    private final String usedWhen;

    ProblemType(String slug, int status, String title, String usedWhen) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.usedWhen = usedWhen;
    }

    /** The short name after {@link Problem#TYPE_PREFIX}, e.g. "not-found". */
    public String slug() {
        return slug;
    }

    /** The {@code type} member of the answer: {@code urn:pgstack:problem:<slug>}. */
    public String uri() {
        return Problem.TYPE_PREFIX + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** One line for people reading the catalogue: when this answer is given. */
    public String usedWhen() {
        return usedWhen;
    }

    /**
     * The type of a bare HTTP status that JAX-RS or Vert.x raised itself (no route, wrong method or media type),
     * if the catalogue has one for it; other statuses are {@code http-<status>}.
     */
    public static Optional<ProblemType> forHttpStatus(int status) {
        return Optional.ofNullable(switch (status) {
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> null;
        });
    }
}

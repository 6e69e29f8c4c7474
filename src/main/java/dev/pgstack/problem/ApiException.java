package dev.pgstack.problem;

import java.util.List;

/**
 * An error that the API answers on purpose (unknown id, conflict, bad parameter). Thrown from services, so that
 * the transaction rolls back, and turned into problem+json by the request problem mapper (web.errors).
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.Violation> violations;

    public ApiException(ProblemType type, String detail, List<Problem.Violation> violations) {
        super(detail, null, false, false); // no stack trace: these are answers, not faults
        this.type = type;
        this.violations = violations;
    }

    public ApiException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(ProblemType.NOT_FOUND, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(ProblemType.CONFLICT, detail);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(ProblemType.VALIDATION, field + ": " + message,
                List.of(new Problem.Violation(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}

package dev.pgstack.problem;

import java.util.List;

/**
 * An error that the API answers on purpose (unknown id, conflict, bad parameter). Thrown from services, so that
 * the transaction rolls back, and turned into problem+json by the exception mappers of the web package.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.Violation> violations;

    public ApiException(int status, String type, String title, String detail, List<Problem.Violation> violations) {
        super(detail, null, false, false); // no stack trace: these are answers, not faults
        this.status = status;
        this.type = type;
        this.title = title;
        this.violations = violations;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not Found", detail, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail, null);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "validation", "Invalid request", field + ": " + message,
                List.of(new Problem.Violation(field, message)));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}

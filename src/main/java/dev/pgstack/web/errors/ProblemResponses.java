package dev.pgstack.web.errors;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;

/** Problem answers to the current JAX-RS request, its path as the {@code instance}: what every mapper here needs. */
@Singleton
public class ProblemResponses {

    @Inject
    UriInfo uriInfo;

    @Inject
    Problems problems;

    public Response answer(ProblemType type, String detail) {
        return answer(type, detail, null);
    }

    public Response answer(ProblemType type, String detail, List<Problem.Violation> violations) {
        return problems.response(Problem.of(type, detail, instance(), violations));
    }

    /** Asks the client to retry, whatever the status (a 409 after a deadlock). */
    public Response retryable(ProblemType type, String detail) {
        return problems.retryable(Problem.of(type, detail, instance()));
    }

    public Response answer(Problem problem) {
        return problems.response(problem);
    }

    /** The request's path as the client sent it; null if the request cannot tell (it failed before routing). */
    public String instance() {
        try {
            return uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The decoded path, for details and log lines. */
    public String path() {
        return uriInfo.getPath();
    }
}

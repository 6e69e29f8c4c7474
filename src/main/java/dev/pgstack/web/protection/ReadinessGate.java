package dev.pgstack.web.protection;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.pgstack.db.availability.Availability;
import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;

/**
 * Until the database is reachable and migrated, and while its host does not answer, API requests get a fast 503
 * with Retry-After instead of waiting for a connection that will not come, or hitting tables that do not exist
 * yet. What each state of the database means for a request is {@link AvailabilityRules#forRequest}; this turns it
 * into a problem answer.
 */
public class ReadinessGate {

    @Inject
    DatabaseAvailability availability;

    @Inject
    Problems problems;

    @ServerRequestFilter(preMatching = true)
    public Response gate(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().equals("/health")) {
            return null; // the seeds' health answer says unhealthy itself
        }
        Availability now = availability.now();
        String method = request.getMethod();
        return switch (AvailabilityRules.forRequest(now, method.equals("GET") || method.equals("HEAD"))) {
            case SERVE -> null;
            case REFUSED -> answer(request, ProblemType.DATABASE_REFUSED,
                    "the database refused the service's credentials");
            case UNAVAILABLE -> answer(request, ProblemType.DATABASE_UNAVAILABLE,
                    "the database cannot be reached right now; retry later");
            case STARTING -> answer(request, ProblemType.STARTING, "the service is starting: " + now.status());
        };
    }

    private Response answer(ContainerRequestContext request, ProblemType type, String detail) {
        return problems.response(Problem.of(type, detail, request.getUriInfo().getRequestUri().getRawPath()));
    }
}

package dev.pgstack.web.protection;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.pgstack.db.health.ReachabilityWatch;
import dev.pgstack.db.lifecycle.DatabaseState;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;

/**
 * Until the database is reachable and migrated (and again while shutting down), API requests get a fast 503 with
 * Retry-After instead of waiting for a connection that will not come, or hitting tables that do not exist yet;
 * likewise while the database's host does not answer at all ({@link ReachabilityWatch}).
 */
public class ReadinessGate {

    @Inject
    DatabaseState state;

    @Inject
    Problems problems;

    @Inject
    ReachabilityWatch reachability;

    @Inject
    dev.pgstack.db.replica.Replicas replicas;

    @ServerRequestFilter(preMatching = true)
    public Response gate(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().equals("/health")) {
            return null; // the seeds' health answer says unhealthy itself
        }
        if (state.phase() != DatabaseState.Phase.STARTING) {
            if (!reachability.suspect()) {
                return null; // READY, or STOPPING: in-flight and late requests still get served while draining
            }
            String method = request.getMethod();
            if ((method.equals("GET") || method.equals("HEAD")) && replicas.anyUsable()) {
                return null; // a read a replica can serve while the primary is away
            }
            // a partition, from the first unanswered handshake (when readiness turns DOWN): answer now rather than
            // wait for a connection (up to the acquisition timeout) that the second miss would take away; so a
            // request is answered within the first miss plus that timeout (health and operations are not here)
            return answer(request, ProblemType.DATABASE_UNAVAILABLE,
                    "the database cannot be reached right now; retry later");
        }
        if (state.status().equals("credentials refused")) {
            return answer(request, ProblemType.DATABASE_REFUSED, "the database refused the service's credentials");
        }
        return answer(request, ProblemType.STARTING, "the service is starting: " + state.status());
    }

    private Response answer(ContainerRequestContext request, ProblemType type, String detail) {
        return problems.response(Problem.of(type, detail, request.getUriInfo().getRequestUri().getRawPath()));
    }
}

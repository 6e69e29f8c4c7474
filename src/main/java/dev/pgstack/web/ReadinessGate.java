package dev.pgstack.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.pgstack.db.lifecycle.DatabaseState;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.Problems;

/**
 * Until the database is reachable and migrated (and again while shutting down), API requests get a fast 503 with
 * Retry-After instead of waiting for a connection that will not come, or hitting tables that do not exist yet.
 */
public class ReadinessGate {

    @Inject
    DatabaseState state;

    @Inject
    Problems problems;

    @ServerRequestFilter(preMatching = true)
    public Response gate(ContainerRequestContext request) {
        if (state.phase() != DatabaseState.Phase.STARTING) {
            return null; // READY, or STOPPING: in-flight and late requests still get served while draining
        }
        return problems.response(Problem.of(503, "starting", "Service Unavailable",
                "the service is starting: " + state.status(), request.getUriInfo().getRequestUri().getRawPath()));
    }
}

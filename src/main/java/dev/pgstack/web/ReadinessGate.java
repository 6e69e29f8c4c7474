package dev.pgstack.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.pgstack.db.DatabaseLifecycle;
import dev.pgstack.db.PgstackConfig;

/**
 * Until the database is reachable and migrated (and again while shutting down), API requests get a fast 503 with
 * Retry-After instead of waiting for a connection that will not come, or hitting tables that do not exist yet.
 */
public class ReadinessGate {

    @Inject
    DatabaseLifecycle lifecycle;

    /** A provider: filters and mappers are created at static init, before runtime configuration exists. */
    @Inject
    jakarta.inject.Provider<PgstackConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Response gate(ContainerRequestContext request) {
        if (lifecycle.phase() != DatabaseLifecycle.Phase.STARTING) {
            return null; // READY, or STOPPING: in-flight and late requests still get served while draining
        }
        Problem body = Problem.of(503, "starting", "Service Unavailable",
                "the service is starting: " + lifecycle.status(), request.getUriInfo().getRequestUri().getRawPath());
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", config.get().retryAfterSeconds())
                .entity(body).build();
    }
}

package dev.pgstack.web.compat;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.pgstack.management.health.DatabaseHealthChecks;

/**
 * The Python services' health path, for the monitors and load balancers that already call it: {@code GET /health}
 * on the public port answers {@code {"status": "healthy"|"unhealthy", "database": "connected"|"disconnected"}},
 * 200 or 503, from what readiness last found (no database round trip per call). Orchestrators should probe
 * {@code /q/health/ready} on the management port instead.
 */
@Path("/health")
public class SeedHealthResource {

    @Inject
    @org.eclipse.microprofile.health.Readiness
    DatabaseHealthChecks.Ready readiness;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The seed services' health answer (compatibility); orchestrators use /q/health/ready")
    public Response health() {
        boolean up = readiness.databaseUp();
        return Response.status(up ? 200 : 503)
                .entity(Map.of("status", up ? "healthy" : "unhealthy", "database", up ? "connected" : "disconnected"))
                .header("Cache-Control", "no-store").build();
    }
}

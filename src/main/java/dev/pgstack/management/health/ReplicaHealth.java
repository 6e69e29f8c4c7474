package dev.pgstack.management.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.pgstack.db.replica.ReplicaPool;
import dev.pgstack.db.replica.Replicas;

/**
 * Each read replica's state and lag in /q/health and /q/health/ready. Always UP: a replica down or behind only
 * sends its reads elsewhere, so readiness must not depend on it (an orchestrator would stop routing to every
 * instance when one replica fails). Names only, no hosts: health answers are read by anyone who can reach them.
 */
@Readiness
@ApplicationScoped
public class ReplicaHealth implements HealthCheck {

    @Inject
    Replicas replicas;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("database-replicas").up();
        if (!replicas.configured()) {
            return builder.withData("replicas", "none").build();
        }
        for (ReplicaPool replica : replicas.all()) {
            ReplicaPool.Status status = replica.status();
            builder.withData(replica.name(), replicas.state(replica).name() + (Double.isNaN(status.lagSeconds()) ? ""
                    : String.format(", lag %.1f s", status.lagSeconds())));
        }
        return builder.build();
    }
}

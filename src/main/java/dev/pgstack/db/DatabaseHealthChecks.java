package dev.pgstack.db;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The three probes an orchestrator scrapes on the management port.
 * <ul>
 * <li>liveness: the process answers; never touches the database, so a database outage never restarts pods;</li>
 * <li>readiness: {@code SELECT 1} through the reactive pool within a short timeout. Requests use the JDBC pool,
 * so a JDBC pool that is merely exhausted does not turn readiness DOWN (quarkusio/quarkus #41515): saturation is
 * reported in the data instead;</li>
 * <li>startup: UP once migrations have run and the pool is warm.</li>
 * </ul>
 */
public class DatabaseHealthChecks {

    static final String NAME = "database";

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        DatabaseLifecycle lifecycle;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("pgstack").up().withData("phase", lifecycle.phase().name()).build();
        }
    }

    @Startup
    @ApplicationScoped
    public static class Started implements HealthCheck {
        @Inject
        DatabaseLifecycle lifecycle;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).status(
                    lifecycle.phase() != DatabaseLifecycle.Phase.STARTING).withData("status", lifecycle.status());
            if (lifecycle.schemaVersion() != null) {
                b.withData("schemaVersion", lifecycle.schemaVersion());
            }
            return b.build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements AsyncHealthCheck {
        @Inject
        DatabaseLifecycle lifecycle;

        /** An Instance: the pool is inactive when the datasource is not configured (then startup exits anyway). */
        @Inject
        jakarta.enterprise.inject.Instance<Pool> reactivePool;

        @Inject
        jakarta.enterprise.inject.Instance<AgroalDataSource> dataSource;

        @Inject
        PgstackConfig config;

        @Override
        public Uni<HealthCheckResponse> call() {
            if (!lifecycle.isReady()) {
                return Uni.createFrom().item(base().down().withData("status", lifecycle.status()).build());
            }
            Duration timeout = config.health().timeout();
            long start = System.nanoTime();
            return reactivePool.get().query("SELECT 1").execute()
                    .ifNoItem().after(timeout).failWith(() -> new IllegalStateException("no answer within " + timeout))
                    .map(rows -> {
                        HealthCheckResponseBuilder b = base().up()
                                .withData("latencyMs", (System.nanoTime() - start) / 1_000_000);
                        return withPool(b).build();
                    })
                    .onFailure().recoverWithItem(e -> withPool(base().down()
                            .withData("error", DatabaseLifecycle.describe(e))).build());
        }

        private HealthCheckResponseBuilder base() {
            return HealthCheckResponse.named(NAME).withData("datasource", "<default>");
        }

        private HealthCheckResponseBuilder withPool(HealthCheckResponseBuilder b) {
            AgroalDataSourceMetrics m = dataSource.get().getMetrics();
            int max = dataSource.get().getConfiguration().connectionPoolConfiguration().maxSize();
            return b.withData("poolMax", max)
                    .withData("poolActive", m.activeCount())
                    .withData("poolAvailable", m.availableCount())
                    .withData("poolAwaiting", m.awaitingCount())
                    .withData("poolSaturated", m.activeCount() >= max);
        }
    }
}

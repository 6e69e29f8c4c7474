package dev.pgstack.management.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.jboss.logging.Logger;

import dev.pgstack.db.availability.Availability;
import dev.pgstack.db.availability.AvailabilityRules;
import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.DatasourceSettings;
import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.db.sql.DatabaseFailure;
import dev.pgstack.problem.DatabaseProblemTypes;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceMetrics;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The three probes an orchestrator scrapes on the management port.
 * <ul>
 * <li>liveness: the process answers; never touches the database, so a database outage never restarts pods;</li>
 * <li>readiness: the database can serve writes now (see {@link Ready});</li>
 * <li>startup: UP once migrations have run and the pool is warm.</li>
 * </ul>
 */
public class DatabaseHealthChecks {

    static final String NAME = "database";
    /** Its own name, so that /q/health (all probes together) does not list two checks called "database". */
    static final String STARTUP_NAME = "database-startup";

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        DatabaseAvailability availability;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("pgstack").up().withData("phase", availability.now().phase().name())
                    .build();
        }
    }

    @Startup
    @ApplicationScoped
    public static class Started implements HealthCheck {
        @Inject
        DatabaseAvailability availability;

        @Override
        public HealthCheckResponse call() {
            Availability now = availability.now();
            HealthCheckResponseBuilder b = HealthCheckResponse.named(STARTUP_NAME).status(
                    now.phase() != Availability.Phase.STARTING).withData("status", now.status());
            if (now.schemaVersion() != null) {
                b.withData("schemaVersion", now.schemaVersion());
            }
            return b.build();
        }
    }

    /**
     * Readiness means "can serve writes now", probed through the JDBC pool that requests use: a pooled connection
     * (validated on borrow) answers whether its transactions are read-only. DOWN while starting or stopping, while
     * no connection can be had, and while the database accepts no writes. A pool that is merely busy stays UP
     * (quarkusio/quarkus #41515), and so does one whose server refuses new connections while the pooled ones serve.
     * What the availability model already tells (starting, a partition) is answered without a probe
     * ({@link AvailabilityRules#readiness}); what a probe finds of the primary's writability is published to it.
     * The answer names no host, port or user: probes are open to anyone. State changes are logged once.
     */
    @Readiness
    @ApplicationScoped
    public static class Ready implements AsyncHealthCheck {
        private static final Logger LOG = Logger.getLogger(Ready.class);

        @Inject
        DatabaseAvailability availability;

        /** An Instance: the pool is inactive when the datasource is not configured (then startup exits anyway). */
        @Inject
        Instance<AgroalDataSource> dataSource;

        @Inject
        PgstackConfig config;

        @Inject
        Instance<Pool> reactivePool;

        @Inject
        DatasourceSettings datasource;

        private final AtomicBoolean probing = new AtomicBoolean();
        private volatile long probeStarted;
        private volatile HealthCheckResponse last;
        private volatile Boolean lastUp;

        /**
         * Whether the database serves now, as readiness last found it (no round trip): its last probe's answer, or
         * without one yet the service's own state. For the seeds' {@code GET /health}.
         */
        public boolean databaseUp() {
            return AvailabilityRules.databaseUp(availability.now(), lastUp);
        }

        @Override
        public Uni<HealthCheckResponse> call() {
            Availability now = availability.now();
            AvailabilityRules.Readiness known = AvailabilityRules.readiness(now);
            if (known.verdict() != AvailabilityRules.Verdict.PROBE) {
                boolean up = known.verdict() == AvailabilityRules.Verdict.UP;
                HealthCheckResponseBuilder b = (up ? base().up() : base().down()).withData("status", known.status());
                return Uni.createFrom().item(report(now.isReady() ? withPool(b).build() : b.build(), known.reason()));
            }
            if (!probing.compareAndSet(false, true)) {
                // a probe is still waiting for the database: answer what it last found instead of piling up threads,
                // unless it has waited longer than the timeout (then the database is not answering: DOWN)
                HealthCheckResponse previous = last;
                Duration waited = Duration.ofNanos(System.nanoTime() - probeStarted);
                if (previous == null || waited.compareTo(config.health().timeout()) > 0) {
                    return Uni.createFrom().item(report(withPool(base().down().withData("status",
                            "no answer within " + config.health().timeout())).build(),
                            "no answer within " + config.health().timeout()));
                }
                return Uni.createFrom().item(previous);
            }
            probeStarted = System.nanoTime();
            Duration timeout = config.health().timeout();
            return Uni.createFrom().item(this::probe)
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .ifNoItem().after(timeout).recoverWithItem(() -> report(withPool(base().down()
                            .withData("status", "no answer within " + timeout)).build(), "no answer within " + timeout))
                    .invoke(r -> last = r);
        }

        /** Runs on a worker thread; the next probe may start once this one is over, even if it came too late. */
        private HealthCheckResponse probe() {
            try {
                return probeOnce();
            } finally {
                probing.set(false);
            }
        }

        private HealthCheckResponse probeOnce() {
            AgroalDataSource ds = dataSource.get();
            AgroalDataSourceMetrics m = ds.getMetrics();
            int max = ds.getConfiguration().connectionPoolConfiguration().maxSize();
            if (m.availableCount() == 0 && m.activeCount() >= max) {
                // every connection is serving a request: busy is not broken
                return report(withPool(base().up().withData("status", "pool saturated")).build(), null);
            }
            long start = System.nanoTime();
            boolean readOnly;
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.setQueryTimeout((int) Math.max(1, config.health().timeout().toSeconds()));
                try (ResultSet rs = st.executeQuery("SELECT current_setting('transaction_read_only')")) {
                    readOnly = rs.next() && "on".equals(rs.getString(1));
                }
            } catch (SQLException | RuntimeException e) {
                String reason = DatabaseProblemTypes.reason(e);
                if (isRefusedNewConnection(e)) {
                    // the server takes no more connections: the pools wait for the ones they hold
                    // (db.connection.ConnectionSlots), busy rather than broken
                    return report(withPool(base().up().withData("status", "no new connections: " + reason)).build(),
                            null);
                }
                return report(withPool(base().down().withData("status", reason)).build(), reason);
            }
            String reactiveFailure = probeReactive();
            if (reactiveFailure != null) {
                return report(withPool(base().down().withData("status", "reactive pool: " + reactiveFailure))
                        .build(), "the reactive pool cannot reach the database: " + reactiveFailure);
            }
            availability.readOnly(readOnly);
            // the pool figures are read once the probe's own connection is back
            if (readOnly) {
                return report(withPool(base().down().withData("status", "read-only: the database accepts no writes"))
                        .build(), "the database accepts no writes (read-only or a standby)");
            }
            return report(withPool(base().up().withData("latencyMs", (System.nanoTime() - start) / 1_000_000))
                    .build(), null);
        }

        /**
         * The hot paths run on the reactive pool, with connections of their own (their own TLS handshake among
         * them): ready means both pools can reach the database. Null when it answers, or is merely busy.
         */
        private String probeReactive() {
            Pool pool = reactivePool.get();
            try {
                pool.query("SELECT 1").execute().await().atMost(config.health().timeout());
                return null;
            } catch (TimeoutException e) {
                return pool.size() >= reactiveMax() ? null : "no answer within " + config.health().timeout();
            } catch (RuntimeException e) {
                // the server takes no more connections (53300) while the JDBC probe just got one: busy, not broken
                return isRefusedNewConnection(e) ? null : DatabaseProblemTypes.reason(e);
            }
        }

        private int reactiveMax() {
            return datasource.reactive().maxSize();
        }

        private static boolean isRefusedNewConnection(Throwable e) {
            return DatabaseFailure.isNoSlots(e);
        }

        /** Logs a change of state once: DOWN with its reason at WARN, back UP at INFO. */
        private HealthCheckResponse report(HealthCheckResponse response, String downReason) {
            boolean up = response.getStatus() == HealthCheckResponse.Status.UP;
            Boolean previous = lastUp;
            lastUp = up;
            if (previous == null || previous != up) {
                if (up) {
                    if (previous != null) {
                        LOG.info("Readiness UP: the database serves writes again");
                    }
                } else if (availability.now().isReady()) {
                    LOG.warnf("Readiness DOWN: %s", downReason);
                }
            }
            return response;
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

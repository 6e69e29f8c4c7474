package dev.pgstack.db.lifecycle;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.pgstack.db.availability.DatabaseAvailability;
import dev.pgstack.db.config.RunMode;
import dev.pgstack.db.config.ShutdownSettings;
import dev.pgstack.db.sql.DatabaseFailure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Stop: readiness DOWN during the shutdown delay (the orchestrator stops routing), in-flight requests drain
 * (Quarkus waits up to quarkus.shutdown.timeout), then both pools close. Each step is logged.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    @Inject
    DatabaseAvailability availability;

    @Inject
    DatabaseStartup startup;

    @Inject
    RunMode runMode;

    @Inject
    SettingsReport settings;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<Pool> reactivePool;

    @Inject
    ShutdownSettings shutdown;

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        if (runMode.isMisconfigured()) {
            return;
        }
        availability.stopping("shutting down");
        LOG.infof("Shutdown 1/3: readiness DOWN; waiting %s for the orchestrator to stop routing traffic",
                shutdown.delay().map(Object::toString).orElse("0S"));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runMode.isMisconfigured()) {
            return; // no pools were ever active
        }
        availability.stopping("shutting down");
        startup.stopWaiting();
        LOG.info("Shutdown 2/3: in-flight requests finished; closing the connection pools");
        try {
            reactivePool.get().close().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Reactive pool did not close cleanly: %s", DatabaseFailure.describe(e));
        }
        try {
            dataSource.get().close();
        } catch (RuntimeException e) {
            LOG.warnf("JDBC pool did not close cleanly: %s", DatabaseFailure.describe(e));
        }
        LOG.info("Shutdown 3/3: connection pools closed");
    }
}

package dev.pgstack.db.ops;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.pgstack.db.availability.DatabaseAvailability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * pgstack's own series next to Agroal's {@code agroal_*}: readiness as a gauge, the 503s of an exhausted pool as
 * a counter, the schema version as a gauge. What to alert on is in docs/operations.md.
 */
@io.quarkus.runtime.Startup // the series exist from the start, before the first event
@ApplicationScoped
public class PoolMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    DatabaseAvailability availability;

    private Counter timeouts;

    @PostConstruct
    void register() {
        timeouts = Counter.builder("pgstack.pool.acquire.timeouts")
                .description("Requests answered 503 because no pooled connection came within the acquisition timeout")
                .tag("datasource", "default").register(registry);
        Gauge.builder("pgstack.ready", availability, a -> a.now().isReady() ? 1 : 0)
                .description("1 while the database layer is ready to serve (readiness), else 0")
                .register(registry);
        Gauge.builder("pgstack.schema.version", availability, a -> schemaVersion(a.now().schemaVersion()))
                .description("Flyway version of the schema (major part), 0 before migrations ran")
                .register(registry);
    }

    public void acquisitionTimedOut() {
        timeouts.increment();
    }

    public long acquireTimeouts() {
        return (long) timeouts.count();
    }

    static double schemaVersion(String version) {
        if (version == null) {
            return 0;
        }
        try {
            return Double.parseDouble(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

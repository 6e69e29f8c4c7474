package dev.pgstack.db.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Whether JDBC statements are traced at run time (set from OTEL_* by dev.pgstack.observability). */
@ConfigMapping(prefix = "quarkus.datasource.jdbc.telemetry")
public interface JdbcTelemetrySettings {

    Optional<Boolean> enabled();
}

package dev.pgstack.db.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Quarkus's shutdown delay, which the graceful shutdown reports: how long readiness stays DOWN before draining. */
@ConfigMapping(prefix = "quarkus.shutdown")
public interface ShutdownSettings {

    Optional<Duration> delay();
}

package dev.pgstack.observability;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** How traces are sampled (OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, docs/operations.md "Tracing"). */
@ConfigMapping(prefix = "pgstack.tracing")
public interface TracingConfig {

    /** always_on, always_off, traceidratio, parentbased_always_on (the default), parentbased_always_off, parentbased_traceidratio. */
    Optional<String> sampler();

    /** The ratio of the traceidratio samplers, 0 to 1 (default 1). */
    Optional<String> samplerArg();
}

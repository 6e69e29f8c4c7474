package dev.pgstack.observability;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The sampler OTEL_TRACES_SAMPLER names, with the specification's names and defaults, chosen when the service
 * starts. Quarkus fixes its own sampler when the application is built; a Sampler bean replaces it at run time.
 */
@ApplicationScoped
public class EnvironmentSampler {

    @Produces
    @ApplicationScoped
    Sampler sampler(TracingConfig config) {
        return of(config.sampler().orElse("parentbased_always_on"), config.samplerArg().orElse(null));
    }

    /** An unknown name falls back to the default, as the specification's SDKs do. */
    static Sampler of(String name, String arg) {
        double ratio = ratio(arg);
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> Sampler.parentBased(Sampler.alwaysOn());
        };
    }

    private static double ratio(String arg) {
        if (arg == null || arg.isBlank()) {
            return 1.0;
        }
        try {
            double ratio = Double.parseDouble(arg.strip());
            return ratio >= 0 && ratio <= 1 ? ratio : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }
}

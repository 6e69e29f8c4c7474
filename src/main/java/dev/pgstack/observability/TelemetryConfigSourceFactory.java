package dev.pgstack.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Offers the OTEL_* variables as Quarkus configuration ({@link TelemetryEnvironment}), at the same ordinal as the
 * database variables' source: above application.properties, below QUARKUS_* variables and system properties.
 * Nothing while the application is being built: the build's configuration is recorded into the artifact.
 */
public class TelemetryConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : TelemetryEnvironment.VARIABLES) {
            ConfigValue value = context.getValue(name);
            if (value != null && value.getValue() != null) {
                env.put(name, value.getValue());
            }
        }
        boolean endpoint = isSet(context, "quarkus.otel.exporter.otlp.endpoint")
                || isSet(context, "quarkus.otel.exporter.otlp.traces.endpoint");
        return List.of(new MapBackedConfigSource("pgstack-telemetry-environment",
                TelemetryEnvironment.translate(env, endpoint), ORDINAL) {
        });
    }

    /** Set by someone: Quarkus's own default (localhost:4317) does not count. */
    private static boolean isSet(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() >= 100;
    }
}

package dev.pgstack.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry variables that the OpenTelemetry Operator and every platform inject, with the specification's
 * meaning, as Quarkus configuration (Quarkus reads only its own {@code quarkus.otel.*} keys). A pure function of
 * the environment, like {@code db.config.DatabaseEnvironment}.
 *
 * <p>Without an endpoint nothing is exported: the SDK is switched off (and with it the JDBC wrapper), so that a
 * service without a collector pays nothing and logs no exporter errors.
 */
public final class TelemetryEnvironment {

    /** Every variable this class reads. */
    public static final List<String> VARIABLES = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
            "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
            "OTEL_SDK_DISABLED");

    private static final Map<String, String> KEYS = Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "quarkus.otel.exporter.otlp.endpoint",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "quarkus.otel.exporter.otlp.traces.endpoint",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "quarkus.otel.exporter.otlp.protocol",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "quarkus.otel.exporter.otlp.traces.protocol",
            "OTEL_SERVICE_NAME", "quarkus.otel.service.name",
            "OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes",
            "OTEL_TRACES_SAMPLER", "pgstack.tracing.sampler",
            "OTEL_TRACES_SAMPLER_ARG", "pgstack.tracing.sampler-arg",
            "OTEL_SDK_DISABLED", "quarkus.otel.sdk.disabled");

    private TelemetryEnvironment() {
    }

    /**
     * @param env the variables
     * @param endpointConfigured whether an OTLP endpoint is set by other means (quarkus.otel.* keys)
     */
    public static Map<String, String> translate(Map<String, String> env, boolean endpointConfigured) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : VARIABLES) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                out.put(KEYS.get(name), value.strip());
            }
        }
        boolean endpoint = endpointConfigured || out.containsKey("quarkus.otel.exporter.otlp.endpoint")
                || out.containsKey("quarkus.otel.exporter.otlp.traces.endpoint");
        boolean disabled = !endpoint || "true".equalsIgnoreCase(out.get("quarkus.otel.sdk.disabled"));
        out.put("quarkus.otel.sdk.disabled", Boolean.toString(disabled));
        out.put("quarkus.datasource.jdbc.telemetry.enabled", Boolean.toString(!disabled));
        return out;
    }
}

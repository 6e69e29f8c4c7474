package dev.pgstack.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opentelemetry.sdk.trace.samplers.Sampler;

class TelemetryEnvironmentTest {

    @Test
    void withoutAnEndpointNothingIsExportedAndJdbcIsNotWrapped() {
        Map<String, String> out = TelemetryEnvironment.translate(Map.of("OTEL_SERVICE_NAME", "shop"), false);
        assertEquals("true", out.get("quarkus.otel.sdk.disabled"));
        assertEquals("false", out.get("quarkus.datasource.jdbc.telemetry.enabled"));
        assertEquals("shop", out.get("quarkus.otel.service.name"));
    }

    @Test
    void theStandardVariablesBecomeQuarkusKeys() {
        Map<String, String> out = TelemetryEnvironment.translate(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=db", "OTEL_TRACES_SAMPLER",
                "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25"), false);
        assertEquals("http://collector:4318", out.get("quarkus.otel.exporter.otlp.endpoint"));
        assertEquals("http/protobuf", out.get("quarkus.otel.exporter.otlp.protocol"));
        assertEquals("deployment.environment=prod,team=db", out.get("quarkus.otel.resource.attributes"));
        assertEquals("parentbased_traceidratio", out.get("pgstack.tracing.sampler"));
        assertEquals("0.25", out.get("pgstack.tracing.sampler-arg"));
        assertEquals("false", out.get("quarkus.otel.sdk.disabled"));
        assertEquals("true", out.get("quarkus.datasource.jdbc.telemetry.enabled"));
    }

    @Test
    void otelSdkDisabledWinsAndAQuarkusEndpointCounts() {
        assertEquals("true", TelemetryEnvironment.translate(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317",
                "OTEL_SDK_DISABLED", "true"), false).get("quarkus.otel.sdk.disabled"));
        assertEquals("false", TelemetryEnvironment.translate(Map.of(), true).get("quarkus.otel.sdk.disabled"));
    }

    @Test
    void samplersHaveTheSpecificationsNames() {
        assertEquals(Sampler.alwaysOff().getDescription(), EnvironmentSampler.of("always_off", null).getDescription());
        assertEquals(Sampler.traceIdRatioBased(0.5).getDescription(),
                EnvironmentSampler.of("traceidratio", "0.5").getDescription());
        assertEquals(Sampler.parentBased(Sampler.traceIdRatioBased(0.1)).getDescription(),
                EnvironmentSampler.of("parentbased_traceidratio", "0.1").getDescription());
        assertEquals(Sampler.parentBased(Sampler.alwaysOn()).getDescription(),
                EnvironmentSampler.of("no-such-sampler", null).getDescription(), "unknown: the default");
    }
}

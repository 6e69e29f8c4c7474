package dev.pgstack.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.pgstack.support.OwnedPostgres;
import dev.pgstack.support.PackagedApp;
import dev.pgstack.support.Suites;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The packaged service exports its traces to an OTLP/HTTP receiver of the test's own, configured by the
 * standard OTEL_* variables only: the caller's W3C traceparent is honoured, each request has its HTTP span and
 * the statements it ran (the reactive hot path and Hibernate's JDBC path), with placeholders and no values, under
 * the service name and resource attributes given; the request's log lines carry its trace id.
 */
@Tag(Suites.OWNS_SERVERS)
class TracingIT {

    static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    record Exported(String service, Map<String, String> resource, Span span) {
    }

    @Test
    void theCallersTraceArrivesWithHttpAndDatabaseSpans() throws Exception {
        List<Exported> spans = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                collect(ExportTraceServiceRequest.parseFrom(body), spans);
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        try (OwnedPostgres postgres = new OwnedPostgres().start()) {
            postgres.createAppDatabase("trace_app", "trace-pw", "tracedb");
            try (PackagedApp app = PackagedApp.launch(Map.of("DATABASE_URL",
                    "postgresql://trace_app:trace-pw@127.0.0.1:" + postgres.port() + "/tracedb",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_SERVICE_NAME", "pgstack-traced",
                    "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=it", "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                    "SQL_ECHO", "true", "QUARKUS_SHUTDOWN_DELAY", "0S"))) {
                PackagedApp.await("ready", Duration.ofSeconds(90),
                        () -> app.management("/q/health/ready").status() == 200);
                Matcher product = ID.matcher(app.post("/api/products", "{\"name\":\"traced\",\"price\":4242.5}").body());
                assertTrue(product.find());

                String reactiveTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
                String jdbcTrace = "0af7651916cd43dd8448eb211c80319c";
                String parent = "00f067aa0ba902b7";
                assertEquals(200, app.get("/api/products/" + product.group(1),
                        Map.of("traceparent", "00-" + reactiveTrace + "-" + parent + "-01")).status());
                assertEquals(200, app.get("/api/categories",
                        Map.of("traceparent", "00-" + jdbcTrace + "-" + parent + "-01")).status());

                try {
                    PackagedApp.await("both traces exported", Duration.ofSeconds(30),
                            () -> hasDatabaseSpan(spans, reactiveTrace) && hasDatabaseSpan(spans, jdbcTrace)
                                    && hasServerSpan(spans, reactiveTrace) && hasServerSpan(spans, jdbcTrace));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; received: " + spans.stream().map(x -> trace(x.span())
                            + " " + x.span().getKind() + " " + x.span().getName() + " "
                            + attributes(x.span().getAttributesList())).toList(), e);
                }
                for (String trace : List.of(reactiveTrace, jdbcTrace)) {
                    List<Exported> mine = spans.stream().filter(e -> trace(e.span()).equals(trace)).toList();
                    Exported server = mine.stream().filter(e -> e.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                            .findFirst().orElseThrow(() -> new AssertionError("no HTTP span in " + mine));
                    assertEquals(parent, HexFormat.of().formatHex(server.span().getParentSpanId().toByteArray()),
                            "the caller's span is the parent");
                    assertEquals("pgstack-traced", server.service());
                    assertEquals("it", server.resource().get("deployment.environment"));
                    for (Exported db : mine.stream().filter(e -> isDatabase(e.span())).toList()) {
                        String statement = statement(db.span());
                        assertFalse(statement.contains("4242.5") || statement.contains("traced")
                                || statement.contains("trace-pw"), "no values in a span: " + statement);
                    }
                }
                String reactiveStatement = spans.stream().filter(e -> trace(e.span()).equals(reactiveTrace)
                        && isDatabase(e.span())).map(e -> statement(e.span())).findFirst().orElse("");
                assertTrue(reactiveStatement.contains("FROM products WHERE id = $1"), reactiveStatement);
                String jdbcStatement = spans.stream().filter(e -> trace(e.span()).equals(jdbcTrace)
                        && isDatabase(e.span())).map(e -> statement(e.span())).findFirst().orElse("");
                assertTrue(jdbcStatement.toLowerCase().contains("from categories"), jdbcStatement);
                // the request's log lines (SQL echo) carry its trace id
                assertTrue(app.log().lines().anyMatch(l -> l.contains("\"traceId\":\"" + reactiveTrace + "\"")),
                        app.log());
                assertFalse(app.log().contains("\"level\":\"ERROR\""), app.log());
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static void collect(ExportTraceServiceRequest request, List<Exported> into) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            Map<String, String> attributes = attributes(resource.getResource().getAttributesList());
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    into.add(new Exported(attributes.get("service.name"), attributes, span));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new java.util.HashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), kv.getValue().getStringValue());
        }
        return out;
    }

    private static String trace(Span span) {
        return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    /** A statement's span: a client span with the statement (the reactive client names the database in db.system). */
    private static boolean isDatabase(Span span) {
        return span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && !statement(span).isEmpty();
    }

    private static String statement(Span span) {
        Map<String, String> a = attributes(span.getAttributesList());
        return a.getOrDefault("db.query.text", a.getOrDefault("db.statement", ""));
    }

    /** The request's own span ends after its statements': it may come in a later export. */
    private static boolean hasServerSpan(List<Exported> spans, String trace) {
        return spans.stream().anyMatch(e -> trace(e.span()).equals(trace)
                && e.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER);
    }

    private static boolean hasDatabaseSpan(List<Exported> spans, String trace) {
        return spans.stream().anyMatch(e -> trace(e.span()).equals(trace) && isDatabase(e.span()));
    }

}

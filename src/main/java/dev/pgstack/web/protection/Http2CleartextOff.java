package dev.pgstack.web.protection;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Plain-text connections speak HTTP/1.1 only (no h2c upgrade or prior knowledge): request bodies of HTTP/1.1 are
 * read on the I/O thread by {@link RequestBodies}, which HTTP/2 streams cannot be under Quarkus REST, so a client
 * could otherwise trickle bodies over h2c and pin worker threads. HTTP/2 over TLS (ALPN) is left as configured;
 * behind an orchestrator TLS usually ends at the ingress, which speaks HTTP/1.1 to the pod.
 */
@Singleton
public class Http2CleartextOff implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}

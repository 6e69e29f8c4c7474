package dev.pgstack.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Bodies over {@code quarkus.http.limits.max-body-size} are refused with a 413 problem before they are read.
 * Vert.x would refuse them too, but with an empty body that clients cannot parse.
 */
@Singleton
public class BodyLimit {

    void install(@Observes Router router) {
        long limit = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                long bytes;
                try {
                    bytes = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    bytes = -1;
                }
                if (bytes > limit || bytes < 0) {
                    int status = bytes < 0 ? 400 : 413;
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                    Problem.of(status, status == 413 ? "payload-too-large" : "bad-request",
                            status == 413 ? "Payload Too Large" : "Bad Request",
                            status == 413 ? "the body is larger than " + limit + " bytes"
                                    : "the Content-Length header is not a number",
                            ctx.request().path()).send(ctx);
                    return;
                }
            }
            ctx.next();
        });
    }
}

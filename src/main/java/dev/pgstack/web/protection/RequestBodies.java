package dev.pgstack.web.protection;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.pgstack.db.config.PgstackConfig;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.problem.Problems;
import dev.pgstack.web.errors.UnexpectedErrors;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Request bodies are read in full on the I/O thread before a worker thread takes the request: Quarkus REST would
 * otherwise read the body of a blocking method on its worker thread, and a few hundred clients trickling bodies
 * would pin every worker. Around that read:
 * <ul>
 * <li>a Content-Length over {@code quarkus.http.limits.max-body-size} is a 413 problem before anything is read,
 * one that is not a number a 400; a chunked body that grows past the limit is a 413 problem too;</li>
 * <li>a body not complete within {@code pgstack.http.body-timeout} is a 408 problem and the connection closes;</li>
 * <li>any other failure below JAX-RS is a problem answer too.</li>
 * </ul>
 */
@Singleton
public class RequestBodies {

    private static final String TIMER = "pgstack.body-timer";

    private Problems problems;
    private static final Logger LOG = Logger.getLogger(RequestBodies.class);

    void install(@Observes Router router, Vertx vertx, Problems problems, PgstackConfig pgstack, HttpLimits limits) {
        this.problems = problems;
        long limit = limits.maxBodySize().map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        long timeoutMillis = pgstack.http().bodyTimeout().toMillis();

        router.route().order(-1000).failureHandler(ctx -> {
            if (ctx.response().headWritten()) {
                ctx.next();
            } else if (ctx.statusCode() == 413) {
                tooLarge(ctx, limit);
            } else {
                failed(ctx);
            }
        });
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).order(-1000)
                .handler(ctx -> {
                    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        long bytes = digits(length) ? Long.parseLong(length) : -1;
                        if (bytes < 0) {
                            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                            problems.send(ctx, Problem.of(ProblemType.BAD_REQUEST,
                                    "the Content-Length header is not a number", ctx.request().path()));
                            return;
                        }
                        if (bytes > limit) {
                            tooLarge(ctx, limit);
                            return;
                        }
                    }
                    long timer = vertx.setTimer(timeoutMillis, id -> tooSlow(ctx, timeoutMillis));
                    ctx.put(TIMER, timer);
                    ctx.addEndHandler(done -> vertx.cancelTimer(timer));
                    ctx.next();
                });
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).order(-999)
                .handler(ctx -> {
                    // HTTP/2 streams must stay unread for Quarkus REST (it pauses them); only TLS (ALPN) gets here
                    // with HTTP/2, as cleartext HTTP/2 is switched off (see Http2CleartextOff)
                    if (ctx.request().version() == HttpVersion.HTTP_2) {
                        ctx.next();
                    } else {
                        bodies.handle(ctx);
                    }
                });
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).order(-998)
                .handler(ctx -> {
                    Long timer = ctx.get(TIMER);
                    if (timer != null) {
                        vertx.cancelTimer(timer);
                    }
                    if (ctx.request().version() != HttpVersion.HTTP_2
                            && ctx.body().buffer() == null) {
                        // an empty body: without a buffer Quarkus REST would wait for bytes already consumed
                        ctx.setBody(Buffer.buffer());
                    }
                    ctx.next();
                });
    }

    /**
     * A failure below JAX-RS (a Vert.x handler threw, or failed the request with a status): problem+json with one
     * log line and a reference for 5xx, instead of Quarkus's text error page.
     */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        String path = ctx.request().path();
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            // the client went away (for example in the middle of its body): nobody to answer, nothing wrong here
            LOG.debugf("Client closed the connection during %s", path);
            return;
        }
        if (status >= 500) {
            problems.send(ctx, UnexpectedErrors.report(status, path, ctx.failure(), path));
        } else {
            var known = HttpResponseStatus.valueOf(status);
            problems.send(ctx, Problem.ofStatus(status, known.reasonPhrase(), known.reasonPhrase(), path));
        }
    }

    /** 1 to 18 ASCII digits (a hot path: no regular expression). */
    static boolean digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private void tooLarge(RoutingContext ctx, long limit) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        problems.send(ctx, Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the body is larger than " + limit + " bytes",
                ctx.request().path()));
    }

    private void tooSlow(RoutingContext ctx, long timeoutMillis) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        // the rest of the body is not waited for: the connection closes once the answer is written
        problems.send(ctx, Problem.of(ProblemType.REQUEST_TIMEOUT,
                "the request body did not arrive within " + timeoutMillis + " ms", ctx.request().path()))
                .onComplete(written -> ctx.request().connection().close());
    }
}

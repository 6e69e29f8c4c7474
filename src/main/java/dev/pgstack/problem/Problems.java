package dev.pgstack.problem;

import java.util.function.IntSupplier;

import jakarta.ws.rs.core.Response;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place that turns a {@link Problem} into an answer, for JAX-RS (exception mappers, filters) and for
 * Vert.x routes (management endpoints, handlers below JAX-RS) alike: status, {@code application/problem+json},
 * and {@code Retry-After} on every 503 and on conflicts a client may retry. A bean made by web.errors, which reads
 * {@code pgstack.retry-after-seconds}: this package reads no configuration, so that the database layer's
 * endpoints can use it without an import running back up.
 */
public class Problems {

    public static final String RETRY_AFTER = "Retry-After";

    private final IntSupplier retryAfterSeconds;

    /**
     * {@code retryAfterSeconds} is asked at each answer, not when this is made: filters that use it are made at
     * static init, before the runtime configuration exists.
     */
    public Problems(IntSupplier retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A JAX-RS answer; 503s carry Retry-After. */
    public Response response(Problem problem) {
        return response(problem, problem.status() == 503);
    }

    /** A JAX-RS answer that asks the client to retry, whatever its status (e.g. 409 after a deadlock). */
    public Response retryable(Problem problem) {
        return response(problem, true);
    }

    /** A Vert.x answer, same rules; completes when written. */
    public Future<Void> send(RoutingContext ctx, Problem problem) {
        if (problem.status() == 503) {
            ctx.response().putHeader(RETRY_AFTER, Integer.toString(retryAfterSeconds.getAsInt()));
        }
        return ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    private Response response(Problem problem, boolean retry) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retry) {
            builder.header(RETRY_AFTER, retryAfterSeconds.getAsInt());
        }
        return builder.build();
    }
}

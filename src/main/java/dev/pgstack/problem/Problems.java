package dev.pgstack.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import dev.pgstack.db.config.PgstackConfig;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place that turns a {@link Problem} into an answer, for JAX-RS (exception mappers, filters) and for
 * Vert.x routes (management endpoints, handlers below JAX-RS) alike: status, {@code application/problem+json},
 * and {@code Retry-After} on every 503 ({@code pgstack.retry-after-seconds}) and on conflicts a client may retry.
 */
@ApplicationScoped
public class Problems {

    public static final String RETRY_AFTER = "Retry-After";

    @Inject
    PgstackConfig config;

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
            ctx.response().putHeader(RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
        }
        return ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    private Response response(Problem problem, boolean retry) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retry) {
            builder.header(RETRY_AFTER, config.retryAfterSeconds());
        }
        return builder.build();
    }
}

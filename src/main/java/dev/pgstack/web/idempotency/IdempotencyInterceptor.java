package dev.pgstack.web.idempotency;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgstack.problem.ApiException;
import dev.pgstack.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Safe retries of POSTs. Without the header nothing changes. With it, in one transaction:
 * <ol>
 * <li>take a transaction-scoped advisory lock on the key; a request already holding it is still in flight: 409;</li>
 * <li>a stored answer for the key: the same method, path and body get it again ({@code Idempotent-Replayed:
 * true}) and nothing is written; another request under the same key gets 422;</li>
 * <li>otherwise run the request and store its 2xx answer in the same transaction as its writes, so that the
 * answer is stored exactly when the writes are. Error answers write nothing and are not stored.</li>
 * </ol>
 * A client that got a 503, a timeout or a dropped connection retries with the same key and never creates a
 * duplicate: either the first attempt committed (and the retry replays it) or it did not (and the retry runs).
 * A hot write that would run alone on the reactive client joins this transaction through {@link RequestWrites}.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300) // after the request is validated, around the service call
public class IdempotencyInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    @Inject
    HttpHeaders headers;

    @Inject
    UriInfo uri;

    @Inject
    ObjectMapper mapper;

    @Inject
    IdempotencyKeys keys;

    /** Stored answers sent again (a client retrying after a lost answer), for the dashboard. */
    private final Counter replays = Counter
            .builder("pgstack.idempotency.replays").description("POSTs answered with the answer stored for their key")
            .register(Metrics.globalRegistry);

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        List<String> sent = headers.getRequestHeader(HEADER);
        if (sent == null || sent.isEmpty()) {
            return invocation.proceed();
        }
        if (sent.size() > 1) { // which one would a retry repeat? Refuse rather than join them into a third key
            throw ApiException.badRequest(HEADER, "must be sent once");
        }
        String key = sent.get(0);
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        byte[] fingerprint = fingerprint(invocation);
        Callable<Response> inOneTransaction = () -> QuarkusTransaction.joiningExisting().call(() -> {
            if (!keys.lock(key)) {
                throw new ApiException(ProblemType.IDEMPOTENCY_KEY_IN_FLIGHT,
                        "a request with this Idempotency-Key is still being processed; retry later");
            }
            Optional<IdempotencyKeys.Stored> stored = keys.find(key);
            if (stored.isPresent()) {
                if (!Arrays.equals(stored.get().fingerprint(), fingerprint)) {
                    throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "this Idempotency-Key was used for a different request (method, path or body)");
                }
                replays.increment();
                return replay(stored.get());
            }
            Response answer = answer(invocation.proceed());
            if (answer.getStatus() < 200 || answer.getStatus() > 299) {
                return answer;
            }
            String body = mapper.writeValueAsString(answer.getEntity());
            String location = answer.getLocation() == null ? null : answer.getLocation().toString();
            keys.save(key, fingerprint, answer.getStatus(), body, location);
            return Response.fromResponse(answer).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
        if (CompletionStage.class.isAssignableFrom(invocation.getMethod().getReturnType())) {
            // an endpoint on the event loop (a hot write): with a key, its write and the stored answer share one
            // JTA transaction, which blocks, so it runs on a worker thread, in the request's context
            return VertxContextSupport.executeBlocking(inOneTransaction).subscribeAsCompletionStage();
        }
        return inOneTransaction.call();
    }

    /**
     * The endpoint's answer; one that answers later ({@link CompletionStage}) joined the transaction and is awaited
     * (its failure thrown as itself, for the exception mappers).
     */
    private static Response answer(Object result) throws Exception {
        if (!(result instanceof CompletionStage<?> later)) {
            return (Response) result;
        }
        try {
            return (Response) later.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Response replay(IdempotencyKeys.Stored stored) {
        Response.ResponseBuilder answer = Response.status(stored.status()).entity(stored.body())
                .type(MediaType.APPLICATION_JSON_TYPE).header(REPLAYED, "true");
        if (stored.location() != null) {
            answer.location(URI.create(stored.location()));
        }
        return answer.build();
    }

    /** SHA-256 of method, path and the body as JSON: bodies that differ only in spacing are the same request. */
    private byte[] fingerprint(InvocationContext invocation) throws Exception {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(("POST " + uri.getRequestUri().getRawPath() + "\n").getBytes(StandardCharsets.UTF_8));
        Annotation[][] annotations = invocation.getMethod().getParameterAnnotations();
        Object[] arguments = invocation.getParameters();
        for (int i = 0; i < arguments.length; i++) {
            if (isBody(annotations[i])) {
                digest.update(mapper.writeValueAsBytes(arguments[i]));
            }
        }
        return digest.digest();
    }

    private static boolean isBody(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof PathParam || a instanceof QueryParam || a instanceof HeaderParam) {
                return false;
            }
        }
        return true;
    }
}

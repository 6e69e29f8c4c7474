package dev.pgstack.web.openapi;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.web.idempotency.Idempotent;
import dev.pgstack.web.readyourwrites.ReadYourWrites;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Adds to the generated OpenAPI document what every operation shares and the resources do not declare: the
 * problem answers (RFC 9457) with their status codes, {@code Retry-After} on 503, and the
 * {@code Idempotency-Key} header of every POST with its 409/422 answers. It runs once, when the application is
 * built, so the stored document is complete (with {@code mp.openapi.filter} it ran again at every start; the gain
 * in start time was within the noise, bench/README.md).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiProblems implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    /**
     * The types the document names as examples, taken from the catalogue so that they cannot drift from the
     * answers; the selection and its order are those the published document has always shown.
     */
    private static final List<ProblemType> TYPE_EXAMPLES = List.of(ProblemType.VALIDATION, ProblemType.NOT_FOUND,
            ProblemType.CONFLICT, ProblemType.POOL_EXHAUSTED, ProblemType.DATABASE_UNAVAILABLE,
            ProblemType.DATABASE_REFUSED, ProblemType.DATABASE_READ_ONLY, ProblemType.TIMEOUT,
            ProblemType.LOCK_TIMEOUT, ProblemType.COMMIT_FAILED, ProblemType.COMMIT_OUTCOME_UNKNOWN,
            ProblemType.IDEMPOTENCY_KEY_REUSED);

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSchema("Problem", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; never a stack trace, SQL or credential")
                .addProperty("type", string(Problem.TYPE_PREFIX + "<kind>, e.g. " + TYPE_EXAMPLES.stream()
                        .map(ProblemType::slug).collect(Collectors.joining(", "))))
                .addProperty("title", string("short summary"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string("what went wrong, for a person; 5xx carry a reference id"))
                .addProperty("instance", string("the request path"))
                .addProperty("violations", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                .addProperty("field", string("JSON field or parameter"))
                                .addProperty("message", string("the rule it broke")))));
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            boolean hasId = path.getKey().contains("{");
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().getOperations().entrySet()) {
                Operation operation = entry.getValue();
                problem(operation, ProblemType.VALIDATION,
                        "malformed JSON, wrong types, failed validation, bad parameter or id");
                if (hasId) {
                    problem(operation, ProblemType.NOT_FOUND, "unknown id");
                }
                if (entry.getKey() != PathItem.HttpMethod.GET) {
                    problem(operation, ProblemType.CONFLICT,
                            "unique constraint, state conflict, or an Idempotency-Key in flight");
                    problem(operation, ProblemType.PAYLOAD_TOO_LARGE,
                            "body over the configured limit (default 1 MiB)");
                }
                APIResponse unavailable = problem(operation, ProblemType.DATABASE_UNAVAILABLE,
                        "database unavailable, refusing, read-only, pool exhausted, timed out, or commit outcome "
                                + "unknown: retry after Retry-After seconds");
                unavailable.addHeader("Retry-After", header("seconds to wait before retrying"));
                if (entry.getKey() == PathItem.HttpMethod.POST) {
                    operation.addParameter(OASFactory.createParameter().name("Idempotency-Key")
                            .in(Parameter.In.HEADER).required(false)
                            .description("1..255 visible ASCII characters: a retry with the same key, method, path "
                                    + "and body gets the stored answer (Idempotent-Replayed: true); kept 24 hours")
                            .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                                    .minLength(1).maxLength(255)));
                    problem(operation, ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "the Idempotency-Key was used for a different request");
                }
                successStatus(path.getKey(), entry.getKey(), operation);
                readYourWrites(entry.getKey(), operation);
            }
        }
    }

    /**
     * The success statuses of the contract, which the generator cannot see in a {@code Response}: every POST
     * creates (201), a DELETE of one item answers 204 (of a collection: 200 with a count), PUT of a user 200 or 201.
     */
    private static void successStatus(String path, PathItem.HttpMethod method, Operation operation) {
        var responses = operation.getResponses();
        APIResponse ok = responses == null ? null : responses.getAPIResponse("200");
        if (ok == null) {
            return;
        }
        if (method == PathItem.HttpMethod.POST) {
            responses.removeAPIResponse("200");
            responses.addAPIResponse("201", ok.description("Created"));
        } else if (method == PathItem.HttpMethod.DELETE && path.endsWith("}")) {
            responses.removeAPIResponse("200");
            responses.addAPIResponse("204", OASFactory.createAPIResponse().description("No Content"));
        } else if (method == PathItem.HttpMethod.PUT) {
            responses.addAPIResponse("201", OASFactory.createAPIResponse().description("Created")
                    .content(ok.getContent()));
        }
    }

    /**
     * With read replicas (docs/scaling-out.md "Read replicas"): the marker a write answers with and a read may send
     * back.
     */
    private static void readYourWrites(PathItem.HttpMethod method, Operation operation) {
        if (method == PathItem.HttpMethod.GET) {
            operation.addParameter(OASFactory.createParameter().name(ReadYourWrites.HEADER)
                    .in(Parameter.In.HEADER).required(false)
                    .description("with read replicas: the value of the client's last write's " + ReadYourWrites.HEADER
                            + " (or the cookie " + ReadYourWrites.COOKIE + "); the read then sees that write")
                    .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))));
            return;
        }
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                response.addHeader(ReadYourWrites.HEADER, OASFactory.createHeader()
                        .description("with read replicas: the primary's WAL position after this write's commit "
                                + "(also the cookie " + ReadYourWrites.COOKIE + "); send it back on reads")
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))));
            }
        });
    }

    /** The answer of the type's status; several types share one (every 503), so the description is the caller's. */
    private static APIResponse problem(Operation operation, ProblemType type, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
        operation.getResponses().addAPIResponse(Integer.toString(type.status()), response);
        return response;
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)));
    }
}

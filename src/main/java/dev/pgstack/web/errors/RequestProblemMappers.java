package dev.pgstack.web.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.pgstack.problem.ApiException;
import dev.pgstack.problem.Problem;
import dev.pgstack.problem.ProblemType;
import dev.pgstack.web.input.StrictJson;
import dev.pgstack.web.routing.AllowedMethods;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;

/**
 * Turns every failure of the request itself (JSON, validation, parameters, HTTP method and media type) into an
 * RFC 9457 problem answer; database failures and unexpected errors are {@link DatabaseProblemMappers}' job.
 * Details name the field and the rule; they never carry a stack trace, SQL text, a bound value or a credential.
 */
public class RequestProblemMappers {

    @Inject
    ProblemResponses answers;

    @Inject
    Provider<AllowedMethods> allowedMethods;

    @Inject
    Provider<Validator> validator;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return answers.answer(e.type(), e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    public Response validation(ResteasyReactiveViolationException e) {
        return violations(e);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        return violations(e);
    }

    private Response violations(ConstraintViolationException e) {
        List<Problem.Violation> list = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            list.add(new Problem.Violation(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        list.sort((a, b) -> a.field().compareTo(b.field()));
        String detail = list.size() == 1 ? list.get(0).field() + ": " + list.get(0).message()
                : list.size() + " fields are invalid";
        return answers.answer(ProblemType.VALIDATION, detail, list);
    }

    /** "create.body.items[3].name" is "items[3].name"; a parameter without property is its own name. */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT
                    && node.getKind() != ElementKind.BEAN) {
                continue;
            }
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        if (field.length() > 0) {
            return field.toString();
        }
        return parameter != null ? parameter : "body";
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = e.getPropertyName();
        return answers.answer(ProblemType.VALIDATION, "unknown field '" + field + "'",
                List.of(new Problem.Violation(jsonPath(e), "unknown field")));
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        return wrongTypeProblem(e);
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        return wrongTypeProblem(e);
    }

    private Response wrongTypeProblem(MismatchedInputException e) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return answers.answer(ProblemType.MALFORMED_JSON, "the body does not have the expected shape");
        }
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        return answers.answer(ProblemType.VALIDATION, field + ": must be " + expected,
                List.of(new Problem.Violation(field, "must be " + expected)));
    }

    @ServerExceptionMapper
    public Response invalidText(StrictJson.InvalidUnicodeException e) {
        String field = jsonPath(e);
        return answers.answer(ProblemType.VALIDATION, field + ": " + e.getOriginalMessage(),
                List.of(new Problem.Violation(field, e.getOriginalMessage())));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        if (e instanceof StrictJson.InvalidUnicodeException text) {
            return invalidText(text);
        }
        if (e instanceof MismatchedInputException m) {
            return wrongTypeProblem(m);
        }
        if (e instanceof StrictJson.InvalidUtf8Exception) {
            return answers.answer(ProblemType.MALFORMED_JSON, "the body is not valid UTF-8");
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InputCoercionException number) {
                return outOfRange(number, e instanceof JsonMappingException wrapped ? wrapped : null);
            }
        }
        String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                ? "the body has the same field twice in one object" : "the body is not valid JSON";
        // Jackson's message quotes the input: say where, not what.
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return answers.answer(ProblemType.MALFORMED_JSON, what + where);
    }

    /**
     * A well-formed number too large for the field's type ({@code "quantity": 3000000000}): Jackson refuses it while
     * reading, before the validator runs, and wraps it with the field's path. The answer is the field's own rule
     * for the nearest value the type holds ("must be greater than or equal to 0" for -3000000000 in a quantity),
     * else the type's bound on that side.
     */
    private Response outOfRange(InputCoercionException e, JsonMappingException wrapped) {
        String path = wrapped == null ? "" : jsonPath(wrapped);
        String field = path.isEmpty() ? "body" : path;
        boolean negative = negative(e);
        Class<?> type = e.getTargetType();
        Number nearest = null; // (not a conditional expression: it would widen the int bound to a Long)
        if (type == Integer.TYPE || type == Integer.class) {
            nearest = negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        } else if (type == Long.TYPE || type == Long.class) {
            nearest = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        String rule = nearest == null ? "is out of range"
                : fieldRule(wrapped, nearest).orElse((negative ? "must be at least " : "must be at most ") + nearest);
        return answers.answer(ProblemType.VALIDATION, field + ": " + rule,
                List.of(new Problem.Violation(field, rule)));
    }

    /**
     * Whether the refused number is negative. Jackson's message quotes it ("Numeric value (-3000000000) out of
     * range of int"); the parser has moved past it by the time a bulk body's item fails.
     */
    private static boolean negative(InputCoercionException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int open = message.indexOf('(');
        return open >= 0 && message.startsWith("-", open + 1);
    }

    /** What the field's constraints say of {@code value}, if they refuse it. */
    private Optional<String> fieldRule(JsonMappingException wrapped, Number value) {
        if (wrapped == null || wrapped.getPath().isEmpty()) {
            return Optional.empty();
        }
        JsonMappingException.Reference last = wrapped.getPath().get(wrapped.getPath().size() - 1);
        Object from = last.getFrom();
        Class<?> bean = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
        if (bean == null || last.getFieldName() == null) {
            return Optional.empty();
        }
        try {
            return validator.get().validateValue(bean, last.getFieldName(), value).stream()
                    .map(ConstraintViolation::getMessage).sorted().findFirst();
        } catch (IllegalArgumentException | ValidationException notAProperty) {
            return Optional.empty(); // a map or a list, not a bean property: the type's bound answers
        }
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource: " + answers.path();
            case 405 -> "method not allowed on " + answers.path();
            case 406 -> "this resource answers application/json only";
            case 413 -> "the body is larger than the configured limit";
            case 415 -> "send the body as application/json";
            case 400 -> "the request could not be read";
            default -> title;
        };
        // the title stays JAX-RS's reason phrase, also where the catalogue words it differently (413)
        Problem problem = ProblemType.forHttpStatus(status)
                .map(type -> Problem.titled(type, title, detail, answers.instance()))
                .orElseGet(() -> Problem.ofStatus(status, title, detail, answers.instance()));
        Response.ResponseBuilder answer = Response.fromResponse(answers.answer(problem));
        if (status == 405) {
            allowedMethods.get().allow(answers.path()).ifPresent(allow -> answer.header(HttpHeaders.ALLOW, allow));
        }
        return answer.build();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}

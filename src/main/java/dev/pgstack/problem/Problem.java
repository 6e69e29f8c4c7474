package dev.pgstack.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document: the body of every error answer. Registered for reflection: it reaches Jackson
 * only inside a {@code Response}, which a native image cannot see through.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:pgstack:problem:";

    /** A problem without violations; {@code type} is a short slug such as "not-found". */
    public static Problem of(int status, String type, String title, String detail, String instance) {
        return new Problem(TYPE_PREFIX + type, title, status, detail, instance, null);
    }

    /** One failed constraint of a validation problem; {@code field} is the JSON field or query parameter. */
    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}

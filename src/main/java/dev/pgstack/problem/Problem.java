package dev.pgstack.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document: the body of every error answer. Registered for reflection: it reaches Jackson
 * only inside a {@code Response}, which a native image cannot see through. Made from a {@link ProblemType} of the
 * catalogue; the factories below are the only ways to make one.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:pgstack:problem:";

    /** A problem of the catalogue without violations; {@code instance} is the request path or null. */
    public static Problem of(ProblemType type, String detail, String instance) {
        return of(type, detail, instance, null);
    }

    public static Problem of(ProblemType type, String detail, String instance, List<Violation> violations) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, violations);
    }

    /**
     * A problem of the catalogue under another title: the standard reason phrase of a status that JAX-RS raised
     * itself, which for 413 ("Request Entity Too Large") is not the catalogue's title. Kept so answers stay as
     * they were.
     */
    public static Problem titled(ProblemType type, String title, String detail, String instance) {
        return new Problem(type.uri(), title, type.status(), detail, instance, null);
    }

    /** An HTTP error outside the catalogue: type {@code http-<status>}, the status's reason phrase as title. */
    public static Problem ofStatus(int status, String reasonPhrase, String detail, String instance) {
        return new Problem(TYPE_PREFIX + "http-" + status, reasonPhrase, status, detail, instance, null);
    }

    /**
     * An unexpected error: {@link ProblemType#INTERNAL} with the reference that the one log line about it
     * carries. Usually 500; a handler below JAX-RS that failed the request with another 5xx keeps that status.
     */
    public static Problem unexpected(int status, String reference, String instance) {
        return new Problem(ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(), status,
                "unexpected error; reference " + reference, instance, null);
    }

    /** One failed constraint of a validation problem; {@code field} is the JSON field or query parameter. */
    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}

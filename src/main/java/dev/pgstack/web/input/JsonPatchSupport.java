package dev.pgstack.web.input;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pgstack.problem.ApiException;

/**
 * Partial updates (PATCH): the body is read as a JSON tree so that "field absent" and "field: null" stay
 * different, then bound to the patch record with the same strict rules as every other body and validated.
 */
@ApplicationScoped
public class JsonPatchSupport {

    public record Patch<T>(T value, Set<String> present) {
    }

    private final ObjectMapper mapper;
    private final Validator validator;

    JsonPatchSupport(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /** {@code required}: fields that may be left out but not set to null (they have no "empty" value). */
    public <T> Patch<T> read(JsonNode body, Class<T> type, String... required) throws JsonProcessingException {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        for (String field : required) {
            if (body.has(field) && body.get(field).isNull()) {
                throw ApiException.badRequest(field, "must not be null");
            }
        }
        T value = mapper.treeToValue(body, type);
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        Set<String> present = new HashSet<>();
        body.fieldNames().forEachRemaining(present::add);
        return new Patch<>(value, present);
    }
}

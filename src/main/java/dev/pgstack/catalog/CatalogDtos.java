package dev.pgstack.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pgstack.web.input.Chars;
import dev.pgstack.web.input.TextRules;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request and answer bodies of the catalog (see /q/openapi). */
public final class CatalogDtos {


    private CatalogDtos() {
    }

    public record NewCategory(
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name) {
    }

    public record CategoryView(long id, String name) {
        static CategoryView of(Category c) {
            return new CategoryView(c.id, c.name);
        }
    }

    public record NewProduct(
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name,
            @Chars(max = 500, message = "must be at most 500 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String description,
            @NotNull(message = "is required")
            @DecimalMin(value = "0", message = "must be >= 0")
            @Digits(integer = 10, fraction = 2, message = "must have at most 10 integer digits and 2 decimals")
            BigDecimal price,
            @Min(value = 0, message = "must be >= 0")
            Integer quantity,
            @Positive(message = "must be a positive id")
            Long categoryId) {
    }

    /**
     * Any subset of the create fields; which ones were sent is known from the JSON, not from nulls. Read by
     * {@code ObjectMapper.treeToValue}, so registered for the native image by hand.
     */
    @RegisterForReflection
    public record ProductPatch(
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name,
            @Chars(max = 500, message = "must be at most 500 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String description,
            @DecimalMin(value = "0", message = "must be >= 0")
            @Digits(integer = 10, fraction = 2, message = "must have at most 10 integer digits and 2 decimals")
            BigDecimal price,
            @Min(value = 0, message = "must be >= 0")
            Integer quantity,
            @Positive(message = "must be a positive id")
            Long categoryId) {
    }

    public record BulkChange(
            @DecimalMin(value = "0", message = "must be >= 0")
            @Digits(integer = 10, fraction = 2, message = "must have at most 10 integer digits and 2 decimals")
            BigDecimal price,
            @Min(value = 0, message = "must be >= 0")
            Integer quantity) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProductView(long id, String name, @JsonInclude(JsonInclude.Include.ALWAYS) String description,
            BigDecimal price, int quantity, @JsonInclude(JsonInclude.Include.ALWAYS) Long categoryId,
            Instant createdAt, Instant updatedAt, Optional<CategoryView> category) {
        /**
         * {@code category} is left out (null) unless asked for; asked for (a listing with include=category), an
         * uncategorised product shows null (empty).
         */
        static ProductView of(Product p) {
            return new ProductView(p.id, p.name, p.description, p.price, p.quantity, p.categoryId, p.createdAt,
                    p.updatedAt, null);
        }
    }

    /** Answered inside a {@code Response}: registered for the native image by hand. */
    @RegisterForReflection
    public record Created(int created, List<Long> ids) {
    }

    public record Updated(int updated) {
    }

    public record Deleted(int deleted) {
    }
}

package dev.pgstack.company;

import java.time.Instant;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.pgstack.web.input.Chars;
import dev.pgstack.web.input.TextRules;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request and answer bodies of companies and their storage objects (see /q/openapi). */
public final class CompanyDtos {


    private CompanyDtos() {
    }

    public record CompanyBody(
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 200, message = "must be 1 to 200 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name) {
    }

    /** PATCH: any subset of the create fields (so far only {@code name}); read by hand, so registered by hand. */
    @RegisterForReflection
    public record CompanyPatch(
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 200, message = "must be 1 to 200 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name) {
    }

    public record CompanyView(long id, String name, Instant createdAt, Instant updatedAt) {
        static CompanyView of(Company c) {
            return new CompanyView(c.id, c.name, c.createdAt, c.updatedAt);
        }
    }

    public record NewStorageObject(
            @NotNull(message = "is required")
            @Chars(min = 1, max = 1024, message = "must be 1 to 1024 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String key,
            @NotNull(message = "is required")
            @Min(value = 0, message = "must be >= 0")
            Long sizeBytes,
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 255, message = "must be at most 255 characters")
            @Pattern(regexp = "[\\x21-\\x7e]+(/[\\x21-\\x7e]+)?(;.*)?", message = "must be a media type such as text/plain")
            String contentType,
            @Chars(max = 255, message = "must be at most 255 characters")
            @Pattern(regexp = "[\\x20-\\x7e]*", message = "must be printable ASCII")
            String checksum) {
    }

    public record StorageObjectView(long id, long companyId, String key, long sizeBytes, String contentType,
            String checksum, Instant createdAt) {
        static StorageObjectView of(StorageObject o) {
            return new StorageObjectView(o.id, o.companyId, o.key, o.sizeBytes, o.contentType, o.checksum,
                    o.createdAt);
        }
    }
}

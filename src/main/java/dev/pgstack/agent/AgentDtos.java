package dev.pgstack.agent;

import java.time.Instant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import dev.pgstack.web.input.Chars;
import dev.pgstack.web.input.TextRules;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request and answer bodies of agents (see /q/openapi). */
public final class AgentDtos {


    private AgentDtos() {
    }

    public record NewAgent(
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name,
            @Positive(message = "must be a positive id")
            Long companyId,
            @NotNull(message = "is required")
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String model,
            @Chars(max = 10_000, message = "must be at most 10000 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String systemPrompt) {
    }

    /** Any subset of the create fields; read by {@code ObjectMapper.treeToValue}, so registered by hand. */
    @RegisterForReflection
    public record AgentPatch(
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String name,
            @Positive(message = "must be a positive id")
            Long companyId,
            @Pattern(regexp = TextRules.NOT_BLANK, message = "must not be blank")
            @Chars(max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String model,
            @Chars(max = 10_000, message = "must be at most 10000 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String systemPrompt) {
    }

    public record AgentView(long id, String name, Long companyId, String model, String systemPrompt,
            Instant createdAt, Instant updatedAt) {
        static AgentView of(Agent a) {
            return new AgentView(a.id, a.name, a.companyId, a.model, a.systemPrompt, a.createdAt, a.updatedAt);
        }
    }
}

package dev.pgstack.chat;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.pgstack.web.input.Chars;
import dev.pgstack.web.input.TextRules;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Request and answer bodies of the conversation store (see /q/openapi). */
public final class ChatDtos {


    private ChatDtos() {
    }

    public record UserView(long id, Instant createdAt, Instant updatedAt) {
        static UserView of(ChatUser u) {
            return new UserView(u.id, u.createdAt, u.updatedAt);
        }
    }

    public record SettingsUpdate(
            @Min(value = 1, message = "must be between 1 and 1000")
            @Max(value = 1000, message = "must be between 1 and 1000")
            Integer maxHistoryMessages,
            @Chars(max = 10_000, message = "must be at most 10000 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String systemPrompt) {
    }

    public record SettingsView(long userId, int maxHistoryMessages, String systemPrompt, Instant createdAt,
            Instant updatedAt) {
        static SettingsView of(UserSettings s) {
            return new SettingsView(s.userId, s.maxHistoryMessages, s.systemPrompt, s.createdAt, s.updatedAt);
        }

        static SettingsView defaults(long userId) {
            return new SettingsView(userId, UserSettings.DEFAULT_MAX_HISTORY_MESSAGES, null, null, null);
        }
    }

    public record NewMessage(
            @NotNull(message = "is required")
            @Pattern(regexp = "system|user|assistant", message = "must be one of system, user, assistant")
            String role,
            @NotNull(message = "is required")
            @Chars(min = 1, max = 100_000, message = "must be 1 to 100000 characters")
            @Pattern(regexp = TextRules.NO_NUL, message = "must not contain NUL characters")
            String content) {
    }

    public record MessageView(UUID id, long userId, String role, String content, int contentLength,
            Instant createdAt) {
        static MessageView of(Message m) {
            return new MessageView(m.id, m.userId, m.role, m.content, m.contentLength, m.createdAt);
        }
    }

    /** The body of {@code PUT /api/users/{id}}: {@code {}} and nothing else; read by hand, so registered by hand. */
    @RegisterForReflection
    public record NoFields() {
    }

    public record DeletedCount(long deleted) {
    }
}

package dev.pgstack.chat;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.pgstack.problem.ConstraintNames;

/** The conversation store's constraints (V1), as clients know them. */
@ApplicationScoped
public class ChatConstraints implements ConstraintNames {

    @Override
    public Map<String, String> fields() {
        return Map.of("user_settings_max_history_range", "maxHistoryMessages",
                "user_settings_system_prompt_length", "systemPrompt",
                "messages_role_known", "role",
                "messages_content_length", "content");
    }

    @Override
    public Map<String, String> parents() {
        return Map.of("messages_user_id_fkey", "user", "user_settings_user_id_fkey", "user");
    }
}

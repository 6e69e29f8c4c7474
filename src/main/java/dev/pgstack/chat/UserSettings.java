package dev.pgstack.chat;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Per-user settings; a user without a row gets {@link #DEFAULT_MAX_HISTORY_MESSAGES} and no system prompt. */
@Entity
@Table(name = "user_settings")
public class UserSettings extends PanacheEntityBase {

    public static final int DEFAULT_MAX_HISTORY_MESSAGES = 20;

    @Id
    @Column(name = "user_id")
    public Long userId;

    @Column(name = "max_history_messages", nullable = false)
    public int maxHistoryMessages;

    @Column(name = "system_prompt", columnDefinition = "text")
    public String systemPrompt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

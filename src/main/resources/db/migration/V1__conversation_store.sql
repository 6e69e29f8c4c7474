-- Conversation store: users (external 64-bit ids, e.g. Telegram), their settings, and messages with soft delete.

CREATE TABLE users (
    id          bigint      PRIMARY KEY CONSTRAINT users_id_positive CHECK (id > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE user_settings (
    user_id               bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    max_history_messages  integer     NOT NULL
        CONSTRAINT user_settings_max_history_range CHECK (max_history_messages BETWEEN 1 AND 1000),
    system_prompt         text
        CONSTRAINT user_settings_system_prompt_length CHECK (char_length(system_prompt) <= 10000),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE TABLE messages (
    id              uuid         PRIMARY KEY,
    user_id         bigint       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            varchar(16)  NOT NULL
        CONSTRAINT messages_role_known CHECK (role IN ('system', 'user', 'assistant')),
    content         text         NOT NULL
        CONSTRAINT messages_content_length CHECK (char_length(content) BETWEEN 1 AND 100000),
    content_length  integer      NOT NULL,
    created_at      timestamptz  NOT NULL,
    deleted_at      timestamptz
);

-- History: "active messages of a user, newest first" is an index range scan on this index.
CREATE INDEX messages_user_history_idx ON messages (user_id, deleted_at, created_at);

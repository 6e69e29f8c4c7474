-- Undo of V5: back to the V1 history index.
CREATE INDEX messages_user_history_idx ON messages (user_id, deleted_at, created_at);
DROP INDEX messages_user_active_history_idx;

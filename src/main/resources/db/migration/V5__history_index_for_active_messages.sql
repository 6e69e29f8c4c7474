-- History ("the N newest active messages of a user") as an index range scan that stops after N rows, whatever
-- the user's history size: the query orders by created_at DESC, id DESC under deleted_at IS NULL, which the V1
-- index (user_id, deleted_at, created_at) cannot return in order (no id), so PostgreSQL sorted every active
-- message of the user. The partial index holds active messages only, so soft-deleted ones cost nothing either.
CREATE INDEX messages_user_active_history_idx ON messages (user_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;
DROP INDEX messages_user_history_idx;

-- What the seed service writes, should it run beside pgstack during a switch-over or come back after a rollback
-- (docs/migrations.md "Switching over"), is made what the adoption makes of its old rows: a message without
-- content_length (the chat bot before revision b03417887b93) gets char_length(content), a product without an id
-- takes one from products_id_seq, a product with an empty quantity or clock column gets 0 and the clock.
-- pgstack itself always sends these values, so the triggers' WHEN conditions are false for its rows and no function
-- runs. Product ids cannot collide: each nextval is a block of 50 of its own, whose top is the old service's id or
-- whose ids are Hibernate's (pooled optimizer).
ALTER TABLE products ALTER COLUMN id SET DEFAULT nextval('products_id_seq');

CREATE FUNCTION messages_content_length_filled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.content_length := char_length(NEW.content);
    RETURN NEW;
END $$;

CREATE TRIGGER messages_content_length_filled BEFORE INSERT ON messages
    FOR EACH ROW WHEN (NEW.content_length IS NULL) EXECUTE FUNCTION messages_content_length_filled();
-- an edit by the older chat bot changes the content and leaves the length as it was
CREATE TRIGGER messages_content_length_followed BEFORE UPDATE OF content ON messages
    FOR EACH ROW WHEN (NEW.content IS DISTINCT FROM OLD.content AND NEW.content_length IS NOT DISTINCT FROM
        OLD.content_length OR NEW.content_length IS NULL)
    EXECUTE FUNCTION messages_content_length_filled();

CREATE FUNCTION products_empty_columns_filled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.quantity := coalesce(NEW.quantity, 0);
    NEW.created_at := coalesce(NEW.created_at, now());
    NEW.updated_at := coalesce(NEW.updated_at, NEW.created_at);
    RETURN NEW;
END $$;

CREATE TRIGGER products_empty_columns_filled BEFORE INSERT OR UPDATE ON products
    FOR EACH ROW WHEN (NEW.quantity IS NULL OR NEW.created_at IS NULL OR NEW.updated_at IS NULL)
    EXECUTE FUNCTION products_empty_columns_filled();

-- Undo of V8: the old service's writes without content_length, id, quantity or clock columns fail again.
DROP TRIGGER products_empty_columns_filled ON products;
DROP FUNCTION products_empty_columns_filled();
DROP TRIGGER messages_content_length_followed ON messages;
DROP TRIGGER messages_content_length_filled ON messages;
DROP FUNCTION messages_content_length_filled();
ALTER TABLE products ALTER COLUMN id DROP DEFAULT;

-- Undo of V1: the conversation store.
DROP TABLE messages;
DROP TABLE user_settings;
DROP TABLE users;

-- Columns that pgstack fills from the clock get the database's clock as their default, so that other writers of the
-- same tables do not fail: the seed service during a switch-over (README "Adopting a seed service's database"), a
-- DBA's INSERT that leaves them out. pgstack itself always sends these values (DatabaseClock, clock_timestamp() in
-- ConversationService), so its own rows are written as before. deleted_at stays without a default: NULL is "active".
ALTER TABLE users ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE user_settings ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE messages ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE products ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE companies ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE storage_objects ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE agents ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN updated_at SET DEFAULT now();

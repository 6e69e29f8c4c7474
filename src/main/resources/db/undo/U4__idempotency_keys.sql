-- Undo of V4: stored Idempotency-Key answers.
DROP TABLE idempotency_keys;

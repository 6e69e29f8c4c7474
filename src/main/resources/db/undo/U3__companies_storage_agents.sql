-- Undo of V3: companies, storage objects, agents.
DROP TABLE agents;
DROP TABLE storage_objects;
DROP TABLE companies;

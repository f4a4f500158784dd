ALTER TABLE widgets ADD COLUMN size INTEGER;
-- Fails at run time (no such column): the ALTER above must be rolled back.
INSERT INTO widgets (id, no_such_column) VALUES (1, 2);

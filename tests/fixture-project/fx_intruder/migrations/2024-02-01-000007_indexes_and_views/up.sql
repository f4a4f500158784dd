-- Dropping an index of core's table changes that table.
DROP INDEX intruder_items_name;
DROP INDEX IF EXISTS sqlite_autoindex_things_1;
-- A view of its own, with an INSTEAD OF trigger writing its own table: fine.
CREATE VIEW intruder_view AS SELECT id FROM intruder_copies;
CREATE TRIGGER intruder_view_insert INSTEAD OF INSERT ON intruder_view
BEGIN
    INSERT INTO intruder_copies (id) VALUES (NEW.id);
END;

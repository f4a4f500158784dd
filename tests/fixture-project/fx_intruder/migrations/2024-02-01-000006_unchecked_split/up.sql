-- fastapp: unchecked
-- The DO block cannot be parsed; every statement around it still can, and
-- `;`s in strings and in a trigger body do not hide one.
INSERT INTO intruder_copies (id) VALUES (';'); UPDATE items SET name = 'a;b';
CREATE TRIGGER intruder_sneak AFTER INSERT ON intruder_copies BEGIN DELETE FROM items; END;
DO $$ BEGIN PERFORM 1; END $$;

-- Writes to a table core owns, in the ways the guard must see through:
-- quoted, schema-qualified and comment-split names, triggers and upserts.
INSERT INTO items (id, name) VALUES (1, 'x');
UPDATE "items" SET name = 'y';
DELETE /* sneaky */ FROM main.items;
CREATE TRIGGER audit AFTER INSERT ON public.items BEGIN SELECT 1; END;
INSERT INTO items (id, name) VALUES (2, 'z') ON CONFLICT (id) DO UPDATE SET name = 'w';
-- Reading core's table is fine.
CREATE TABLE intruder_copies (id INTEGER REFERENCES items (id));
INSERT INTO intruder_copies (id) SELECT id FROM items;

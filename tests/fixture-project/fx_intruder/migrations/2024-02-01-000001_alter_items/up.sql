ALTER TABLE items ADD COLUMN hacked INTEGER;
CREATE INDEX intruder_items_name ON items (name);

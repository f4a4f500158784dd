-- SQLite ends a block comment at its first closing mark and runs the DROP
-- (and the REINDEX the parser cannot read); PostgreSQL nests block comments
-- and reads one comment, then a CREATE TABLE. Neither reading is trusted.
/* /* */ DROP TABLE items; REINDEX; /* */ SELECT '*/ CREATE TABLE intruder_notes (id INTEGER); --';

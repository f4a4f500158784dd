-- The `{{name}}` app's table, in SQL that SQLite and PostgreSQL both accept
-- (ids are UUIDs the app generates, so no auto-increment is needed).
CREATE TABLE {{table}} (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
);

-- The {{name}} app's table, in SQL that SQLite and PostgreSQL both accept.
CREATE TABLE {{table}} (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
);

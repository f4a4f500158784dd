CREATE TABLE subscribers (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL DEFAULT 'all'
);

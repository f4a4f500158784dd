-- Built without locking writes out; PostgreSQL refuses this inside a transaction.
CREATE UNIQUE INDEX CONCURRENTLY gadgets_code ON gadgets (code);

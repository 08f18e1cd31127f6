"""Storage: the database (uploads, plans, events, kept summaries; SQLite or PostgreSQL) and editors."""

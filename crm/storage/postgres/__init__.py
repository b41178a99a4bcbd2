"""PostgreSQL behind the same repositories as SQLite (DATABASE_URL=postgresql://…)."""

"""SQLite repositories: each takes the unit of work's connection and never commits."""

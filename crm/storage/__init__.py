"""Storage: the only place that speaks SQL. A PostgreSQL backend would sit beside `sqlite`."""

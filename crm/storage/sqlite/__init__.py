"""SQLite, the embedded default: the database file (database.py), its connection
(connection.py) and FTS5 search (search.py). The repositories both databases use are in
crm/storage/repos/."""

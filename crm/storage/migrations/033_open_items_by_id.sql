-- The open items in id order, for a list of open items (/items, the default) and its counts:
-- a page and "N newer" read this index alone instead of every item's row, closed or not,
-- between the bounds (PostgreSQL: an index-only scan).
CREATE INDEX IF NOT EXISTS items_open_by_id ON items (id) WHERE closed = 0;

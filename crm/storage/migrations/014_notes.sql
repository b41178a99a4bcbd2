-- Notes on items (kind 'note' of the timeline; author_id NULL: written by automation).
-- Every card shows the latest note and how many there are, and the history the latest
-- notes: read by this index (partial: only notes), not through the item's whole timeline.
CREATE INDEX timeline_notes_by_item ON timeline(item_id, id) WHERE kind = 'note';

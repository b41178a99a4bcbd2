-- The pipeline board (issue 16): a column's cards, most recently entered first, one page at
-- a time by (stage_entered_at, id) — everybody's and one person's (rowid ends each entry).
-- Its column heads (count and sum per stage) read items_open_by_pipeline/_by_owner (020).
CREATE INDEX items_board_by_stage ON items(stage_id, stage_entered_at);
CREATE INDEX items_board_by_owner ON items(responsible_id, stage_id, stage_entered_at);

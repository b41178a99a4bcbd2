-- Each outbox row is sent by one process (issue 13): the process about to send a row claims
-- it (who) and pushes its next_attempt_at to the claim's end (until when), in one short
-- write transaction; the row is out of every process's due rows until then. Marking it
-- sent, failed or postponed clears the claim. A claimer that died leaves its rows due again
-- when the claim ends (or at once, when it ran on the same host: its pid is gone).
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
-- Only rows being sent have a claimer: a small index, to find a dead claimer's rows.
CREATE INDEX outbox_claimed ON outbox(claimed_by) WHERE claimed_by IS NOT NULL;

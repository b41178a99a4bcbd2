-- A client's buttons act only while their offer stands: in the stage entry the message was
-- sent from, and once per message (the buttons of one message share `offer`).
ALTER TABLE client_buttons ADD COLUMN entry_id INTEGER REFERENCES stage_history(id) ON DELETE CASCADE;
ALTER TABLE client_buttons ADD COLUMN offer INTEGER;
CREATE INDEX client_buttons_by_offer ON client_buttons(offer, pressed_at);

-- Pruning by age (rules/retention.py) reads these.
CREATE INDEX processed_updates_by_at ON processed_updates(at);
-- Deleting a run sets these to NULL; without an index each delete would scan the table.
CREATE INDEX client_buttons_by_run ON client_buttons(run_id);
CREATE INDEX documents_by_run ON documents(run_id);

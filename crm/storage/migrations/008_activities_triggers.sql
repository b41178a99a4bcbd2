-- Activities remind once, triggers move items when something happens, clients press buttons.

-- An overdue activity reminds its assignee once: set when the reminder was queued, so a
-- restart does not remind again.
ALTER TABLE activities ADD COLUMN reminded_at TEXT;
CREATE INDEX activities_to_remind ON activities(done, reminded_at, deadline);

-- A trigger sits on a stage and moves an item of the stage's pipeline there when its event
-- happens (then that stage's rules run). It never moves an item to an earlier stage
-- unless `backwards` says so.
CREATE TABLE triggers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old webhook URLs stay dead
    stage_id    INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    event       TEXT    NOT NULL CHECK (event IN ('client_message', 'webhook', 'activity_done')),
    backwards   INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER,
    created_at  TEXT    NOT NULL,
    UNIQUE (stage_id, event)
);

-- Buttons a rule's message gave a client. The token (random, in the callback data) names
-- the button; only the chat it was sent to may press it.
CREATE TABLE client_buttons (
    token       INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    stage_id    INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    label       TEXT    NOT NULL,
    backwards   INTEGER NOT NULL DEFAULT 0,
    run_id      INTEGER REFERENCES rule_runs(id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    pressed_at  TEXT                                  -- the first press
);
CREATE INDEX client_buttons_by_item ON client_buttons(item_id);

-- Open dialogs (issue 13): the step (aiogram's FSM state) and the answers so far (its data,
-- a JSON object) of one user in one chat, kept here rather than in a process's memory, so a
-- dialog survives a restart and its next step may reach another process. A row goes when
-- its dialog ends (no step, no data) or lies untouched for long (crm/storage/dialogs.py).
-- Absent parts of aiogram's key are stored as 0 and '' so that the key is one unique value.
CREATE TABLE dialog_states (
    bot_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    business_connection_id TEXT NOT NULL DEFAULT '',
    destiny TEXT NOT NULL DEFAULT 'default',
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    touched_at TEXT NOT NULL,
    PRIMARY KEY (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)
);
CREATE INDEX dialog_states_touched ON dialog_states (touched_at);

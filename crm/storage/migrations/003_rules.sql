-- Automation rules, their runs per stage entry, the outbox of messages to deliver,
-- and per-item stops. The database is the truth; timers only wake the engine.

CREATE TABLE rules (
    id           INTEGER PRIMARY KEY,
    type_code    TEXT    NOT NULL REFERENCES entity_types(code) ON DELETE CASCADE,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    stage_id     INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,                   -- order within the stage, from 1
    title        TEXT    NOT NULL,
    kind         TEXT    NOT NULL,                   -- a code of rules/kinds/
    params       TEXT    NOT NULL DEFAULT '{}',      -- JSON, validated by the kind's model
    execution    TEXT    NOT NULL DEFAULT 'independent'
                 CHECK (execution IN ('after_previous', 'independent')),
    timing       TEXT    NOT NULL DEFAULT '{"mode": "immediately"}',  -- JSON (rules.model.Timing)
    condition    TEXT,                               -- JSON tree {"all"|"any": [...]}; NULL = always
    enabled      INTEGER NOT NULL DEFAULT 1,
    origin       TEXT    UNIQUE,                     -- key of a shipped/imported rule (idempotent installs)
    created_by   INTEGER,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX rules_by_stage ON rules(stage_id, position);

-- One row per rule per stage entry (entry = the stage_history row of the entry).
CREATE TABLE rule_runs (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rule_id        INTEGER REFERENCES rules(id) ON DELETE SET NULL,
    rule_title     TEXT    NOT NULL,                 -- kept so history reads after a rule is deleted
    rule_kind      TEXT    NOT NULL,
    stage_id       INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    entry_id       INTEGER NOT NULL REFERENCES stage_history(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    execution      TEXT    NOT NULL CHECK (execution IN ('after_previous', 'independent')),
    depth          INTEGER NOT NULL DEFAULT 0,       -- automation moves leading here (loop guard)
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'waiting', 'waiting_previous',
                       'running', 'done', 'failed', 'skipped', 'cancelled', 'stopped')),
    due_at         TEXT,                             -- NULL while waiting for the previous rule
    created_at     TEXT    NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    reason_code    TEXT,
    reason_params  TEXT    NOT NULL DEFAULT '{}',
    late           INTEGER NOT NULL DEFAULT 0,       -- ran well after its due time (bot was down)
    result         TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (rule_id, entry_id)
);
CREATE INDEX rule_runs_due ON rule_runs(state, due_at);
CREATE INDEX rule_runs_by_item ON rule_runs(item_id, entry_id, position);

-- Messages a rule decided to send, delivered by the outbox loop with retries.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    run_id             INTEGER REFERENCES rule_runs(id) ON DELETE SET NULL,
    dedupe_key         TEXT    NOT NULL UNIQUE,      -- e.g. run:<run_id>:1
    channel            TEXT    NOT NULL DEFAULT 'telegram',  -- telegram, email, webhook
    chat_id            INTEGER,                      -- Telegram chat (channel telegram)
    kind               TEXT    NOT NULL,             -- message, document, ...
    payload            TEXT    NOT NULL,             -- JSON
    state              TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TEXT    NOT NULL,
    retry_after_until  TEXT,                         -- Telegram asked to wait until then (429)
    sent_message_id    INTEGER,
    last_error         TEXT,
    created_at         TEXT    NOT NULL,
    sent_at            TEXT
);
CREATE INDEX outbox_pending ON outbox(state, next_attempt_at, id);
CREATE INDEX outbox_by_run ON outbox(run_id);

-- Automation stopped for an item in one stage entry: nothing more runs there.
CREATE TABLE automation_stops (
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    entry_id    INTEGER NOT NULL REFERENCES stage_history(id) ON DELETE CASCADE,
    stage_id    INTEGER NOT NULL,
    stopped_by  INTEGER,
    stopped_at  TEXT    NOT NULL,
    PRIMARY KEY (item_id, entry_id)
);

-- Core CRM schema: staff, entity types, pipelines, stages, items, clients, history.
CREATE TABLE staff (
    user_id            INTEGER PRIMARY KEY,          -- Telegram user id
    name               TEXT    NOT NULL,
    username           TEXT,
    role               TEXT    NOT NULL CHECK (role IN ('sales', 'manager', 'admin')),
    can_edit_settings  INTEGER NOT NULL DEFAULT 0,
    language           TEXT,
    active             INTEGER NOT NULL DEFAULT 1,
    joined_at          TEXT    NOT NULL
);

CREATE TABLE invites (
    code        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('sales', 'manager', 'admin')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_by     INTEGER,
    used_at     TEXT
);

CREATE TABLE entity_types (
    code       TEXT PRIMARY KEY,                     -- lead, deal, quote, invoice, or a smart process slug
    name_en    TEXT NOT NULL,
    name_de    TEXT NOT NULL,
    is_smart   INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL
);

CREATE TABLE pipelines (
    id          INTEGER PRIMARY KEY,
    type_code   TEXT NOT NULL REFERENCES entity_types(code) ON DELETE CASCADE,
    name_en     TEXT NOT NULL,
    name_de     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pipelines_by_type ON pipelines(type_code, position);

CREATE TABLE stages (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    code         TEXT,                               -- stable code of a shipped stage (e.g. 'won')
    name_en      TEXT NOT NULL,
    name_de      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('progress', 'success', 'failure')),
    position     INTEGER NOT NULL
);
CREATE INDEX stages_by_pipeline ON stages(pipeline_id, position);

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT,
    email       TEXT,
    tg_chat_id  INTEGER,
    created_at  TEXT NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT,
    email       TEXT,
    tg_chat_id  INTEGER,                             -- set once the client has written to the bot
    tg_username TEXT,
    language    TEXT,
    company_id  INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX contacts_by_chat ON contacts(tg_chat_id);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    type_code       TEXT    NOT NULL REFERENCES entity_types(code),
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    title           TEXT    NOT NULL,
    amount_minor    INTEGER,                         -- amount in cents; NULL when unknown
    currency        TEXT    NOT NULL DEFAULT 'EUR',
    contact_id      INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    company_id      INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    responsible_id  INTEGER REFERENCES staff(user_id) ON DELETE SET NULL,
    source          TEXT,
    custom          TEXT    NOT NULL DEFAULT '{}',   -- JSON object of custom fields
    closed          INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,      -- bumped on every change; stale cards compare it
    created_by      INTEGER,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    stage_entered_at TEXT   NOT NULL
);
CREATE INDEX items_by_stage ON items(stage_id);
CREATE INDEX items_by_responsible ON items(responsible_id);
CREATE INDEX items_by_type ON items(type_code, closed);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    price_minor  INTEGER NOT NULL,
    quantity     REAL    NOT NULL DEFAULT 1,
    position     INTEGER NOT NULL
);
CREATE INDEX products_by_item ON products(item_id, position);

CREATE TABLE stage_history (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    from_stage_id  INTEGER REFERENCES stages(id),    -- NULL on creation
    to_stage_id    INTEGER NOT NULL REFERENCES stages(id),
    by_user_id     INTEGER,                          -- NULL when the automation moved it
    at             TEXT    NOT NULL
);
CREATE INDEX history_by_item ON stage_history(item_id, id);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('call', 'meeting', 'task')),
    subject      TEXT    NOT NULL,
    deadline     TEXT,
    assignee_id  INTEGER REFERENCES staff(user_id) ON DELETE SET NULL,
    done         INTEGER NOT NULL DEFAULT 0,
    done_at      TEXT,
    created_at   TEXT    NOT NULL
);
CREATE INDEX activities_by_item ON activities(item_id, done);

CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- update_ids already handled, so that a re-delivered update has no second effect.
CREATE TABLE processed_updates (
    update_id  INTEGER PRIMARY KEY,
    at         TEXT NOT NULL
);

-- CRM mode: the classic → simple conversion (jobs and lead → deal links) and item timelines.

-- One switch to simple mode. It converts open leads batch by batch; a job left 'running'
-- (the process died) is continued with its own options by the next run.
CREATE TABLE conversion_jobs (
    id                       INTEGER PRIMARY KEY,
    state                    TEXT    NOT NULL CHECK (state IN ('running', 'done')),
    options                  TEXT    NOT NULL,       -- JSON: create, pipeline_id, keep_activities_open
    started_by               INTEGER,
    started_at               TEXT    NOT NULL,
    finished_at              TEXT,
    total                    INTEGER NOT NULL,       -- open leads when the job started
    leads_converted          INTEGER NOT NULL DEFAULT 0,
    leads_already_converted  INTEGER NOT NULL DEFAULT 0,
    contacts_created         INTEGER NOT NULL DEFAULT 0,
    companies_created        INTEGER NOT NULL DEFAULT 0,
    deals_created            INTEGER NOT NULL DEFAULT 0,
    activities_moved         INTEGER NOT NULL DEFAULT 0,
    activities_closed        INTEGER NOT NULL DEFAULT 0
);
-- Two admins pressing "switch" at once share one job instead of starting two.
CREATE UNIQUE INDEX conversion_jobs_one_running ON conversion_jobs(state) WHERE state = 'running';

-- Which deal a lead became. Written in the transaction that converts the lead, so a lead
-- is converted exactly once however often a conversion is interrupted and resumed.
CREATE TABLE lead_conversions (
    lead_id  INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    deal_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    job_id   INTEGER REFERENCES conversion_jobs(id),   -- NULL for a conversion by hand
    at       TEXT    NOT NULL
);
CREATE INDEX lead_conversions_by_deal ON lead_conversions(deal_id);

-- What happened with an item in words: client messages, staff replies, notes, ...
-- `kind` is checked by the code (TimelineKind), so new kinds need no table rebuild.
CREATE TABLE timeline (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    at             TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    author_id      INTEGER,                          -- staff user id; NULL for the client
    text           TEXT    NOT NULL,
    tg_message_id  INTEGER
);
CREATE INDEX timeline_by_item ON timeline(item_id, id);

-- A client's next message looks up their open item; "my activities" looks up by assignee.
CREATE INDEX items_by_contact ON items(contact_id);
CREATE INDEX activities_by_assignee ON activities(assignee_id, done);

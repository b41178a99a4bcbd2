-- Data changes and recurring work by automation: who is next in a role's rotation, which
-- item a copy was made from, and the schedules that make copies (recurring deals).

-- Round-robin assignment: the member of a role who got the last item. The next one is the
-- active member of the role with the next higher user id (wrapping around), so the turn
-- is fair across restarts and across rules.
CREATE TABLE responsible_rotation (
    role          TEXT    PRIMARY KEY CHECK (role IN ('sales', 'manager', 'admin')),
    last_user_id  INTEGER NOT NULL,
    at            TEXT    NOT NULL
);

-- A schedule a "copy the item" rule set up: every N days/weeks/months, or on a day of the
-- month. next_due_at is the truth; the timer only wakes the worker that reads it.
CREATE TABLE copy_schedules (
    id            INTEGER PRIMARY KEY,
    origin_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rule_id       INTEGER REFERENCES rules(id) ON DELETE SET NULL,
    run_id        INTEGER UNIQUE REFERENCES rule_runs(id) ON DELETE SET NULL,  -- set it up
    pipeline_id   INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    stage_id      INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    title         TEXT,                                -- template of the copies' title
    repeat        TEXT    NOT NULL CHECK (repeat IN ('days', 'weeks', 'months', 'month_day')),
    every         INTEGER NOT NULL DEFAULT 1 CHECK (every >= 1),
    day           INTEGER CHECK (day BETWEEN 1 AND 31),   -- month_day: the day of the month
    anchor_at     TEXT    NOT NULL,                    -- occurrences count from here
    occurrence    INTEGER NOT NULL DEFAULT 1,          -- number of the next occurrence
    copies        INTEGER NOT NULL DEFAULT 0,          -- copies made so far
    max_copies    INTEGER,                             -- NULL: until stopped
    next_due_at   TEXT,                                -- NULL once ended
    state         TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'ended')),
    end_reason    TEXT,                                -- lost, stopped, done, origin_gone, ...
    ended_by      INTEGER,
    ended_at      TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX copy_schedules_due ON copy_schedules(state, next_due_at);
CREATE INDEX copy_schedules_by_origin ON copy_schedules(origin_id, state);

-- Which item a copy was made from (shown as "copy of #N" on the card). A scheduled copy
-- names its schedule and occurrence, so one occurrence never makes two copies.
CREATE TABLE item_copies (
    copy_id      INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    origin_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    schedule_id  INTEGER REFERENCES copy_schedules(id) ON DELETE SET NULL,
    occurrence   INTEGER,
    at           TEXT    NOT NULL,
    UNIQUE (schedule_id, occurrence)
);
CREATE INDEX item_copies_by_origin ON item_copies(origin_id);

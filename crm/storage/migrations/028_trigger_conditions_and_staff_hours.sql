-- Issue 15: triggers on a field's change and on a new responsible person, each trigger with an
-- optional condition; per-person working hours and absences ("in the responsible person's
-- working hours").

-- SQLite cannot widen a CHECK: the table is made anew. Several triggers of one event may
-- now sit on a stage (one per field, value or condition), so (stage_id, event) is no longer
-- unique; the admin refuses an exact duplicate. The AUTOINCREMENT counter is carried over,
-- so a deleted trigger's number (and its old webhook URLs) stays dead.
CREATE TABLE triggers_v2 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    stage_id    INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    event       TEXT    NOT NULL CHECK (event IN ('client_message', 'webhook', 'activity_done',
                                                  'field_changed', 'responsible_changed')),
    backwards   INTEGER NOT NULL DEFAULT 0,
    field       TEXT,        -- field_changed: title, amount, currency, probability, custom.<name>
    value       TEXT,        -- field_changed: only a change to this value (NULL: any change)
    condition   TEXT,        -- JSON condition tree checked against the item; NULL: always
    created_by  INTEGER,
    created_at  TEXT    NOT NULL,
    CHECK ((event = 'field_changed') = (field IS NOT NULL)),
    CHECK (value IS NULL OR field IS NOT NULL)
);
INSERT INTO triggers_v2 (id, stage_id, event, backwards, created_by, created_at)
    SELECT id, stage_id, event, backwards, created_by, created_at FROM triggers;
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'triggers_v2', seq FROM sqlite_sequence WHERE name = 'triggers'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'triggers_v2');
UPDATE sqlite_sequence
    SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'triggers'), 0))
    WHERE name = 'triggers_v2';
DROP TABLE triggers;
ALTER TABLE triggers_v2 RENAME TO triggers;
CREATE INDEX triggers_by_stage ON triggers(stage_id, event);

-- A person's own working week (local time of the team's time zone): the days (Monday = 0,
-- comma-separated) and one span a day. Without a row the company's hours apply.
CREATE TABLE staff_hours (
    user_id     INTEGER PRIMARY KEY REFERENCES staff(user_id) ON DELETE CASCADE,
    days        TEXT    NOT NULL,
    starts      TEXT    NOT NULL,   -- HH:MM
    ends        TEXT    NOT NULL,   -- HH:MM, after starts
    set_by      INTEGER,
    set_at      TEXT    NOT NULL
);

-- Days a person is away (holiday, illness): from first_day to last_day, both included.
CREATE TABLE staff_absences (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES staff(user_id) ON DELETE CASCADE,
    first_day   TEXT    NOT NULL,   -- YYYY-MM-DD
    last_day    TEXT    NOT NULL,
    set_by      INTEGER,
    set_at      TEXT    NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX staff_absences_by_user ON staff_absences(user_id, last_day);

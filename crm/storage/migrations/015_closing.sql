-- Closing (issue 12): why an item was lost, each pipeline's list of lost reasons, and the
-- stages an item has reached (the card's ladder marks only those as done).

-- Set when someone moves the item into a failure stage by hand (a listed reason keeps its
-- stored name, e.g. 'Price', which the bot translates; free text as typed); NULL when
-- automation moved it there, and cleared when the item leaves the failure stage.
ALTER TABLE items ADD COLUMN lost_reason TEXT;
-- The same on the history row of that move, so the history shows it after a reopening.
ALTER TABLE stage_history ADD COLUMN lost_reason TEXT;

-- The stages the item has entered, as ',3,5,9,' — kept by the trigger below from the
-- history, so the card reads them with the item's own row instead of an extra query.
ALTER TABLE items ADD COLUMN stages_reached TEXT;

CREATE TRIGGER item_stages_reached AFTER INSERT ON stage_history
WHEN (SELECT instr(COALESCE(stages_reached, ','), ',' || new.to_stage_id || ',')
      FROM items WHERE id = new.item_id) = 0
BEGIN
    UPDATE items SET stages_reached = COALESCE(stages_reached, ',') || new.to_stage_id || ','
     WHERE id = new.item_id;
END;

UPDATE items SET stages_reached = (
    SELECT ',' || group_concat(to_stage_id, ',') || ','
      FROM (SELECT DISTINCT to_stage_id FROM stage_history h WHERE h.item_id = items.id));

-- The reasons offered when an item is lost, per pipeline, in their order. The shipped
-- names are English message ids with German in closing.po (crm/services/closing.py lists
-- them); a name an admin adds is shown as typed.
CREATE TABLE lost_reasons (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    position     INTEGER NOT NULL
);
CREATE UNIQUE INDEX lost_reasons_by_pipeline ON lost_reasons(pipeline_id, position);

CREATE TABLE lost_reason_defaults (name TEXT NOT NULL, position INTEGER PRIMARY KEY);
INSERT INTO lost_reason_defaults (name, position) VALUES
    ('Price', 1), ('Competitor', 2), ('No budget', 3), ('No response', 4), ('Timing', 5),
    ('Other', 6);

INSERT INTO lost_reasons (pipeline_id, name, position)
    SELECT p.id, d.name, d.position FROM pipelines p, lost_reason_defaults d;

-- Every new pipeline starts with the defaults.
CREATE TRIGGER lost_reasons_for_new_pipeline AFTER INSERT ON pipelines BEGIN
    INSERT INTO lost_reasons (pipeline_id, name, position)
        SELECT new.id, name, position FROM lost_reason_defaults;
END;

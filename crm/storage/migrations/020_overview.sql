-- The pipeline overview and the sales report (issue 12).
-- tests/unit/test_overview_plans.py reads the plans of these queries.

-- /pipeline: the open items of one pipeline counted and summed per stage and currency in
-- one grouped query that reads only these indexes (they hold every column it needs), in
-- the order it groups by: the team's, and one person's.
CREATE INDEX items_open_by_pipeline
    ON items(pipeline_id, closed, stage_id, currency, amount_minor);
CREATE INDEX items_open_by_owner
    ON items(responsible_id, pipeline_id, closed, stage_id, currency, amount_minor);

-- /report sales: the stage changes of a period (funnel, win rate, days in a stage), read
-- from the index alone.
CREATE INDEX history_by_at ON stage_history(at, item_id, from_stage_id, to_stage_id);

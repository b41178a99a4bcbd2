-- Nobody is told of their own new item (issue 12): the shipped "Tell the responsible person
-- about the new deal" rule gets the condition rules/defaults/deal.yaml now ships with —
-- only where it still has the condition it was installed with (one an admin changed stays).
UPDATE rules
   SET condition = '{"all": [{"field": "responsible.name", "op": "not_empty", "value": null}, {"field": "item.created_by_responsible", "op": "=", "value": "no"}]}'
 WHERE origin = 'default-deal-new-notify'
   AND condition = '{"all": [{"field": "responsible.name", "op": "not_empty", "value": null}]}';

-- An item without a contact has nobody to greet (issue 12): the shipped "Greet the client"
-- rule gets the condition rules/defaults/deal.yaml now ships with, so such an item shows
-- the rule as skipped ("condition not met"), not failed — only where it still has the
-- condition it was installed with (one an admin changed stays).
UPDATE rules
   SET condition = '{"all": [{"field": "item.source", "op": "!=", "value": "telegram"}, {"field": "contact.name", "op": "not_empty", "value": null}]}'
 WHERE origin = 'default-deal-new-greeting'
   AND condition = '{"all": [{"field": "item.source", "op": "!=", "value": "telegram"}]}';

-- Queries that stay flat as the data grows: an index for every hot query, and search
-- through FTS5 instead of lower() LIKE over seven columns (issue 10).
-- tests/unit/test_query_plans.py reads the plans of the hot queries and fails on a scan.

-- A stage entry's runs (the card's automation summary, the engine on every move).
CREATE INDEX rule_runs_by_entry ON rule_runs(entry_id, position);

-- Lists page by id, newest first (keyset): every filter the list offers is an index whose
-- rows for one key are in id order, so a page reads its 8 rows and stops.
-- By type (and the conversion's lead batches): (type_code, id).
CREATE INDEX items_by_type_id ON items(type_code, id);
DROP INDEX items_by_type;  -- (type_code, closed): nothing asks for closed by index any more
-- A salesperson's items by type or stage (stage alone: items_by_stage).
CREATE INDEX items_by_responsible_type ON items(responsible_id, type_code, id);
CREATE INDEX items_by_responsible_stage ON items(responsible_id, stage_id, id);
-- A company's items, to re-index them when the company changes (contacts: items_by_contact).
CREATE INDEX items_by_company ON items(company_id);

-- A contact or company by its exact name, any case (a new item's contact, an inquiry's
-- company): lower() folds ASCII only, the rest is compared among the few rows found.
CREATE INDEX contacts_by_name ON contacts(lower(name));
CREATE INDEX companies_by_name ON companies(lower(name));

-- Search --------------------------------------------------------------------------------
-- Unicode case folding and umlauts: "Müller" is found by "müller", "MÜLLER" and "Muller"
-- (remove_diacritics 2). Prefixes of two and three characters are indexed, so that the
-- prefix queries a search makes of every word ("mül"*) do not merge many terms.
-- Phone numbers are searchable by digits: `phone_key` is the number's digits without
-- leading zeros, `phone_digits` that and every suffix of at least 4 digits, so that
-- "030 123456", "+49 30 123456" and "123456" all find "+49 30 123456" by prefix.

ALTER TABLE contacts ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (
    ltrim(replace(replace(replace(replace(replace(replace(replace(
        phone, ' ', ''), '+', ''), '-', ''), '/', ''), '(', ''), ')', ''), '.', ''), '0')
) VIRTUAL;
ALTER TABLE companies ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (
    ltrim(replace(replace(replace(replace(replace(replace(replace(
        phone, ' ', ''), '+', ''), '-', ''), '/', ''), '(', ''), ')', ''), '.', ''), '0')
) VIRTUAL;
ALTER TABLE contacts ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (phone_key
    || CASE WHEN length(phone_key) > 4 THEN ' ' || substr(phone_key, 2) ELSE '' END
    || CASE WHEN length(phone_key) > 5 THEN ' ' || substr(phone_key, 3) ELSE '' END
    || CASE WHEN length(phone_key) > 6 THEN ' ' || substr(phone_key, 4) ELSE '' END
    || CASE WHEN length(phone_key) > 7 THEN ' ' || substr(phone_key, 5) ELSE '' END
    || CASE WHEN length(phone_key) > 8 THEN ' ' || substr(phone_key, 6) ELSE '' END
    || CASE WHEN length(phone_key) > 9 THEN ' ' || substr(phone_key, 7) ELSE '' END
    || CASE WHEN length(phone_key) > 10 THEN ' ' || substr(phone_key, 8) ELSE '' END
    || CASE WHEN length(phone_key) > 11 THEN ' ' || substr(phone_key, 9) ELSE '' END
    || CASE WHEN length(phone_key) > 12 THEN ' ' || substr(phone_key, 10) ELSE '' END
    || CASE WHEN length(phone_key) > 13 THEN ' ' || substr(phone_key, 11) ELSE '' END
    || CASE WHEN length(phone_key) > 14 THEN ' ' || substr(phone_key, 12) ELSE '' END
    || CASE WHEN length(phone_key) > 15 THEN ' ' || substr(phone_key, 13) ELSE '' END
    || CASE WHEN length(phone_key) > 16 THEN ' ' || substr(phone_key, 14) ELSE '' END
    || CASE WHEN length(phone_key) > 17 THEN ' ' || substr(phone_key, 15) ELSE '' END
    || CASE WHEN length(phone_key) > 18 THEN ' ' || substr(phone_key, 16) ELSE '' END
    || CASE WHEN length(phone_key) > 19 THEN ' ' || substr(phone_key, 17) ELSE '' END
) VIRTUAL;
ALTER TABLE companies ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (phone_key
    || CASE WHEN length(phone_key) > 4 THEN ' ' || substr(phone_key, 2) ELSE '' END
    || CASE WHEN length(phone_key) > 5 THEN ' ' || substr(phone_key, 3) ELSE '' END
    || CASE WHEN length(phone_key) > 6 THEN ' ' || substr(phone_key, 4) ELSE '' END
    || CASE WHEN length(phone_key) > 7 THEN ' ' || substr(phone_key, 5) ELSE '' END
    || CASE WHEN length(phone_key) > 8 THEN ' ' || substr(phone_key, 6) ELSE '' END
    || CASE WHEN length(phone_key) > 9 THEN ' ' || substr(phone_key, 7) ELSE '' END
    || CASE WHEN length(phone_key) > 10 THEN ' ' || substr(phone_key, 8) ELSE '' END
    || CASE WHEN length(phone_key) > 11 THEN ' ' || substr(phone_key, 9) ELSE '' END
    || CASE WHEN length(phone_key) > 12 THEN ' ' || substr(phone_key, 10) ELSE '' END
    || CASE WHEN length(phone_key) > 13 THEN ' ' || substr(phone_key, 11) ELSE '' END
    || CASE WHEN length(phone_key) > 14 THEN ' ' || substr(phone_key, 12) ELSE '' END
    || CASE WHEN length(phone_key) > 15 THEN ' ' || substr(phone_key, 13) ELSE '' END
    || CASE WHEN length(phone_key) > 16 THEN ' ' || substr(phone_key, 14) ELSE '' END
    || CASE WHEN length(phone_key) > 17 THEN ' ' || substr(phone_key, 15) ELSE '' END
    || CASE WHEN length(phone_key) > 18 THEN ' ' || substr(phone_key, 16) ELSE '' END
    || CASE WHEN length(phone_key) > 19 THEN ' ' || substr(phone_key, 17) ELSE '' END
) VIRTUAL;

-- Contacts and companies, each in its own index (rowid = their id). Prefix indexes for
-- words of 2 to 8 letters: FTS5 reads a prefix in such an index lazily, newest first, and
-- stops at a page; a longer prefix (few words share one) merges every match first.
CREATE VIRTUAL TABLE contact_search USING fts5(
    name, email, phone, digits, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8');
CREATE VIRTUAL TABLE company_search USING fts5(
    name, email, phone, digits, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8');

-- An item's document (rowid = the item's id): its title, and the names, e-mail addresses
-- and phone numbers of its contact and company. A contact or company that changes
-- re-indexes its items (by items_by_contact, items_by_company). `owner` holds one token,
-- "r" and the responsible's user id ("r0": nobody), so that a salesperson's search is
-- one match in the index, not a look at every item found.
CREATE VIRTUAL TABLE item_search USING fts5(
    title, client, digits, owner, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8');

CREATE VIEW item_search_source AS
SELECT i.id AS id, i.title AS title,
       ifnull(c.name, '') || ' ' || ifnull(c.email, '') || ' ' || ifnull(c.phone, '') || ' '
           || ifnull(co.name, '') || ' ' || ifnull(co.email, '') || ' ' || ifnull(co.phone, '')
           AS client,
       ifnull(c.phone_digits, '') || ' ' || ifnull(co.phone_digits, '') AS digits,
       'r' || ifnull(i.responsible_id, 0) AS owner
FROM items i
LEFT JOIN contacts c ON c.id = i.contact_id
LEFT JOIN companies co ON co.id = i.company_id;

CREATE TRIGGER item_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source WHERE id = new.id;
END;
CREATE TRIGGER item_search_update
AFTER UPDATE OF title, contact_id, company_id, responsible_id ON items
WHEN old.title IS NOT new.title OR old.contact_id IS NOT new.contact_id
     OR old.company_id IS NOT new.company_id OR old.responsible_id IS NOT new.responsible_id
BEGIN
    DELETE FROM item_search WHERE rowid = old.id;
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source WHERE id = new.id;
END;
CREATE TRIGGER item_search_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_search WHERE rowid = old.id;
END;

CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, name, email, phone, digits)
        VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
END;
CREATE TRIGGER contact_search_update AFTER UPDATE OF name, email, phone ON contacts
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM contact_search WHERE rowid = old.id;
    INSERT INTO contact_search (rowid, name, email, phone, digits)
        VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
    DELETE FROM item_search WHERE rowid IN (SELECT id FROM items WHERE contact_id = new.id);
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source
        WHERE id IN (SELECT id FROM items WHERE contact_id = new.id);
END;
CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_search WHERE rowid = old.id;
END;

CREATE TRIGGER company_search_insert AFTER INSERT ON companies BEGIN
    INSERT INTO company_search (rowid, name, email, phone, digits)
        VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
END;
CREATE TRIGGER company_search_update AFTER UPDATE OF name, email, phone ON companies
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM company_search WHERE rowid = old.id;
    INSERT INTO company_search (rowid, name, email, phone, digits)
        VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
    DELETE FROM item_search WHERE rowid IN (SELECT id FROM items WHERE company_id = new.id);
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source
        WHERE id IN (SELECT id FROM items WHERE company_id = new.id);
END;
CREATE TRIGGER company_search_delete AFTER DELETE ON companies BEGIN
    DELETE FROM company_search WHERE rowid = old.id;
END;

-- What is there already.
INSERT INTO contact_search (rowid, name, email, phone, digits)
    SELECT id, name, email, phone, phone_digits FROM contacts;
INSERT INTO company_search (rowid, name, email, phone, digits)
    SELECT id, name, email, phone, phone_digits FROM companies;
INSERT INTO item_search (rowid, title, client, digits, owner)
    SELECT id, title, client, digits, owner FROM item_search_source;

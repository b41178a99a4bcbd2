-- "Straße" and "Strasse" are one word to a search, as to a German reader (and in Swiss
-- spelling there is no ß at all): the search tables hold ß, and the capital ẞ, as "ss".
-- FTS5's tokenizer folds case and accents but keeps ß a letter of its own; PostgreSQL's
-- crm_fold folds it already (postgresql/031_search_eszett.sql changes nothing). The
-- search's words are folded the same way (crm/storage/sqlite/search.py).

DROP VIEW item_search_source;
CREATE VIEW item_search_source AS
SELECT i.id AS id, replace(replace(i.title, 'ß', 'ss'), 'ẞ', 'ss') AS title,
       replace(replace(
           ifnull(c.name, '') || ' ' || ifnull(c.email, '') || ' ' || ifnull(c.phone, '') || ' '
           || ifnull(co.name, '') || ' ' || ifnull(co.email, '') || ' ' || ifnull(co.phone, ''),
           'ß', 'ss'), 'ẞ', 'ss') AS client,
       ifnull(c.phone_digits, '') || ' ' || ifnull(co.phone_digits, '') AS digits,
       'r' || ifnull(i.responsible_id, 0) AS owner
FROM items i
LEFT JOIN contacts c ON c.id = i.contact_id
LEFT JOIN companies co ON co.id = i.company_id;

-- A contact's or company's own row: name and e-mail folded (a phone number has no ß).
DROP TRIGGER contact_search_insert;
CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, name, email, phone, digits)
        VALUES (new.id, replace(replace(new.name, 'ß', 'ss'), 'ẞ', 'ss'),
                replace(replace(new.email, 'ß', 'ss'), 'ẞ', 'ss'), new.phone, new.phone_digits);
END;
DROP TRIGGER contact_search_update;
CREATE TRIGGER contact_search_update AFTER UPDATE OF name, email, phone ON contacts
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM contact_search WHERE rowid = old.id;
    INSERT INTO contact_search (rowid, name, email, phone, digits)
        VALUES (new.id, replace(replace(new.name, 'ß', 'ss'), 'ẞ', 'ss'),
                replace(replace(new.email, 'ß', 'ss'), 'ẞ', 'ss'), new.phone, new.phone_digits);
    DELETE FROM item_search WHERE rowid IN (SELECT id FROM items WHERE contact_id = new.id);
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source
        WHERE id IN (SELECT id FROM items WHERE contact_id = new.id);
END;

DROP TRIGGER company_search_insert;
CREATE TRIGGER company_search_insert AFTER INSERT ON companies BEGIN
    INSERT INTO company_search (rowid, name, email, phone, digits)
        VALUES (new.id, replace(replace(new.name, 'ß', 'ss'), 'ẞ', 'ss'),
                replace(replace(new.email, 'ß', 'ss'), 'ẞ', 'ss'), new.phone, new.phone_digits);
END;
DROP TRIGGER company_search_update;
CREATE TRIGGER company_search_update AFTER UPDATE OF name, email, phone ON companies
WHEN old.name IS NOT new.name OR old.email IS NOT new.email OR old.phone IS NOT new.phone
BEGIN
    DELETE FROM company_search WHERE rowid = old.id;
    INSERT INTO company_search (rowid, name, email, phone, digits)
        VALUES (new.id, replace(replace(new.name, 'ß', 'ss'), 'ẞ', 'ss'),
                replace(replace(new.email, 'ß', 'ss'), 'ẞ', 'ss'), new.phone, new.phone_digits);
    DELETE FROM item_search WHERE rowid IN (SELECT id FROM items WHERE company_id = new.id);
    INSERT INTO item_search (rowid, title, client, digits, owner)
        SELECT id, title, client, digits, owner FROM item_search_source
        WHERE id IN (SELECT id FROM items WHERE company_id = new.id);
END;

-- The rows written before, again (only those with a ß change).
DELETE FROM contact_search WHERE rowid IN (
    SELECT id FROM contacts WHERE name LIKE '%ß%' OR name LIKE '%ẞ%' OR email LIKE '%ß%');
INSERT INTO contact_search (rowid, name, email, phone, digits)
    SELECT id, replace(replace(name, 'ß', 'ss'), 'ẞ', 'ss'),
           replace(replace(email, 'ß', 'ss'), 'ẞ', 'ss'), phone, phone_digits
    FROM contacts WHERE name LIKE '%ß%' OR name LIKE '%ẞ%' OR email LIKE '%ß%';
DELETE FROM company_search WHERE rowid IN (
    SELECT id FROM companies WHERE name LIKE '%ß%' OR name LIKE '%ẞ%' OR email LIKE '%ß%');
INSERT INTO company_search (rowid, name, email, phone, digits)
    SELECT id, replace(replace(name, 'ß', 'ss'), 'ẞ', 'ss'),
           replace(replace(email, 'ß', 'ss'), 'ẞ', 'ss'), phone, phone_digits
    FROM companies WHERE name LIKE '%ß%' OR name LIKE '%ẞ%' OR email LIKE '%ß%';
CREATE TEMP TABLE eszett_items AS
SELECT i.id AS id FROM items i
LEFT JOIN contacts c ON c.id = i.contact_id
LEFT JOIN companies co ON co.id = i.company_id
WHERE instr(i.title || ifnull(c.name, '') || ifnull(c.email, '') || ifnull(co.name, '')
            || ifnull(co.email, ''), 'ß') > 0
   OR instr(i.title || ifnull(c.name, '') || ifnull(co.name, ''), 'ẞ') > 0;
DELETE FROM item_search WHERE rowid IN (SELECT id FROM eszett_items);
INSERT INTO item_search (rowid, title, client, digits, owner)
    SELECT id, title, client, digits, owner FROM item_search_source
    WHERE id IN (SELECT id FROM eszett_items);
DROP TABLE eszett_items;

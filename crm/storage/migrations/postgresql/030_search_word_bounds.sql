-- The search tables' text with its word bounds marked: every run of characters that are
-- not letters or digits becomes one space, with a space before the first word and after
-- the last (' anna meyer kontakt2 example de 49 171 0000002 '). A word's start is then
-- ' meyer' and a whole word ' meyer ', which LIKE finds through the trigram indexes and
-- checks in a candidate row as cheaply; the regular expression that checked the bounds
-- before cost ~6 µs a row, ~60 ms for a common surname at 100,000 items.
-- Whatever writes a search row (the triggers of the baseline), its text is bounded here.

-- Letters, digits and lower case as Unicode has them, whatever the database's locale: in
-- the "C" locale (initdb's default where none is set) [:alnum:] and lower() know ASCII only,
-- which cut "Дмитрий" away and left "Д" upper case. ICU's root collation ("und-x-icu", in
-- PostgreSQL's packages) classifies by Unicode; a server built without ICU keeps the
-- database's own locale. crm_fold (baseline 029) is made anew the same way.
DO $$
DECLARE
    unicode TEXT := CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_collation
                                      WHERE collname = 'und-x-icu')
                         THEN ' COLLATE "und-x-icu"' ELSE '' END;
BEGIN
    EXECUTE format($create$
        CREATE OR REPLACE FUNCTION crm_fold(t TEXT) RETURNS TEXT
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $body$
            SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, t)%s)
                COLLATE "default"
        $body$
    $create$, unicode);
    EXECUTE format($create$
        CREATE FUNCTION crm_word_bounds(t TEXT) RETURNS TEXT
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $body$
            SELECT (' ' || pg_catalog.btrim(pg_catalog.regexp_replace(
                t%s, '[^[:alnum:]]+', ' ', 'g')) || ' ') COLLATE "default"
        $body$
    $create$, unicode);
END
$$;

CREATE FUNCTION item_search_bounds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.title := crm_word_bounds(NEW.title);
    NEW.client := crm_word_bounds(NEW.client);
    NEW.digits := crm_word_bounds(NEW.digits);
    RETURN NEW;
END
$$;
CREATE TRIGGER item_search_bounds BEFORE INSERT OR UPDATE ON item_search
    FOR EACH ROW EXECUTE FUNCTION item_search_bounds();

-- contact_search and company_search have the same columns.
CREATE FUNCTION party_search_bounds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name := crm_word_bounds(NEW.name);
    NEW.email := crm_word_bounds(NEW.email);
    NEW.phone := crm_word_bounds(NEW.phone);
    NEW.digits := crm_word_bounds(NEW.digits);
    RETURN NEW;
END
$$;
CREATE TRIGGER contact_search_bounds BEFORE INSERT OR UPDATE ON contact_search
    FOR EACH ROW EXECUTE FUNCTION party_search_bounds();
CREATE TRIGGER company_search_bounds BEFORE INSERT OR UPDATE ON company_search
    FOR EACH ROW EXECUTE FUNCTION party_search_bounds();

-- The rows written before: folded anew from their sources and bounded by the triggers above.
UPDATE item_search s SET title = v.title, client = v.client, digits = v.digits
FROM item_search_source v WHERE v.id = s.rowid;
UPDATE contact_search s SET name = crm_fold(c.name), email = crm_fold(c.email),
    phone = crm_fold(c.phone), digits = crm_fold(c.phone_digits)
FROM contacts c WHERE c.id = s.rowid;
UPDATE company_search s SET name = crm_fold(c.name), email = crm_fold(c.email),
    phone = crm_fold(c.phone), digits = crm_fold(c.phone_digits)
FROM companies c WHERE c.id = s.rowid;
ANALYZE item_search;
ANALYZE contact_search;
ANALYZE company_search;

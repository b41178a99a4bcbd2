-- The words of each item's search row (its title and client, as migration 030 bounds them),
-- one row per word and item. A search for a common word ("Werner", in one item of ten)
-- wants the newest matches first and how many there are, up to a thousand: the trigram
-- indexes find every candidate, unordered, and checking them cost ~4.5 ms at 100,000 items;
-- this table's key gives each word's items in id order, so the newest thousand of a word,
-- or of the few words a prefix stands for, are read one after another and no further
-- (crm/storage/postgres/search_words.py). The "C" collation orders words byte by byte, so a
-- prefix is one range of the key.
CREATE TABLE item_search_words (
    word TEXT COLLATE "C" NOT NULL,
    rowid BIGINT NOT NULL,
    PRIMARY KEY (word, rowid)
);

CREATE FUNCTION crm_search_words(title TEXT, client TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(string_to_array(
        btrim(coalesce(title, '') || ' ' || coalesce(client, '')), ' '), '')
$$;

-- item_search is written by its own triggers (a row deleted and inserted anew, baseline
-- 029); its words follow each of its rows.
CREATE FUNCTION item_search_words_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM item_search_words
        WHERE rowid = OLD.rowid AND word = ANY (crm_search_words(OLD.title, OLD.client));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO item_search_words (word, rowid)
            SELECT DISTINCT w, NEW.rowid FROM unnest(crm_search_words(NEW.title, NEW.client)) AS w
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER item_search_words_follow AFTER INSERT OR UPDATE OR DELETE ON item_search
    FOR EACH ROW EXECUTE FUNCTION item_search_words_follow();

INSERT INTO item_search_words (word, rowid)
    SELECT DISTINCT w, s.rowid FROM item_search s, unnest(crm_search_words(s.title, s.client)) AS w
ON CONFLICT DO NOTHING;

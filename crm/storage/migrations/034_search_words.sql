-- PostgreSQL's own (postgresql/034_search_words.sql): the words of item_search in a table
-- of their own, so that a search finds the newest items of a common word without reading
-- every one of them. SQLite's FTS5 table reads its words' lists in that order already.
SELECT 1;

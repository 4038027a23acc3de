-- marsad schema 5: full-text search over articles, and the index the web timeline pages with.
--
-- article_search holds a normalised copy of each article (marsad.store.queries.search_columns):
-- title/body are the words as marsad.arabic.normalize writes them; title_core/body_core are the
-- same words, position for position, without proclitics and article ("والحموشى" -> "حموشي").
-- The rowid is documents.id. Rows are written by queries.index_article when an article is saved
-- (normalisation is Python, so no SQL trigger can do it) and by queries.reindex_search for
-- articles stored before this migration.

CREATE VIRTUAL TABLE article_search USING fts5(
    title, title_core, body, body_core,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The timeline lists events newest first (start DESC, id DESC) and filters by country, type and
-- status: with those columns in one index, a page is read from the index alone, newest first,
-- stopping at the page size, whatever the depth (queries.list_events, keyset paging).
CREATE INDEX IF NOT EXISTS events_timeline ON events(start, host_country, actor_country, type, status);

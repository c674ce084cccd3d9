-- Check stage: the full-text index's vocabulary (document frequency of every term), so that
-- retrieval can weight an item's words by rarity and query the rare ones first.
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts_vocab USING fts5vocab(documents_fts, 'row');
CREATE INDEX IF NOT EXISTS checks_article ON checks(article_id, id);

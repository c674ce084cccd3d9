-- As store/migrations/400_check_vocab.sql. The vocabulary's document frequencies come from
-- the GIN index itself (a count per word), so there is no vocabulary table to keep.
CREATE INDEX IF NOT EXISTS checks_article ON checks(article_id, id);

-- PostgreSQL's migration 130 stores each document's token counts for its bm25 ranking;
-- FTS5 keeps them itself (documents_fts_docsize), so SQLite has nothing to add.
SELECT 1;

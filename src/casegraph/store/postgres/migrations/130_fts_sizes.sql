-- What PostgreSQL needs to match and rank as SQLite's FTS5 does (store/postgres/fts.py):
-- each document's token counts as FTS5's tokenizer counts them (title, body), whether its
-- tsvector holds every position of every word (not so in long documents: 256 positions per
-- word, positions clamped at 16,383, a text indexed in part), and for the documents whose
-- tsvector does not, their words' token positions. Written when a document is stored;
-- documents stored before this migration get theirs on the first search.
CREATE TABLE fts_sizes (
    rowid BIGINT PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE,
    title INTEGER NOT NULL,
    body  INTEGER NOT NULL,
    exact BOOLEAN NOT NULL
);
CREATE INDEX fts_sizes_inexact ON fts_sizes(rowid) WHERE NOT exact;

CREATE TABLE fts_postings (
    lexeme    TEXT COLLATE "C" NOT NULL,
    rowid     BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    col       SMALLINT NOT NULL,          -- 0 the title, 1 the body
    positions INTEGER[] NOT NULL,         -- token numbers in that column, from 0
    PRIMARY KEY (lexeme, rowid, col)
);
CREATE INDEX fts_postings_rowid ON fts_postings(rowid);

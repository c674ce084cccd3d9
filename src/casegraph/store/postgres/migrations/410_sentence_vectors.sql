-- As store/migrations/410_sentence_vectors.sql. `rowid` stands for SQLite's implicit rowid:
-- a replaced row takes a new one, so the index's stamp changes whenever the index does.
CREATE TABLE sentence_vectors (
    rowid   BIGSERIAL,
    doc_id  TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model   TEXT COLLATE "C" NOT NULL,
    count   INTEGER NOT NULL,
    spans   BYTEA NOT NULL,
    vectors BYTEA NOT NULL,
    scales  BYTEA NOT NULL,
    PRIMARY KEY (doc_id, model)
);

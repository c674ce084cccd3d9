-- Ingest stage (as store/migrations/100_ingest.sql): load-file rows, MinHash bands,
-- line document-frequencies for boilerplate detection.

CREATE TABLE loadfile_rows (
    bates  TEXT COLLATE "C" PRIMARY KEY,
    row    TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL
);

CREATE INDEX documents_bates ON documents(json_extract(meta, '$.bates_begin'));

CREATE TABLE minhashes (
    doc_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    signature BYTEA NOT NULL
);
CREATE TABLE minhash_bands (
    band   BIGINT NOT NULL,
    key    BIGINT NOT NULL,
    doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, doc_id)
);

CREATE TABLE line_counts (
    hash      BIGINT PRIMARY KEY,
    documents INTEGER NOT NULL,
    text      TEXT COLLATE "C" NOT NULL
);
CREATE TABLE line_counted (
    doc_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
);

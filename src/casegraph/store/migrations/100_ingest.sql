-- Ingest stage: load-file rows, MinHash bands for incremental near-duplicate detection,
-- line document-frequencies for boilerplate detection.

-- Rows of production load files, by Bates number; attached to documents in either order.
CREATE TABLE loadfile_rows (
    bates  TEXT PRIMARY KEY,
    row    TEXT NOT NULL,          -- JSON object, keys as in casegraph.ingest.formats.loadfile
    source TEXT NOT NULL           -- the load file's path
);

-- Bates lookups (`casegraph show HOUSE_OVERSIGHT_010477`) use this expression index.
CREATE INDEX documents_bates ON documents(json_extract(meta, '$.bates_begin'));

-- MinHash signature per document and its LSH band keys; candidates come from SQL, so
-- memory stays bounded however many documents there are.
CREATE TABLE minhashes (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    signature BLOB NOT NULL        -- uint64 hash values, little-endian
);
CREATE TABLE minhash_bands (
    band   INTEGER NOT NULL,
    key    INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, doc_id)
) WITHOUT ROWID;

-- In how many documents each normalised line occurs (boilerplate = high counts).
CREATE TABLE line_counts (
    hash      INTEGER PRIMARY KEY,
    documents INTEGER NOT NULL,
    text      TEXT NOT NULL
);
-- Documents whose lines were counted (so a resumed run never counts one twice).
CREATE TABLE line_counted (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
);

-- Check stage: the sentence-embedding index of source documents (search/index.py), filled
-- during `analyze`. One row per (document, model): the document's indexed sentences as
-- parallel arrays, so that the whole index loads with one read per document.
CREATE TABLE sentence_vectors (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model   TEXT NOT NULL,
    count   INTEGER NOT NULL,        -- sentences indexed (0: the document has none worth indexing)
    spans   BLOB NOT NULL,           -- int32 little-endian: start, end of each sentence
    vectors BLOB NOT NULL,           -- int8: count x dimensions, each row scaled to [-127, 127]
    scales  BLOB NOT NULL,           -- float32 little-endian: the factor that restores each row
    PRIMARY KEY (doc_id, model)
);

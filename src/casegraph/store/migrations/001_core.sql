-- casegraph core schema: documents and everything extracted from them.
-- Every annotation table holds (doc_id, start, end, text): its provenance span into
-- documents.text, the normalised text.

CREATE TABLE documents (
    rowid       INTEGER PRIMARY KEY,          -- integer key for the FTS index
    id          TEXT NOT NULL UNIQUE,         -- stable id derived from the content hash
    sha256      TEXT NOT NULL UNIQUE,         -- of the original bytes: same bytes, same document
    kind        TEXT NOT NULL CHECK (kind IN ('source', 'article')),
    path        TEXT NOT NULL,                -- as ingested; container path then member for members
    title       TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    date        TEXT,                         -- ISO 8601, as precise as known
    custodian   TEXT NOT NULL DEFAULT '',
    mime        TEXT NOT NULL DEFAULT '',
    lang        TEXT NOT NULL DEFAULT '',
    parent_id   TEXT REFERENCES documents(id) ON DELETE CASCADE,
    meta        TEXT NOT NULL DEFAULT '{}',   -- JSON object
    text        TEXT NOT NULL,
    size        INTEGER NOT NULL DEFAULT 0,   -- bytes of the original
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_parent ON documents(parent_id);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_custodian ON documents(custodian);

-- Other paths under which the same bytes were seen (exact duplicates).
CREATE TABLE document_paths (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path   TEXT NOT NULL,
    PRIMARY KEY (doc_id, path)
);

-- Pages, paragraphs and sentences by character offsets.
CREATE TABLE segments (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('page', 'paragraph', 'sentence')),
    number      INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, kind, number)
);

-- Near-duplicates (MinHash), linked rather than dropped. a < b.
CREATE TABLE near_duplicates (
    a          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (a, b)
);

-- Lines that repeat across many documents of a production (disclaimers, page stamps).
CREATE TABLE boilerplate (
    hash      TEXT PRIMARY KEY,
    text      TEXT NOT NULL,
    documents INTEGER NOT NULL
);

-- What happened to each input file, run by run: the ingest log and the resume point.
CREATE TABLE files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime    REAL NOT NULL,
    sha256   TEXT,
    status   TEXT NOT NULL,        -- ingested | duplicate | skipped | failed
    reason   TEXT NOT NULL DEFAULT '',
    doc_id   TEXT,
    seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text,
    content='documents', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

-- Analysis ---------------------------------------------------------------------------

-- Which documents have been analyzed, by which pipeline.
CREATE TABLE analyses (
    doc_id      TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    version     TEXT NOT NULL,
    analyzed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE mentions (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    cluster   TEXT NOT NULL DEFAULT '',   -- document-local grouping (analysis)
    entity_id TEXT                        -- corpus-level entity (resolve)
);
CREATE INDEX mentions_doc ON mentions(doc_id, start);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY,
    doc_id          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    text            TEXT NOT NULL,
    speaker_mention INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    cue             TEXT NOT NULL DEFAULT '',
    direct          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX quotes_doc ON quotes(doc_id);

CREATE TABLE claims (
    id                  INTEGER PRIMARY KEY,
    doc_id              TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start               INTEGER NOT NULL,
    end                 INTEGER NOT NULL,
    text                TEXT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('fact', 'opinion', 'speculation', 'prediction')),
    hedges              TEXT NOT NULL DEFAULT '[]',   -- JSON list of spans
    boosters            TEXT NOT NULL DEFAULT '[]',
    attributed_mention  INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    checkworthiness     REAL NOT NULL DEFAULT 0
);
CREATE INDEX claims_doc ON claims(doc_id);

CREATE TABLE relations (
    id              INTEGER PRIMARY KEY,
    doc_id          TEXT REFERENCES documents(id) ON DELETE CASCADE,
    subject_mention INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
    object_mention  INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
    subject_entity  TEXT,          -- set directly for structured data (registers) without mentions
    object_entity   TEXT,
    kind            TEXT NOT NULL,
    predicate       TEXT NOT NULL DEFAULT '',
    start           INTEGER,
    end             INTEGER,
    text            TEXT NOT NULL DEFAULT '',
    confidence      REAL NOT NULL DEFAULT 0.5,
    negated         INTEGER NOT NULL DEFAULT 0,
    hedged          INTEGER NOT NULL DEFAULT 0,
    meta            TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX relations_subject ON relations(subject_mention);
CREATE INDEX relations_object ON relations(object_mention);

CREATE TABLE rhetoric (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    technique TEXT NOT NULL,
    score     REAL NOT NULL
);
CREATE INDEX rhetoric_doc ON rhetoric(doc_id);

-- Resolution -------------------------------------------------------------------------

CREATE TABLE entities (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',   -- JSON list
    meta    TEXT NOT NULL DEFAULT '{}'    -- JSON: merge reasons, identifiers (e-mail, FARA numbers)
);

-- Human corrections, kept apart from machine output and re-applied after every resolve.
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL,        -- merge | split | rename | delete
    payload    TEXT NOT NULL,        -- JSON
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    undone     INTEGER NOT NULL DEFAULT 0
);

-- Checking ---------------------------------------------------------------------------

-- Sentence embeddings, computed once per (document span, model).
CREATE TABLE embeddings (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start  INTEGER NOT NULL,
    end    INTEGER NOT NULL,
    model  TEXT NOT NULL,
    vector BLOB NOT NULL,            -- float32, little-endian
    PRIMARY KEY (doc_id, start, end, model)
);

CREATE TABLE checks (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    report     TEXT NOT NULL          -- JSON, the shape `check --json` prints
);

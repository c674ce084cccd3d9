-- casegraph core schema on PostgreSQL: the same tables, columns and keys as the SQLite
-- migration of the same number (store/migrations/001_core.sql). Text columns sort by code
-- point (COLLATE "C"), as SQLite's do, so listings come out in the same order; floats are
-- double precision (SQLite's REAL); the full-text index is a generated tsvector with GIN.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- SQLite's functions the store's SQL uses, under their SQLite names.
CREATE FUNCTION casegraph_now() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
$$ SELECT (doc::jsonb) #>> string_to_array(substr(path, 3), '.') $$;
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS
$$ SELECT strpos(haystack, needle) $$;

-- Words as SQLite's FTS5 tokenizer (unicode61 remove_diacritics) reads them: no stemming,
-- no stop words, accents removed, lower case.
CREATE TEXT SEARCH CONFIGURATION casegraph (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION casegraph
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- FTS5 splits words at every punctuation mark; PostgreSQL's parser keeps some runs whole
-- (paths, URLs, e-mail addresses: "politics/trump-inauguration" would be one token), so
-- ASCII punctuation becomes a space before parsing (ASCII ranges: the same on any locale).
CREATE FUNCTION casegraph_words(body text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
$$ SELECT regexp_replace(body, '[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]+', ' ', 'g') $$;

-- A tsvector holds at most 1 MB: a text whose index would be larger is indexed in part
-- (its first 200,000 characters) rather than refused.
CREATE FUNCTION casegraph_tsv(title text, body text) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN setweight(to_tsvector('casegraph', casegraph_words(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('casegraph', casegraph_words(coalesce(body, ''))), 'B');
EXCEPTION WHEN program_limit_exceeded THEN
    RETURN setweight(to_tsvector('casegraph', casegraph_words(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('casegraph', casegraph_words(left(coalesce(body, ''), 200000))), 'B');
END $$;

CREATE TABLE documents (
    rowid       BIGSERIAL PRIMARY KEY,
    id          TEXT COLLATE "C" NOT NULL UNIQUE,
    sha256      TEXT COLLATE "C" NOT NULL UNIQUE,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('source', 'article')),
    path        TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL DEFAULT '',
    author      TEXT COLLATE "C" NOT NULL DEFAULT '',
    date        TEXT COLLATE "C",
    custodian   TEXT COLLATE "C" NOT NULL DEFAULT '',
    mime        TEXT COLLATE "C" NOT NULL DEFAULT '',
    lang        TEXT COLLATE "C" NOT NULL DEFAULT '',
    parent_id   TEXT COLLATE "C" REFERENCES documents(id) ON DELETE CASCADE,
    meta        TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    text        TEXT COLLATE "C" NOT NULL,
    size        BIGINT NOT NULL DEFAULT 0,
    ingested_at TEXT COLLATE "C" NOT NULL DEFAULT casegraph_now(),
    tsv         tsvector GENERATED ALWAYS AS (casegraph_tsv(title, text)) STORED
);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_parent ON documents(parent_id);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_custodian ON documents(custodian);
CREATE INDEX documents_tsv ON documents USING gin(tsv);
CREATE INDEX documents_id_prefix ON documents(id text_pattern_ops);

CREATE TABLE document_paths (
    doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (doc_id, path)
);
CREATE INDEX document_paths_path ON document_paths(path);

CREATE TABLE segments (
    doc_id      TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('page', 'paragraph', 'sentence')),
    number      INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, kind, number)
);

CREATE TABLE near_duplicates (
    a          TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b          TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    similarity DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX near_duplicates_b ON near_duplicates(b);

CREATE TABLE boilerplate (
    hash      TEXT COLLATE "C" PRIMARY KEY,
    text      TEXT COLLATE "C" NOT NULL,
    documents INTEGER NOT NULL
);

CREATE TABLE files (
    path     TEXT COLLATE "C" PRIMARY KEY,
    size     BIGINT NOT NULL,
    mtime    DOUBLE PRECISION NOT NULL,
    sha256   TEXT COLLATE "C",
    status   TEXT COLLATE "C" NOT NULL,
    reason   TEXT COLLATE "C" NOT NULL DEFAULT '',
    doc_id   TEXT COLLATE "C",
    seen_at  TEXT COLLATE "C" NOT NULL DEFAULT casegraph_now()
);

-- Analysis ---------------------------------------------------------------------------

CREATE TABLE analyses (
    doc_id      TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    model       TEXT COLLATE "C" NOT NULL,
    version     TEXT COLLATE "C" NOT NULL,
    analyzed_at TEXT COLLATE "C" NOT NULL DEFAULT casegraph_now()
);

CREATE TABLE mentions (
    id        BIGSERIAL PRIMARY KEY,
    doc_id    TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT COLLATE "C" NOT NULL,
    label     TEXT COLLATE "C" NOT NULL,
    cluster   TEXT COLLATE "C" NOT NULL DEFAULT '',
    entity_id TEXT COLLATE "C"
);
CREATE INDEX mentions_doc ON mentions(doc_id, start);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quotes (
    id              BIGSERIAL PRIMARY KEY,
    doc_id          TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            TEXT COLLATE "C" NOT NULL,
    speaker_mention BIGINT REFERENCES mentions(id) ON DELETE SET NULL,
    cue             TEXT COLLATE "C" NOT NULL DEFAULT '',
    direct          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX quotes_doc ON quotes(doc_id);

CREATE TABLE claims (
    id                  BIGSERIAL PRIMARY KEY,
    doc_id              TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start               INTEGER NOT NULL,
    "end"               INTEGER NOT NULL,
    text                TEXT COLLATE "C" NOT NULL,
    type                TEXT COLLATE "C" NOT NULL CHECK (type IN ('fact', 'opinion', 'speculation', 'prediction')),
    hedges              TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    boosters            TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    attributed_mention  BIGINT REFERENCES mentions(id) ON DELETE SET NULL,
    checkworthiness     DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX claims_doc ON claims(doc_id);

CREATE TABLE relations (
    id              BIGSERIAL PRIMARY KEY,
    doc_id          TEXT COLLATE "C" REFERENCES documents(id) ON DELETE CASCADE,
    subject_mention BIGINT REFERENCES mentions(id) ON DELETE CASCADE,
    object_mention  BIGINT REFERENCES mentions(id) ON DELETE CASCADE,
    subject_entity  TEXT COLLATE "C",
    object_entity   TEXT COLLATE "C",
    kind            TEXT COLLATE "C" NOT NULL,
    predicate       TEXT COLLATE "C" NOT NULL DEFAULT '',
    start           INTEGER,
    "end"           INTEGER,
    text            TEXT COLLATE "C" NOT NULL DEFAULT '',
    confidence      DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    negated         INTEGER NOT NULL DEFAULT 0,
    hedged          INTEGER NOT NULL DEFAULT 0,
    meta            TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX relations_subject ON relations(subject_mention);
CREATE INDEX relations_object ON relations(object_mention);

CREATE TABLE rhetoric (
    id        BIGSERIAL PRIMARY KEY,
    doc_id    TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT COLLATE "C" NOT NULL,
    technique TEXT COLLATE "C" NOT NULL,
    score     DOUBLE PRECISION NOT NULL
);
CREATE INDEX rhetoric_doc ON rhetoric(doc_id);

-- Resolution -------------------------------------------------------------------------

CREATE TABLE entities (
    id      TEXT COLLATE "C" PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL,
    type    TEXT COLLATE "C" NOT NULL,
    aliases TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    meta    TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);

CREATE TABLE corrections (
    id         BIGSERIAL PRIMARY KEY,
    action     TEXT COLLATE "C" NOT NULL,
    payload    TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL DEFAULT casegraph_now(),
    undone     INTEGER NOT NULL DEFAULT 0
);

-- Checking ---------------------------------------------------------------------------

CREATE TABLE embeddings (
    doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL,
    model  TEXT COLLATE "C" NOT NULL,
    vector BYTEA NOT NULL,
    PRIMARY KEY (doc_id, start, "end", model)
);

CREATE TABLE checks (
    id         BIGSERIAL PRIMARY KEY,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    created_at TEXT COLLATE "C" NOT NULL DEFAULT casegraph_now(),
    report     TEXT COLLATE "C" NOT NULL
);

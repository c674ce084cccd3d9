-- Ingest stage: e-mail header structure (as store/migrations/120_email_headers.sql).

CREATE TABLE email_headers (
    doc_id  TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind    TEXT COLLATE "C" NOT NULL,
    block   INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    field   TEXT COLLATE "C" NOT NULL DEFAULT '',
    role    TEXT COLLATE "C" NOT NULL DEFAULT '',
    author  TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX email_headers_doc ON email_headers(doc_id, start);

CREATE TABLE email_headers_parsed (
    doc_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);

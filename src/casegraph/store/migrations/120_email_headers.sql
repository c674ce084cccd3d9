-- Ingest stage: e-mail header structure, parsed once at ingest (ingest/email_header.py) and
-- read by analysis, resolution and check. Parties go to email_parties (300_graph.sql).

-- Segments of the header structure (models.EmailHeaders): kind 'header' (a header block;
-- role top | embedded; author: its sender as written), 'field' (one header line; field: from,
-- to, cc, bcc, date, sent, subject, importance, attachments), 'name' (a person named in a
-- From/To/Cc/Bcc line of the top header), 'message' (where a quoted or forwarded message
-- begins; role quoted | forwarded). block: the header block's index (kind 'message': running).
CREATE TABLE email_headers (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    block   INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    field   TEXT NOT NULL DEFAULT '',
    role    TEXT NOT NULL DEFAULT '',
    author  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX email_headers_doc ON email_headers(doc_id, start);

-- Documents whose header structure is stored (with or without headers), and by which
-- version of the parser: documents missing here are parsed once when a later stage runs.
CREATE TABLE email_headers_parsed (
    doc_id  TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);

-- Resolve and graph stage: e-mail parties, the materialised graph and its evidence.

-- Who sent and received each e-mail document, read from its metadata and header block.
-- start/end point at the header line in documents.text where it could be found (else 0, 0).
CREATE TABLE email_parties (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('from', 'to', 'cc', 'bcc')),
    name      TEXT NOT NULL DEFAULT '',
    address   TEXT NOT NULL DEFAULT '',
    start     INTEGER NOT NULL DEFAULT 0,
    end       INTEGER NOT NULL DEFAULT 0,
    text      TEXT NOT NULL DEFAULT '',
    entity_id TEXT
);
CREATE INDEX email_parties_doc ON email_parties(doc_id);
CREATE INDEX email_parties_entity ON email_parties(entity_id);

-- Graph edges between entities, rebuilt after every resolve. a < b for undirected kinds.
CREATE TABLE graph_edges (
    id        INTEGER PRIMARY KEY,
    a         TEXT NOT NULL,
    b         TEXT NOT NULL,
    kind      TEXT NOT NULL,
    predicate TEXT NOT NULL DEFAULT '',
    directed  INTEGER NOT NULL DEFAULT 0,
    count     INTEGER NOT NULL DEFAULT 0,     -- pieces of evidence
    documents INTEGER NOT NULL DEFAULT 0,     -- distinct documents
    strength  REAL NOT NULL DEFAULT 0         -- evidence strength (higher = stronger)
);
CREATE INDEX graph_edges_a ON graph_edges(a);
CREATE INDEX graph_edges_b ON graph_edges(b);

CREATE TABLE edge_evidence (
    edge_id     INTEGER NOT NULL REFERENCES graph_edges(id) ON DELETE CASCADE,
    doc_id      TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    relation_id INTEGER,
    confidence  REAL NOT NULL DEFAULT 0.5
);
CREATE INDEX edge_evidence_edge ON edge_evidence(edge_id);

-- Small key/value state of the stage (graph version, last resolve summary).
CREATE TABLE graph_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS relations_kind ON relations(kind);

-- Resolve and graph stage (as store/migrations/300_graph.sql).

CREATE TABLE email_parties (
    id        BIGSERIAL PRIMARY KEY,
    doc_id    TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    role      TEXT COLLATE "C" NOT NULL CHECK (role IN ('from', 'to', 'cc', 'bcc')),
    name      TEXT COLLATE "C" NOT NULL DEFAULT '',
    address   TEXT COLLATE "C" NOT NULL DEFAULT '',
    start     INTEGER NOT NULL DEFAULT 0,
    "end"     INTEGER NOT NULL DEFAULT 0,
    text      TEXT COLLATE "C" NOT NULL DEFAULT '',
    entity_id TEXT COLLATE "C"
);
CREATE INDEX email_parties_doc ON email_parties(doc_id);
CREATE INDEX email_parties_entity ON email_parties(entity_id);

CREATE TABLE graph_edges (
    id        BIGSERIAL PRIMARY KEY,
    a         TEXT COLLATE "C" NOT NULL,
    b         TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    predicate TEXT COLLATE "C" NOT NULL DEFAULT '',
    directed  INTEGER NOT NULL DEFAULT 0,
    count     INTEGER NOT NULL DEFAULT 0,
    documents INTEGER NOT NULL DEFAULT 0,
    strength  DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX graph_edges_a ON graph_edges(a);
CREATE INDEX graph_edges_b ON graph_edges(b);

CREATE TABLE edge_evidence (
    edge_id     BIGINT NOT NULL REFERENCES graph_edges(id) ON DELETE CASCADE,
    doc_id      TEXT COLLATE "C" NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        TEXT COLLATE "C" NOT NULL DEFAULT '',
    relation_id BIGINT,
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0.5
);
CREATE INDEX edge_evidence_edge ON edge_evidence(edge_id);

CREATE TABLE graph_state (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE INDEX IF NOT EXISTS relations_kind ON relations(kind);

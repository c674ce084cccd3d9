-- As store/migrations/411_edge_evidence_kind.sql.
ALTER TABLE graph_edges ADD COLUMN evidence TEXT COLLATE "C" NOT NULL DEFAULT 'source';
UPDATE graph_edges SET evidence = 'article' WHERE id IN (
    SELECT ev.edge_id FROM edge_evidence ev JOIN documents d ON d.id = ev.doc_id
    GROUP BY ev.edge_id HAVING sum(CASE WHEN d.kind = 'source' THEN 1 ELSE 0 END) = 0
);
CREATE INDEX graph_edges_evidence ON graph_edges(evidence);

CREATE TABLE graph_index_cache_by_evidence (
    version  BIGINT NOT NULL,
    evidence TEXT COLLATE "C" NOT NULL,
    ids      TEXT COLLATE "C" NOT NULL,
    pa       BYTEA NOT NULL,
    pb       BYTEA NOT NULL,
    cost     BYTEA NOT NULL,
    strength BYTEA NOT NULL,
    PRIMARY KEY (version, evidence)
);

-- Graph stage: whether an edge's evidence comes from source documents or from articles.
-- Edges are kept apart by it (one edge per a, b, kind and evidence), so that `path`,
-- `neighbors` and the routing index can use source evidence alone (the default) and an
-- article's own sentences never pass for evidence. Existing edges are labelled from their
-- evidence spans; the next resolve rebuilds them split.
ALTER TABLE graph_edges ADD COLUMN evidence TEXT NOT NULL DEFAULT 'source';
UPDATE graph_edges SET evidence = 'article' WHERE id IN (
    SELECT ev.edge_id FROM edge_evidence ev JOIN documents d ON d.id = ev.doc_id
    GROUP BY ev.edge_id HAVING sum(d.kind = 'source') = 0
);
CREATE INDEX graph_edges_evidence ON graph_edges(evidence);

-- The routing index of the graph restricted to one kind of evidence ('source' | 'article'),
-- as graph_index_cache holds it for all edges. Valid for one graph version.
CREATE TABLE graph_index_cache_by_evidence (
    version  INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    ids      TEXT NOT NULL,
    pa       BLOB NOT NULL,
    pb       BLOB NOT NULL,
    cost     BLOB NOT NULL,
    strength BLOB NOT NULL,
    PRIMARY KEY (version, evidence)
);

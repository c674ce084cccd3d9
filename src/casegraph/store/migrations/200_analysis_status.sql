-- Analysis stage: the outcome of each document's analysis (a failed document is recorded
-- with its error, so that a run reports it and goes on, and is retried with --force),
-- and an index for naming document-local clusters.
ALTER TABLE analyses ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE analyses ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE analyses ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_cluster ON mentions(doc_id, cluster);

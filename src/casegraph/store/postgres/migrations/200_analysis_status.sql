-- Analysis stage (as store/migrations/200_analysis_status.sql).
ALTER TABLE analyses ADD COLUMN status TEXT COLLATE "C" NOT NULL DEFAULT 'ok';
ALTER TABLE analyses ADD COLUMN error TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE analyses ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_cluster ON mentions(doc_id, cluster);

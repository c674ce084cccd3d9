-- Name lookup (as store/migrations/302_entity_names.sql): the exact name, case-insensitively,
-- and pg_trgm trigrams for names that are alike (LIKE, similarity).
CREATE INDEX IF NOT EXISTS entities_name ON entities(lower(name));
CREATE INDEX IF NOT EXISTS entities_name_trgm ON entities USING gin (lower(name) gin_trgm_ops);

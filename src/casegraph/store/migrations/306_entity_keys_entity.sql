-- entity_keys rows cascade away with their entity: without an index on entity_id, every
-- deleted entity scanned the whole table (a second full resolve of the whole estate spent
-- 200 of its 263 seconds there).
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

-- As store/migrations/306_entity_keys_entity.sql: the cascade from entities finds its rows by index.
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

-- As store/migrations/304_entity_keys.sql: every entity's names parsed once.
CREATE TABLE entity_keys (
    key       TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    person    INTEGER NOT NULL,
    surname   TEXT COLLATE "C" NOT NULL,
    sound     TEXT COLLATE "C" NOT NULL,
    mentions  INTEGER NOT NULL
);
CREATE INDEX entity_keys_key ON entity_keys(key);
CREATE INDEX entity_keys_surname ON entity_keys(surname);
CREATE INDEX entity_keys_sound ON entity_keys(sound);

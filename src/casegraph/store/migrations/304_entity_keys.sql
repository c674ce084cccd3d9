-- Name lookup (`casegraph entity NAME`, neighbors, path, timeline): every entity's names and
-- aliases parsed once when the graph is built, so that a query in a fresh process reads a few
-- rows instead of parsing every name of the case.
CREATE TABLE entity_keys (
    key       TEXT NOT NULL,      -- normalised name (resolve.names: ASCII tokens, no titles)
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    person    INTEGER NOT NULL,   -- 1 when the entity is a PERSON (keys compare as person names)
    surname   TEXT NOT NULL,      -- last token, and its sound, to find variant spellings
    sound     TEXT NOT NULL,
    mentions  INTEGER NOT NULL    -- of the entity: most mentioned first among equals
);
CREATE INDEX entity_keys_key ON entity_keys(key);
CREATE INDEX entity_keys_surname ON entity_keys(surname);
CREATE INDEX entity_keys_sound ON entity_keys(sound);

-- As store/migrations/305_resolve_keys.sql: the keys incremental resolution blocks against.
CREATE TABLE resolve_keys (
    id        BIGSERIAL PRIMARY KEY,
    entity_id TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    key       TEXT COLLATE "C" NOT NULL,
    surname   TEXT COLLATE "C" NOT NULL DEFAULT '',
    given     TEXT COLLATE "C" NOT NULL DEFAULT '',
    data      TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX resolve_keys_kind_key ON resolve_keys(kind, key);
CREATE INDEX resolve_keys_entity ON resolve_keys(entity_id);
CREATE INDEX resolve_keys_surname ON resolve_keys(kind, surname);

CREATE TABLE resolved_documents (
    doc_id TEXT COLLATE "C" PRIMARY KEY
);

-- Resolve stage: what incremental resolution blocks the names of new documents against, so
-- that they join existing entities without a corpus-wide re-run (resolve/incremental.py).
-- Written whole by every full resolve, extended by every incremental one.
CREATE TABLE resolve_keys (
    id        INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,          -- the entity (a deleted one's id: its names stay unlinked)
    kind      TEXT NOT NULL,          -- name | single | leftover | address | person | pblock |
                                      -- sblock | other | oblock | full (resolve/state.py)
    key       TEXT NOT NULL,
    surname   TEXT NOT NULL DEFAULT '',
    given     TEXT NOT NULL DEFAULT '',
    data      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resolve_keys_kind_key ON resolve_keys(kind, key);
CREATE INDEX resolve_keys_entity ON resolve_keys(entity_id);
CREATE INDEX resolve_keys_surname ON resolve_keys(kind, surname);

-- Documents whose mentions the current entities account for.
CREATE TABLE resolved_documents (
    doc_id TEXT PRIMARY KEY
);

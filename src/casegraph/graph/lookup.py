"""Finding an entity from what a person types: an id, a name, an alias, a surname or a
misspelling, through the same name parsing and matching as resolution.

Every entity's names are parsed once, when the graph is built (`index_names`), into the
store's name index; a query then reads a few rows of it, so that `entity`, `neighbors`,
`path` and `timeline` answer quickly in a fresh process on a large case.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from casegraph.errors import InvalidInput, NotFoundError, StoreError
from casegraph.models import EntityRecord
from casegraph.resolve.matching import compare_persons
from casegraph.resolve.names import parse_other, parse_person, phonetic
from casegraph.store import CaseStore

FUZZY_MIN = 88  # rapidfuzz WRatio a misspelt organisation or place name must reach


def name_keys(entity: EntityRecord) -> set[str]:
    """The normalised keys under which an entity is found: its name and aliases parsed as a
    person's or an organisation's name, and e-mail addresses as written."""
    keys = set()
    for name in [entity["name"], *entity["aliases"]]:
        parsed = parse_person(name) if entity["type"] == "PERSON" else parse_other(name)
        if parsed.key:
            keys.add(parsed.key)
        if "@" in name:
            keys.add(name.lower())
    return keys


def index_names(store: CaseStore) -> int:
    """Rebuild the store's name index from the current entities; returns its size."""
    version = store.graph_version()
    rows = []
    for entity in store.list_entities():
        person = entity["type"] == "PERSON"
        for key in name_keys(entity):
            surname = key.split()[-1]
            rows.append((key, entity["id"], int(person), surname, phonetic(surname), entity["mentions"]))
    store.replace_name_keys(rows)
    store.set_state("name_index_version", version)
    return len(rows)


def index_names_of(store: CaseStore, entity_ids: list[str], removed: list[str] | None = None) -> int:
    """Rewrite the name index rows of these entities (and drop those of `removed`), after an
    incremental resolve or a correction; the index then belongs to the current graph version."""
    rows = []
    for entity_id in entity_ids:
        entity = store.entity_summary(entity_id)
        if entity is None:
            continue
        person = entity["type"] == "PERSON"
        for key in name_keys(entity):
            surname = key.split()[-1]
            rows.append((key, entity["id"], int(person), surname, phonetic(surname), entity["mentions"]))
    store.replace_name_keys_of([*entity_ids, *(removed or [])], rows)
    store.set_state("name_index_version", store.graph_version())
    return len(rows)


def _ensure_index(store: CaseStore) -> None:
    """Cases resolved before the name index existed get it on their first lookup."""
    if store.get_state("name_index_version") == store.graph_version():
        return
    try:
        index_names(store)
    except StoreError:  # a read-only case: lookups go on with exact names and ids only
        pass


def find_entity(store: CaseStore, query: str) -> EntityRecord:
    found = candidates(store, query, limit=1)
    if not found:
        raise NotFoundError(f"no entity matches {query!r} (try `casegraph entities` for the list)")
    return found[0]


def candidates(store: CaseStore, query: str, limit: int = 5) -> list[EntityRecord]:
    """The entities a person most likely means by `query`, best first."""
    query = query.strip()
    direct = store.entity_by_id_or_name(query)
    if direct is not None:
        return [direct]
    _ensure_index(store)
    person, other = parse_person(query), parse_other(query)
    exact = store.entity_ids_by_key([k for k in (person.key, other.key, query.lower()) if k])
    if exact:
        return _records(store, exact[:limit])
    # a surname, a name with other given names left out, a variant spelling
    ranked: dict[str, float] = {}
    if person.surname:
        for key, entity_id in store.person_keys_like(person.surname, phonetic(person.surname)):
            verdict = compare_persons(person, parse_person(key))
            if verdict.same:
                ranked[entity_id] = max(ranked.get(entity_id, 0.0), verdict.score)
    if not ranked:
        keys = store.all_name_keys()
        choices = [key for key, _ in keys]
        for _, score, pos in process.extract(
            other.key or query.lower(), choices, scorer=fuzz.WRatio, limit=limit * 3
        ):
            if score >= FUZZY_MIN:
                entity_id = keys[pos][1]
                ranked[entity_id] = max(ranked.get(entity_id, 0.0), score / 100.0)
    # equal scores: the order the index gave (most mentioned first)
    order = sorted(ranked, key=lambda entity_id: -ranked[entity_id])
    return _records(store, order[:limit])


def exact_entity(store: CaseStore, key: str, action: str) -> EntityRecord:
    """For commands that change entities (merge, split, rename, delete): the one entity whose
    id is `key`, else whose name is exactly `key` (case aside). Anything else is refused,
    listing the candidates, and nothing is changed."""
    key = key.strip()
    if not key:
        raise InvalidInput(f"{action}: the entity is empty; give its id (see `casegraph entities`)")
    by_id = store.entity_summary(key)
    if by_id is not None:
        return by_id
    entities = store.entity_names()
    matches = [e for e in entities if e["name"] == key] or [
        e for e in entities if e["name"].casefold() == key.casefold()
    ]
    if len(matches) == 1:
        return matches[0]
    found = matches or candidates(store, key, limit=8)
    listed = "; ".join(f"{e['id']} ({e['name']}, {e['type']}, {e['mentions']} mentions)" for e in found[:8])
    advice = f"Candidates: {listed}. Give the id." if listed else "See `casegraph entities`."
    if matches:  # several entities share the name: the id decides
        raise InvalidInput(
            f"{action}: {len(matches)} entities are named {key!r}; nothing was changed. {advice}"
        )
    raise NotFoundError(f"{action}: no entity has the id or name {key!r}; nothing was changed. {advice}")


def _records(store: CaseStore, entity_ids: list[str]) -> list[EntityRecord]:
    out = []
    for entity_id in entity_ids:
        record = store.entity_summary(entity_id)
        if record is not None:
            out.append(record)
    return out

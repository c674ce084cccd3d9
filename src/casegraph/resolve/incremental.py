"""Incremental resolution: new documents join the existing entities, and a correction
changes only the entities it touches, without re-clustering the case.

New documents: their mentions are grouped as in a full resolve (resolver.build_groups, which
is per document), then joined with the same rules in the same order (same name, same
address, compatible full names, lone surnames), but against the keys the last resolve stored
(`resolve_keys`, resolve/state.py) instead of every group of the case: an existing entity
takes part as one node carrying the keys found for it. The entities a new name joins are
updated (their mentions, type votes, name counts and so canonical name), new ones are
created, and the graph gains the edges whose evidence is in the new documents; only the
rows of the entities concerned change.

How the result can differ from a full resolve of the same case (tests/resolve/
test_incremental.py measures it on estate documents):
- decisions taken earlier stay: a lone surname joined to the only person carrying it stays
  there when a new document brings a second carrier (a full resolve would decide by the
  company the documents keep, or leave it apart), and a word counted as a surname stays one
  when new full names make it more often a given name;
- an earlier lone surname left apart joins a new full name only when the new name's surname
  is exactly that word (a full resolve also accepts spelling variants of 7 letters or more);
- an entity keeps its id when new names change its canonical name (a full resolve derives the
  id from the name), and a new entity whose plain id is taken gets the anchored variant;
- two entities a person corrected are never joined by a new document;
- edges: counts, strength and documents are those of a full build (a merge, split or
  delete also weighs again the other pairs of the sentences naming the entities it
  touches); the predicate shown and the (capped) evidence sample of an edge that already
  existed may differ.
Corrections are durable: a new name of a merged entity joins the merged entity, one of a
split-off part joins the part, one of a deleted entity stays unlinked, a renamed entity keeps
its name.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from casegraph.models import ResolveKey
from casegraph.resolve.blocking import MAX_BLOCK, other_keys, person_keys
from casegraph.resolve.corrections import Applier, split_id
from casegraph.resolve.matching import Judgement, compare_others, compare_persons, tokens_equal
from casegraph.resolve.names import ParsedName, parse_name
from casegraph.resolve.resolver import (
    MAX_REASONS,
    Clusters,
    Group,
    build_groups,
    canonical_name,
    is_lone_name,
    make_entities,
    name_key,
    rep_tables,
    stable_id,
    vote_type,
)
from casegraph.resolve.state import (
    STATE,
    VERSION,
    owner_of_group,
    parsed_from,
    parsed_person,
    person_blocks,
    state_rows,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from casegraph.models import CorrectionRecord
    from casegraph.store.interface import CaseStore


def not_ready(store: CaseStore) -> str | None:
    """Why the case's entities cannot take new documents incrementally (a full resolve is
    needed), or None when they can."""
    state = store.get_state(STATE)
    if not isinstance(state, dict) or state.get("version") != VERSION:
        return "no resolve of this version has stored its keys"
    if store.reanalyzed_documents(int(state.get("mention_watermark", 0))):
        return "documents resolved before were analyzed again"
    if store.reparsed_party_documents(int(state.get("party_watermark", 0))):
        return "e-mail parties of documents resolved before were read again"
    return None


def _mark(store: CaseStore, **extra: Any) -> None:
    """What the entities account for now: mentions and e-mail parties up to these ids."""
    state = store.get_state(STATE) or {}
    store.set_state(
        STATE,
        {
            **state,
            "version": VERSION,
            "mention_watermark": store.max_mention_id(),
            "party_watermark": store.max_party_id(),
            **extra,
        },
    )


# -- joining new groups to stored entities ---------------------------------------------------


class _Joiner(Clusters):
    """The union-find of a full resolve over the new documents' groups, where an existing
    entity takes part as one more node (a proxy group) carrying its stored full names."""

    def __init__(self, store: CaseStore, groups: list[Group]):
        super().__init__(groups)
        self.store = store
        self.proxy_of: dict[str, int] = {}  # entity id → proxy gid
        self.entity_at: dict[int, str] = {}  # proxy gid → entity id
        self.live: set[str] = set()
        self.protected: set[str] = set()  # corrected by a person, or deleted
        self._next = max((g.gid for g in groups), default=-1) + 1

    def proxy(self, entity_id: str) -> int:
        gid = self.proxy_of.get(entity_id)
        if gid is not None:
            return gid
        gid = self.proxy_of[entity_id] = self._next
        self._next += 1
        self.entity_at[gid] = entity_id
        group = Group(gid=gid, doc_id="")
        self.by_gid[gid] = group
        self.uf.find(gid)
        self.full[gid] = {
            r.key: parsed_from(r.key, "", r.data)
            for r in self.store.resolve_keys_of([entity_id])
            if r.kind == "full"
        }
        record = self.store.get_entity(entity_id)
        if record is None:
            self.protected.add(entity_id)  # deleted by a person: its names stay unlinked
        else:
            self.live.add(entity_id)
            if record.get("meta", {}).get("corrections"):
                self.protected.add(entity_id)
        return gid

    def entities_in(self, root: int) -> set[str]:
        return {e for gid, e in self.entity_at.items() if self.root(gid) == root}

    def union(
        self, a: int, b: int, rule: str, score: float, names: tuple[str, str], force: bool = False
    ) -> bool:
        ea, eb = self.entities_in(self.root(a)), self.entities_in(self.root(b))
        if ea and eb and ea != eb and (ea | eb) & self.protected:
            return False  # never join what a person corrected (or deleted) to another entity
        return super().union(a, b, rule, score, names, force)


def _entity_label(store: CaseStore, entity_id: str) -> str:
    record = store.get_entity(entity_id)
    return record["name"] if record else entity_id


def _join(store: CaseStore, joiner: _Joiner, groups: list[Group]) -> dict[str, tuple[int, ParsedName]]:
    """Steps a-d of resolver.join_groups for new groups against the stored keys. Returns the
    new documents' full names that anchor variants and lone surnames and were not stored."""
    singles = [g for g in groups if is_lone_name(g)]
    by_key: dict[tuple[str, str], list[Group]] = defaultdict(list)
    for g in groups:
        if not is_lone_name(g) and (found := name_key(g)) is not None:
            by_key[found].append(g)

    # a. the same name
    for members in by_key.values():
        for other in members[1:]:
            joiner.union(
                members[0].gid, other.gid, "same name", 1.0, (members[0].rep().plain, other.rep().plain)
            )
    stored_names = store.resolve_keys("name", [f"{f}|{k}" for f, k in by_key])
    for row in stored_names:
        family, _, key = row.key.partition("|")
        first = by_key[(family, key)][0]
        joiner.union(joiner.proxy(row.entity_id), first.gid, "same name", 1.0, (first.rep().plain,) * 2)

    # b. the same e-mail address
    by_address: dict[str, list[Group]] = defaultdict(list)
    for g in groups:
        for address in g.addresses:
            by_address[address].append(g)
    for address, members in by_address.items():
        for other in members[1:]:
            joiner.union(
                members[0].gid, other.gid, f"same e-mail address {address}", 1.0, (address, address), True
            )
    for row in store.resolve_keys("address", list(by_address)):
        first = by_address[row.key][0]
        joiner.union(
            joiner.proxy(row.entity_id),
            first.gid,
            f"same e-mail address {row.key}",
            1.0,
            (row.key,) * 2,
            True,
        )

    # c. compatible full names, new ones against each other and against the stored ones
    # A name the case had already is compared as it was then: in a full resolve the first
    # group of a name (an old one) decides whether the name is compared at all.
    reps, others = rep_tables(by_key)
    known = {row.key.partition("|")[2] for row in stored_names}
    new_reps = {k: v for k, v in reps.items() if k not in known}
    new_others = {k: v for k, v in others.items() if k not in known}
    _join_fuzzy(store, joiner, new_reps, person_blocks, "pblock", "person", compare_persons)
    _join_fuzzy(store, joiner, new_others, other_keys, "oblock", "other", compare_others)

    # d. lone surnames
    _join_singles(store, joiner, groups, singles, new_reps)
    _join_old_leftovers(store, joiner, new_reps)
    return {**new_reps, **new_others}


def _join_fuzzy(
    store: CaseStore,
    joiner: _Joiner,
    items: dict[str, tuple[int, ParsedName]],
    blocks_of: Callable[[ParsedName], set[str]],
    block_kind: str,
    name_kind: str,
    compare: Callable[[ParsedName, ParsedName], Judgement],
) -> None:
    if not items:
        return
    blocks: dict[str, list[str]] = defaultdict(list)  # block → new keys
    for key, (_, parsed) in items.items():
        for b in blocks_of(parsed):
            blocks[b].append(key)
    sizes = store.resolve_key_counts(block_kind, list(blocks))
    usable = {b for b, keys in blocks.items() if 2 <= sizes.get(b, 0) + len(keys) <= MAX_BLOCK}
    pairs: set[tuple[str, str]] = set()  # (new key, stored or new key)
    for b in usable:
        keys = sorted(set(blocks[b]))
        pairs |= {(x, y) for i, x in enumerate(keys) for y in keys[i + 1 :]}
    stored_keys: dict[str, str] = {}  # stored key → its entity
    for row in store.resolve_keys(block_kind, sorted(usable)):
        for key in blocks[row.key]:
            pairs.add((key, row.data))
            stored_keys[row.data] = row.entity_id
    stored: dict[str, tuple[str, ParsedName]] = {
        r.key: (r.entity_id, parsed_person(r)) for r in store.resolve_keys(name_kind, sorted(stored_keys))
    }
    judged = []
    for x, y in sorted(pairs):
        ga, pa = items[x]
        if y in items:
            gb, pb = items[y]
        elif y in stored:
            gb, pb = joiner.proxy(stored[y][0]), stored[y][1]
        else:
            continue
        if joiner.root(ga) == joiner.root(gb):
            continue
        verdict = compare(pb, pa)
        if verdict.same:
            judged.append((verdict.score, gb, ga, verdict.reason, pb.plain, pa.plain))
    for score, gb, ga, reason, nb, na in sorted(judged, key=lambda t: (-t[0], t[4], t[5])):
        joiner.union(gb, ga, reason, score, (nb, na))


class _Counts:
    """How often a word is a given name and a surname among the anchoring full names of the
    case (stored and new): resolver._join_singles' as_given / as_surname."""

    def __init__(self, store: CaseStore, new_reps: dict[str, tuple[int, ParsedName]]):
        self.store = store
        self.new_given = Counter(p.given[0] for _, p in new_reps.values() if p.given and len(p.given[0]) > 1)
        self.new_surname = Counter(p.surname for _, p in new_reps.values())
        self.cache: dict[str, tuple[int, int]] = {}

    def __call__(self, token: str) -> tuple[int, int]:
        if token not in self.cache:
            self.cache[token] = (
                self.store.count_resolve_keys("person", "given", token) + self.new_given[token],
                self.store.count_resolve_keys("person", "surname", token) + self.new_surname[token],
            )
        return self.cache[token]

    def given_name(self, token: str) -> bool:
        given, surname = self(token)
        return given > surname


def _join_singles(
    store: CaseStore,
    joiner: _Joiner,
    groups: list[Group],
    singles: list[Group],
    new_reps: dict[str, tuple[int, ParsedName]],
) -> None:
    counts = _Counts(store, new_reps)
    new_by_surname: dict[str, set[int]] = defaultdict(set)
    new_surname_keys: dict[str, set[str]] = defaultdict(set)
    for gid, parsed in new_reps.values():
        new_by_surname[parsed.surname].add(gid)
        for key in person_keys(parsed):
            new_surname_keys[key].add(parsed.surname)

    def candidates(g: Group) -> set[int]:
        token = g.rep().key
        shouted = all(n.isupper() for n in g.names)
        keys = person_keys(g.rep())
        written = {r.surname for r in store.resolve_keys("sblock", sorted(keys))}
        written |= {s for k in keys for s in new_surname_keys.get(k, ())}
        surnames = {
            s
            for s in written
            if s == token or (not shouted and min(len(s), len(token)) >= 7 and tokens_equal(s, token)[0])
        }
        found = {joiner.root(gid) for s in surnames for gid in new_by_surname.get(s, ())}
        for row in store.resolve_keys_by_surname("person", sorted(surnames)):
            found.add(joiner.root(joiner.proxy(row.entity_id)))
        return found

    def eligible(g: Group) -> bool:
        if counts.given_name(g.rep().key):
            return False
        return g.labels.get("PERSON", 0) + g.labels.get("ORG", 0) > 0

    ambiguous: list[tuple[Group, set[int]]] = []
    leftovers: dict[str, list[Group]] = defaultdict(list)
    for g in singles:
        found = candidates(g) if eligible(g) else set()
        if len(found) == 1:
            chosen = next(iter(found))
            joiner.union(chosen, g.gid, "surname of the only person carrying it", 0.7, (g.rep().plain,) * 2)
        elif found:
            ambiguous.append((g, found))
        else:
            leftovers[g.rep().key].append(g)

    decisions = []
    for g, found in ambiguous:
        found = {joiner.root(r) for r in found}
        context = {joiner.root(o.gid) for o in groups if o.doc_id == g.doc_id} - {joiner.root(g.gid)} - found
        scored = sorted(((_company(store, joiner, groups, c, context), c) for c in found), reverse=True)
        if len(scored) == 1 or (scored[0][0] >= 1 and scored[0][0] > scored[1][0]):
            decisions.append((g, scored[0][1]))
        else:
            leftovers[g.rep().key].append(g)
    for g, chosen in decisions:
        joiner.union(
            chosen, g.gid, "surname; the document shares this person's company", 0.6, (g.rep().plain,) * 2
        )

    for token, members in leftovers.items():
        if counts.given_name(token):
            continue  # a lone given name is no identity across documents
        joiner.leftover.update(g.gid for g in members)
        for other in members[1:]:
            joiner.union(members[0].gid, other.gid, "same name", 1.0, (token, token))
        for entity_id in dict.fromkeys(r.entity_id for r in store.resolve_keys("leftover", [token])):
            joiner.union(joiner.proxy(entity_id), members[0].gid, "same name", 1.0, (token, token))


def _company(
    store: CaseStore, joiner: _Joiner, groups: list[Group], candidate: int, context: set[int]
) -> int:
    """How many of the context's clusters keep company with the candidate: share a new
    document with it, or a stored one."""
    new_docs: dict[int, set[str]] = defaultdict(set)
    for g in groups:
        new_docs[joiner.root(g.gid)].add(g.doc_id)
    mine = joiner.entities_in(candidate)
    others = {r: joiner.entities_in(r) for r in context}
    stored: set[str] = set()
    for entity_id in mine:
        stored |= store.entities_sharing_documents(
            entity_id, sorted({e for es in others.values() for e in es})
        )
    return sum(1 for r in context if new_docs[candidate] & new_docs[r] or others[r] & stored)


def _join_old_leftovers(
    store: CaseStore, joiner: _Joiner, new_reps: dict[str, tuple[int, ParsedName]]
) -> None:
    """A lone surname left apart earlier (no one carried it) joins a new full name that is
    now its only carrier."""
    counts = _Counts(store, new_reps)
    by_surname: dict[str, list[int]] = defaultdict(list)
    for gid, parsed in new_reps.values():
        by_surname[parsed.surname].append(gid)
    for row in store.resolve_keys("leftover", sorted(by_surname)):
        carriers = by_surname[row.key]
        if len(carriers) != 1 or counts(row.key)[1] != 1 or counts.given_name(row.key):
            continue
        gid = joiner.proxy(row.entity_id)
        joiner.union(carriers[0], gid, "surname of the only person carrying it", 0.7, (row.key, row.key))


# -- new documents ---------------------------------------------------------------------------


def resolve_documents(store: CaseStore, doc_ids: list[str] | None = None) -> dict[str, Any]:
    """Resolve the mentions and e-mail parties of documents no resolve has seen (or
    `doc_ids`) against the stored entities; update those entities, the name index and the
    graph. The caller checks `not_ready` first."""
    from casegraph.graph.build import (
        MAX_EVIDENCE,
        cooccurrence_apart,
        cooccurrence_changes,
        edges_for_documents,
        edges_of_entities,
        touched_offsets,
    )
    from casegraph.graph.lookup import index_names_of

    started = time.perf_counter()
    analyzed = sorted(set(doc_ids if doc_ids is not None else store.unresolved_documents()))
    # e-mail parties are resolved (and their `communicated` edges built) with every document
    # of the case, analyzed or not: those up to the watermark are in the graph already, those
    # above it are resolved now whether their document was analyzed or not
    party_watermark = int((store.get_state(STATE) or {}).get("party_watermark", 0))
    docs = sorted(set(analyzed) | set(store.documents_with_parties_after(party_watermark)))
    if not docs:
        return _summary(store, started, documents=0, mentions=0, email_parties=0)
    mentions = store.name_mentions_of(docs)
    parties = [p for d in docs for p in store.email_parties(d)]
    groups = build_groups(mentions, parties, text_of=store.document_text)
    joiner = _Joiner(store, groups)
    new_reps = _join(store, joiner, groups)

    members: dict[int, list[Group]] = defaultdict(list)
    for g in groups:
        members[joiner.root(g.gid)].append(g)
    saved: list[dict[str, Any]] = []
    merged_away: list[str] = []
    rebuilt: set[str] = set()
    entity_of_group: dict[int, str | None] = {}
    fresh_groups: list[Group] = []
    for root, gs in members.items():
        ents = joiner.entities_in(root)
        live = sorted(ents & joiner.live)
        if not ents:
            fresh_groups += gs
            continue
        if not live:  # a deleted entity's names stay unlinked
            for g in gs:
                entity_of_group[g.gid] = None
            continue
        target, absorbed = _absorb(store, joiner, root, live, gs)
        saved.append(target)
        merged_away += absorbed
        if absorbed:
            rebuilt.add(target["id"])
        for g in gs:
            entity_of_group[g.gid] = target["id"]
    # entities made of new groups alone, with ids free in the case
    fresh = make_entities(fresh_groups, joiner) if fresh_groups else []
    taken = store.existing_entity_ids([e["id"] for e in fresh]) | {
        r.entity_id for r in store.resolve_keys_of([e["id"] for e in fresh])
    }
    used: set[str] = set()
    for e in fresh:
        if e["id"] in taken or e["id"] in used:
            e["id"] = stable_id(e["type"], e["meta"]["key"], e["anchors"], {e["id"]})
        used.add(e["id"])
        e["meta"]["anchors"] = [list(a) for a in e["anchors"][:20]]
        saved.append(e)
    first_mention = {m: e["id"] for e in fresh for m in e["mention_ids"]}
    first_party = {p: e["id"] for e in fresh for p in e["party_ids"]}
    for g in fresh_groups:
        entity_of_group[g.gid] = next(
            (first_mention[m] for m in g.mentions if m in first_mention),
            next((first_party[p] for p in g.parties if p in first_party), None),
        )

    # links; names of a split-off part go to the part
    mention_links: list[tuple[str | None, int]] = []
    party_links: list[tuple[str | None, int]] = []
    split_parts = _split_parts(store, saved)
    text_of_mention = {m["id"]: m for m in mentions}
    for g in groups:
        entity_id = entity_of_group.get(g.gid)
        for mid in g.mentions:
            target_id = entity_id
            if entity_id in split_parts:
                key = parse_name(text_of_mention[mid]["text"], split_parts[entity_id][0]).key
                target_id = split_parts[entity_id][1].get(key, entity_id)
            mention_links.append((target_id, mid))
        party_links += [(entity_id, p) for p in g.parties]

    def owner(g: Group) -> str:
        found = entity_of_group.get(g.gid)
        if found is not None:
            return found
        return next(iter(joiner.entities_in(joiner.root(g.gid))), "")

    rows = [r for r in state_rows(groups, owner, joiner.leftover) if r.entity_id]
    rows = _without_known_rows(store, rows, new_reps)

    changed = sorted({e["id"] for e in saved})
    merged = sorted(rebuilt | set(merged_away))
    merged_docs = store.documents_naming(merged) if merged_away else []
    offsets = touched_offsets(store, merged_docs, merged) if merged_away else {}
    apart = cooccurrence_apart(store, merged_docs, merged, offsets) if merged_away else {}
    with store.transaction():
        if merged_away:
            into = {old: e["id"] for e in saved for old in e["meta"].get("merged_from", [])}
            store.link_mentions(
                [(into[m["entity_id"]], m["id"]) for m in store.entity_mention_rows(merged_away)],
                [(into[old], p) for old, ps in store.entity_party_ids(merged_away).items() for p in ps],
            )
            for old in merged_away:
                store.retarget_resolve_keys([old], into[old])
            store.delete_entities(merged_away)
        store.save_entities(saved)
        store.link_mentions(mention_links, party_links)
        store.add_resolve_keys(rows, analyzed)  # the documents whose mentions are resolved
        if rebuilt:
            store.replace_edges_of(merged, edges_of_entities(store, sorted(rebuilt)))
            after = cooccurrence_apart(store, merged_docs, merged, offsets)
            changes = cooccurrence_changes(apart, after)
            store.adjust_edges(changes, MAX_EVIDENCE)
        new_edges = edges_for_documents(store, docs, exclude=rebuilt, parties_after=party_watermark)
        store.add_edges(new_edges, MAX_EVIDENCE)
        name_keys = index_names_of(store, changed, removed=merged_away)
        _mark(store)
    return _summary(
        store,
        started,
        documents=len(analyzed),
        documents_with_new_parties=len(docs) - len(analyzed),
        mentions=len(mentions),
        email_parties=len(parties),
        entities_changed=len(changed),
        entities_new=len(fresh),
        entities_merged=len(merged_away),
        name_keys=name_keys,
    )


def _summary(store: CaseStore, started: float, **figures: int) -> dict[str, Any]:
    """What `analyze --json` says of resolution: the keys of a full resolve's summary
    (mentions and parties of this run; entities and edges of the case), and how it ran."""
    entities, edges = store.entity_and_edge_counts()
    return {
        "mode": "incremental",
        **figures,
        "entities": entities,
        "edges": edges,
        "corrections_applied": 0,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _without_known_rows(
    store: CaseStore, rows: list[ResolveKey], new_reps: dict[str, tuple[int, ParsedName]]
) -> list[ResolveKey]:
    """Rows not stored yet (the same entity and name stored once); reps only for new names."""
    out = []
    by_kind: dict[str, set[tuple[str, str]]] = {}
    for kind in ("name", "single", "leftover", "address", "full"):
        keys = [r.key for r in rows if r.kind == kind]
        by_kind[kind] = {(r.entity_id, r.key) for r in store.resolve_keys(kind, keys)} if keys else set()
    for r in rows:
        if r.kind in ("person", "pblock", "sblock", "other", "oblock"):
            rep_key = r.key if r.kind in ("person", "other") else r.data
            if rep_key not in new_reps:
                continue
        elif (r.entity_id, r.key) in by_kind[r.kind]:
            continue
        out.append(r)
    return out


def _absorb(
    store: CaseStore, joiner: _Joiner, root: int, live: list[str], gs: list[Group]
) -> tuple[dict[str, Any], list[str]]:
    """The stored entity (the most mentioned of `live`, the others merged into it) with the
    new groups' names, votes and mentions added."""
    records = [r for e in live if (r := store.get_entity(e)) is not None]
    sizes = {e: (store.entity_summary(e) or {"mentions": 0})["mentions"] for e in live}
    records.sort(key=lambda r: (-sizes[r["id"]], r["id"]))
    target: dict[str, Any] = dict(records[0])
    target.pop("mentions", None)
    target.pop("documents", None)
    meta: dict[str, Any] = dict(target.get("meta", {}))
    labels: Counter[str] = Counter(meta.get("labels", {}))
    names: Counter[str] = Counter(meta.get("names", {}))
    keys: Counter[str] = Counter(meta.get("key_counts", {}))
    emails: set[str] = set(meta.get("emails", []))
    reasons: list[dict[str, Any]] = list(meta.get("reasons", []))
    anchors = [tuple(a) for a in meta.get("anchors", [])]
    aliases: list[str] = list(target["aliases"])
    absorbed = [r["id"] for r in records[1:]]
    for other in records[1:]:
        m = other.get("meta", {})
        labels.update(m.get("labels", {}))
        names.update(m.get("names", {}))
        keys.update(m.get("key_counts", {}))
        emails |= set(m.get("emails", []))
        anchors += [tuple(a) for a in m.get("anchors", [])]
        aliases += [a for a in [other["name"], *other["aliases"]] if a not in aliases and a != target["name"]]
    reasons += joiner.reasons.get(root, [])
    for g in gs:
        labels.update(g.labels)
        names.update(g.names)
        for key in g.parsed:
            keys[key] += max(1, len(g.mentions))
        emails |= g.addresses
        anchors += g.anchors
        reasons += g.reasons
    meta.update(
        labels=dict(labels.most_common()),
        names=dict(names),
        key_counts=dict(keys),
        emails=sorted(emails),
        reasons=reasons[:MAX_REASONS],
        anchors=[list(a) for a in sorted(set(anchors))[:20]],
    )
    if absorbed:
        meta["merged_from"] = [*meta.get("merged_from", []), *absorbed]
    corrected = bool(meta.get("corrections"))
    if corrected:  # a person's name, type and aliases stand; new names are added
        new_names = [n for n, _ in names.most_common() if n not in aliases and n != target["name"]]
        target["aliases"] = (aliases + new_names)[:50] + [a for a in sorted(emails) if a not in aliases]
    else:
        type_ = vote_type(labels)
        parsed = {k: parsed_from(k) for k in keys}
        name, key = canonical_name(type_, keys, parsed, names, emails)
        target.update(name=name, type=type_)
        target["aliases"] = [n for n, _ in names.most_common() if n != name][:50] + sorted(emails)
        meta["key"] = key
    target["meta"] = meta
    return target, absorbed


def _split_parts(store: CaseStore, saved: list[dict[str, Any]]) -> dict[str, tuple[str, dict[str, str]]]:
    """For entities a person split: (type, name key → id of the split-off part that exists)."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for e in saved:
        parts = [c["split_off"] for c in e["meta"].get("corrections", []) if c.get("split_off")]
        if not parts:
            continue
        ids = {parse_name(p, e["type"]).key: split_id(e["id"], parse_name(p, e["type"]).key) for p in parts}
        exists = store.existing_entity_ids(list(ids.values()))
        found = {k: v for k, v in ids.items() if v in exists}
        if found:
            out[e["id"]] = (e["type"], found)
    return out


# -- corrections -----------------------------------------------------------------------------


def _full_entity(store: CaseStore, entity_id: str) -> dict[str, Any] | None:
    record = store.get_entity(entity_id)
    if record is None:
        return None
    entity: dict[str, Any] = dict(record)
    entity["meta"] = dict(entity.get("meta", {}))
    entity["anchors"] = [tuple(a) for a in entity["meta"].get("anchors", [])]
    return entity


def _locate(store: CaseStore, ref: dict[str, Any]) -> str | None:
    """A correction's entity in the store: by id, else by the entity most of its anchors
    (mention spans) belong to."""
    if ref.get("id") and store.existing_entity_ids([ref["id"]]):
        return str(ref["id"])
    owners: Counter[str] = Counter()
    for doc_id, start, end in [tuple(a) for a in ref.get("anchors", [])]:
        for m in store.mentions_in_span(doc_id, start, end):
            owner = m.get("entity_id")
            if m.get("start") == start and m.get("end") == end and owner:
                owners[owner] += 1
    return owners.most_common(1)[0][0] if owners else None


def apply_correction(store: CaseStore, correction: CorrectionRecord) -> dict[str, Any] | None:
    """Apply one stored correction to the entities it names, and to their links, keys, name
    index and edges; None when it names no entity the store holds (nothing changed)."""
    from casegraph.graph.build import (
        MAX_EVIDENCE,
        cooccurrence_apart,
        cooccurrence_changes,
        edges_of_entities,
        touched_offsets,
    )
    from casegraph.graph.lookup import index_names_of

    started = time.perf_counter()
    payload = correction["payload"]
    refs = payload["entities"] if correction["action"] == "merge" else [payload["entity"]]
    ids = [found for ref in refs if (found := _locate(store, ref)) is not None]
    before = [full for i in dict.fromkeys(ids) if (full := _full_entity(store, i)) is not None]
    if not before:
        return None
    touched = [e["id"] for e in before]
    rows = store.entity_mention_rows(touched)
    by_mention = {m["id"]: m for m in rows}
    parties = store.entity_party_ids(touched)
    for e in before:
        e["mention_ids"] = [m["id"] for m in rows if m["entity_id"] == e["id"]]
        e["party_ids"] = parties.get(e["id"], [])
    keys_before = store.resolve_keys_of(touched)
    applier = Applier(before, by_mention)
    if not applier.apply(correction):
        return None
    after = applier.entities
    after_ids = {e["id"] for e in after}
    removed = [i for i in touched if i not in after_ids]
    for e in after:
        e["meta"]["anchors"] = [list(a) for a in e["anchors"][:20]]
    everyone = sorted(set(touched) | after_ids)
    reweigh = correction["action"] != "rename"  # a rename changes no edge
    docs = store.documents_naming(touched) if reweigh else []
    offsets = touched_offsets(store, docs, everyone) if reweigh else {}
    apart = cooccurrence_apart(store, docs, everyone, offsets) if reweigh else {}
    with store.transaction():
        store.save_entities(after)
        if correction["action"] in ("merge", "split"):
            store.link_mentions(
                [(e["id"], m) for e in after for m in e["mention_ids"]],
                [(e["id"], p) for e in after for p in e["party_ids"]],
            )
        store.delete_entities(removed)  # merged away (their mentions moved above) or deleted
        _move_keys(store, correction["action"], keys_before, before, after)
        if reweigh:
            store.replace_edges_of(everyone, edges_of_entities(store, sorted(after_ids)))
            # the other pairs of the sentences naming them: weights by the entities named
            changes = cooccurrence_changes(apart, cooccurrence_apart(store, docs, everyone, offsets))
            store.adjust_edges(changes, MAX_EVIDENCE)
        index_names_of(store, sorted(after_ids), removed=removed)
    return {
        "mode": "incremental",
        "entities_touched": everyone,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _move_keys(
    store: CaseStore,
    action: str,
    keys_before: list[ResolveKey],
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
) -> None:
    """The stored keys follow the names: a merged entity's go to the target, a split-off
    name's to the part; a deleted entity keeps them (its names stay unlinked)."""
    after_ids = {e["id"] for e in after}
    if action == "merge":
        store.retarget_resolve_keys([e["id"] for e in before if e["id"] not in after_ids], after[0]["id"])
    elif action == "split":
        original = before[0]
        parts = {
            e["id"]: parse_name(e["name"], original["type"]).key for e in after if e["id"] != original["id"]
        }
        by_key = {k: i for i, k in parts.items()}

        def name_of(row: ResolveKey) -> str:
            if row.kind == "name":
                return row.key.partition("|")[2]
            if row.kind in ("pblock", "sblock", "oblock"):
                return row.data
            return row.key

        moved = [r._replace(entity_id=by_key[name_of(r)]) if name_of(r) in by_key else r for r in keys_before]
        if moved != keys_before:
            store.replace_resolve_keys_of([original["id"]], moved)


# -- what a full resolve stores --------------------------------------------------------------


def full_state(
    store: CaseStore,
    groups: list[Group],
    clusters: Clusters,
    machine: tuple[dict[int, str], dict[int, str]],
    mention_owner: dict[int, str],
    party_owner: dict[int, str],
) -> int:
    """Store the keys of a full resolve (every group's, under the entity it ended in after
    the corrections). `machine`: the machine entity of each mention and e-mail party, which
    keeps the names of an entity a person deleted."""

    def entity_of(g: Group) -> str:
        if g.mentions:
            fallback = machine[0].get(g.mentions[0], "")
        else:
            fallback = machine[1].get(g.parties[0], "") if g.parties else ""
        return owner_of_group(g, mention_owner, party_owner, fallback)

    rows = [r for r in state_rows(groups, entity_of, clusters.leftover) if r.entity_id]
    store.replace_resolve_keys(rows)
    return len(rows)


def invalidate(store: CaseStore) -> None:
    """A full resolve begins: until it has finished (entities, keys, graph and name index),
    nothing is resolved incrementally against what it leaves (a resolve killed midway)."""
    store.set_state(STATE, {})


def mark_full(store: CaseStore) -> None:
    """A full resolve has finished: new documents may be resolved against it."""
    _mark(store, full=True)


__all__ = ["apply_correction", "full_state", "invalidate", "mark_full", "not_ready", "resolve_documents"]

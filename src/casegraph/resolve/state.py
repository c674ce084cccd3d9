"""What a resolve leaves behind for the next, incremental one: the keys (store table
`resolve_keys`) under which new documents' names find the entities they join.

One row says "entity E carries ...":
- `name`     a group's name as step a (same name) joins it: "FAMILY|key";
- `single`   a lone person's name (a surname or given name) that joined a person;
- `leftover` a lone name no person carried, which joins the same word elsewhere (step d);
- `address`  an e-mail address;
- `person`   a full person's name that anchors variant spellings and lone surnames (step c's
             `reps`), with its surname and first given name (data: plain form|suffixes);
- `pblock` / `sblock`  that name's blocking keys, with and without the given initial
             (data: the name's key; sblock's surname: the name's surname);
- `other` / `oblock`   an organisation's or place's name step c compares, and its blocking keys;
- `full`     a full person's name of the entity, for the refusal of two given names for one
             surname (Clusters.compatible; given: the given names; data: suffixes).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from casegraph.models import ResolveKey
from casegraph.resolve.blocking import other_keys, person_keys
from casegraph.resolve.names import ParsedName
from casegraph.resolve.resolver import Group, is_lone_name, name_key, rep_tables

# Bump when resolution's rules change: stored keys of an older version are not used (the next
# `analyze` resolves in full).
VERSION = 1
STATE = "resolve_state"  # graph_state key: {"version", "mention_watermark", ...}


def parsed_from(key: str, plain: str = "", suffixes: str = "") -> ParsedName:
    """A stored name back as a ParsedName (tokens are the key's words)."""
    return ParsedName(
        display=plain or key, tokens=tuple(key.split()), suffixes=tuple(suffixes.split()), plain=plain
    )


def person_data(parsed: ParsedName) -> str:
    return f"{parsed.plain}|{' '.join(parsed.suffixes)}"


def parsed_person(row: ResolveKey) -> ParsedName:
    plain, _, suffixes = row.data.partition("|")
    return parsed_from(row.key, plain, suffixes)


def person_blocks(parsed: ParsedName) -> set[str]:
    """Blocking keys of a full name for step c (join_groups: given_initial=True)."""
    keys = person_keys(parsed)
    if parsed.given:
        keys = {f"{k}|{parsed.given[0][0]}" for k in keys}
    return keys


def rep_rows(entity_id: str, parsed: ParsedName) -> list[ResolveKey]:
    """A full person's name that anchors variant spellings and lone surnames."""
    given = parsed.given[0] if parsed.given and len(parsed.given[0]) > 1 else ""
    rows = [ResolveKey(entity_id, "person", parsed.key, parsed.surname, given, person_data(parsed))]
    rows += [ResolveKey(entity_id, "pblock", b, "", "", parsed.key) for b in sorted(person_blocks(parsed))]
    rows += [
        ResolveKey(entity_id, "sblock", b, parsed.surname, "", parsed.key)
        for b in sorted(person_keys(parsed))
    ]
    return rows


def other_rows(entity_id: str, parsed: ParsedName) -> list[ResolveKey]:
    rows = [ResolveKey(entity_id, "other", parsed.key, "", "", person_data(parsed))]
    rows += [ResolveKey(entity_id, "oblock", b, "", "", parsed.key) for b in sorted(other_keys(parsed))]
    return rows


def group_rows(entity_id: str, g: Group, leftover: bool) -> list[ResolveKey]:
    """The rows of one group's names, addresses and full names."""
    rows: list[ResolveKey] = []
    found = name_key(g)
    if found is not None:
        rows.append(ResolveKey(entity_id, "name", f"{found[0]}|{found[1]}"))
    elif is_lone_name(g):
        rows.append(ResolveKey(entity_id, "leftover" if leftover else "single", g.rep().key))
    rows += [ResolveKey(entity_id, "address", a) for a in sorted(g.addresses)]
    if g.is_person:
        for key, p in g.parsed.items():
            if p.is_full:
                rows.append(
                    ResolveKey(entity_id, "full", key, p.surname, " ".join(p.given), " ".join(p.suffixes))
                )
    return rows


def owner_of_group(
    g: Group, mention_owner: dict[int, str], party_owner: dict[int, str], fallback: str
) -> str:
    """The entity most of a group's mentions (else e-mail parties) ended in after the
    corrections; `fallback` (the machine entity, deleted by a person) when none did."""
    votes = Counter(mention_owner[m] for m in g.mentions if m in mention_owner)
    if not votes:
        votes = Counter(party_owner[p] for p in g.parties if p in party_owner)
    return votes.most_common(1)[0][0] if votes else fallback


def state_rows(
    groups: Iterable[Group], entity_of: Callable[[Group], str], leftover: set[int]
) -> list[ResolveKey]:
    """Every key of these groups, each (entity, kind, key) once. `leftover`: the groups of
    lone names no person carried, which join each other by their word (step d)."""
    rows: list[ResolveKey] = []
    seen: set[tuple[str, str, str]] = set()

    def add(batch: Iterable[ResolveKey]) -> None:
        for row in batch:
            if (row.entity_id, row.kind, row.key) not in seen:
                seen.add((row.entity_id, row.kind, row.key))
                rows.append(row)

    by_key: dict[tuple[str, str], list[Group]] = defaultdict(list)
    owner: dict[int, str] = {}
    for g in groups:
        owner[g.gid] = entity_of(g)
        add(group_rows(owner[g.gid], g, g.gid in leftover))
        if (found := name_key(g)) is not None:
            by_key[found].append(g)
    reps, others = rep_tables(by_key)
    for gid, parsed in reps.values():
        add(rep_rows(owner[gid], parsed))
    for gid, parsed in others.values():
        add(other_rows(owner[gid], parsed))
    return rows

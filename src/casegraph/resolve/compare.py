"""Comparing two resolutions of the same case (incremental against full): which mentions
ended in a different entity, and which edges differ. Used by the incremental resolution
test and `benchmarks/resolve_bench.py`.

Entities are matched by their mentions (ids differ legitimately: see resolve/incremental.py):
each entity of `a` stands for the entity of `b` holding most of its mentions (else of its
e-mail parties). A mention is *displaced* when its entity in `b` is not the one its entity of
`a` stands for, or when it is linked in one resolution only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from casegraph.resolve.names import parse_name

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore


@dataclass
class Resolution:
    """What a resolution decided: mention → entity, party → entity, the edges by entity."""

    mentions: dict[int, str]
    parties: dict[int, str]
    edges: dict[tuple[str, str, str, str], tuple[int, int, float]]  # (a, b, kind, evidence) → counts
    words: dict[int, int] = field(default_factory=dict)  # mention → words of its name


@dataclass
class Difference:
    linked: int  # mentions linked to an entity in either resolution
    displaced: list[int] = field(default_factory=list)
    displaced_multiword: list[int] = field(default_factory=list)  # displaced, not a lone name
    edges: int = 0  # edges of `b`
    edges_differing: int = 0  # missing on one side, or other counts / documents / strength
    edges_differing_apart: int = 0  # of those, edges between entities no displaced mention touches
    apart: list[tuple[str, str, str, str]] = field(default_factory=list)  # their keys (entities of b)
    apart_strength_only: int = 0  # of those, the same counts and documents, another strength

    def summary(self) -> dict[str, int]:
        return {
            "linked_mentions": self.linked,
            "displaced_mentions": len(self.displaced),
            "displaced_multiword": len(self.displaced_multiword),
            "edges": self.edges,
            "edges_differing": self.edges_differing,
            "edges_differing_apart_from_displaced": self.edges_differing_apart,
            "of_which_strength_only": self.apart_strength_only,
        }


def snapshot(store: CaseStore) -> Resolution:
    entity_ids = [e["id"] for e in store.list_entities()]
    rows = store.entity_mention_rows(entity_ids)
    mentions = {int(r["id"]): str(r["entity_id"]) for r in rows}
    words = {int(r["id"]): len(parse_name(r["text"], r["label"]).tokens) for r in rows}
    parties = {p: e for e, ids in store.entity_party_ids(entity_ids).items() for p in ids}
    edges = {
        (r["a"], r["b"], r["kind"], r.get("evidence", "source")): (
            int(r["count"]),
            int(r["documents"]),
            float(r["strength"]),
        )
        for r in store.iter_graph_edges()
    }
    return Resolution(mentions, parties, edges, words)


def stands_for(a: Resolution, b: Resolution) -> dict[str, str]:
    """Each entity of `a` → the entity of `b` with most of its mentions (else parties)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m, e in a.mentions.items():
        if m in b.mentions:
            votes[e][b.mentions[m]] += 1
    for p, e in a.parties.items():
        if e not in votes and p in b.parties:
            votes[e][b.parties[p]] += 1
    return {e: c.most_common(1)[0][0] for e, c in votes.items() if c}


def compare(a: Resolution, b: Resolution, tolerance: float = 0.01) -> Difference:
    """How `a` differs from `b` (the reference)."""
    mapping = stands_for(a, b)
    linked = set(a.mentions) | set(b.mentions)
    displaced = sorted(m for m in linked if mapping.get(a.mentions.get(m, ""), "") != b.mentions.get(m))
    diff = Difference(linked=len(linked), displaced=displaced)
    diff.displaced_multiword = [m for m in displaced if max(a.words.get(m, 0), b.words.get(m, 0)) > 1]
    touched = {b.mentions[m] for m in displaced if m in b.mentions}
    touched |= {mapping.get(a.mentions[m], "") for m in displaced if m in a.mentions}
    mapped: dict[tuple[str, str, str, str], tuple[int, int, float]] = {}
    for (x, y, kind, evidence), counts in a.edges.items():
        key = (mapping.get(x, x), mapping.get(y, y), kind, evidence)
        if kind == "mentioned_with" and key[1] < key[0]:
            key = (key[1], key[0], kind, evidence)
        mapped[key] = counts
    diff.edges = len(b.edges)
    for key in set(mapped) | set(b.edges):
        ca, cb = mapped.get(key), b.edges.get(key)
        same = ca is not None and cb is not None and ca[:2] == cb[:2] and abs(ca[2] - cb[2]) <= tolerance
        if not same:
            diff.edges_differing += 1
            if key[0] not in touched and key[1] not in touched:
                diff.edges_differing_apart += 1
                diff.apart.append(key)
                diff.apart_strength_only += bool(ca and cb and ca[:2] == cb[:2])
    return diff

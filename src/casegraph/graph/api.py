"""The part of the public API (casegraph.api.Case) for resolution and the graph (resolve, entities, entity, neighbors, path, timeline, merge, split, rename, export)."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casegraph.errors import CasegraphError, NotFoundError
from casegraph.models import (
    Community,
    CorrectionRecord,
    EdgeEvidence,
    EdgeRow,
    EntityNode,
    EntityProfile,
    EntityRecord,
    EvidenceSpan,
    GraphRelation,
    MentionsInDocument,
    MentionSpan,
    Neighbor,
    NeighborsResult,
    PathRecord,
    PathResult,
    PathStep,
    TimelineResult,
)
from casegraph.store import CaseStore

if TYPE_CHECKING:
    from casegraph.graph.index import GraphIndex


class GraphAPI:
    store: CaseStore

    # -- resolution ----------------------------------------------------------------------

    def resolve(self) -> dict[str, Any]:
        """Resolve all name mentions into corpus entities, re-apply human corrections and
        rebuild the graph. Safe to run again at any time (analyze calls it at the end)."""
        from casegraph.graph.build import build_graph
        from casegraph.graph.lookup import index_names
        from casegraph.resolve.incremental import mark_full
        from casegraph.resolve.run import resolve_store

        with _resolve_lock(self.store):
            summary = resolve_store(self.store)
            started = time.perf_counter()
            summary.update(build_graph(self.store))
            summary["name_keys"] = index_names(self.store)
            # the cached index `path` routes on by default: the first query after a full
            # resolve reads it instead of building it (2.5 s on the whole estate)
            self.graph_index("source")
            summary["graph_seconds"] = round(time.perf_counter() - started, 3)
            mark_full(self.store)  # the next documents may join these entities incrementally
        return summary

    def resolve_new(self) -> dict[str, Any]:
        """Resolve the documents analyzed since the last resolve against the entities it
        made (resolve/incremental.py): only the entities, name keys and edges they touch
        change. A full `resolve` when there is no earlier one of this version, or when
        documents it saw were analyzed again."""
        from casegraph.resolve.incremental import not_ready, resolve_documents
        from casegraph.resolve.run import refresh_email_parties

        with _resolve_lock(self.store):  # on PostgreSQL, one resolve of the case at a time
            # parties of documents stored without them first: parties read again (a new
            # parser version) make the case not ready
            refresh_email_parties(self.store)
            why = not_ready(self.store)
            if why is None:
                return resolve_documents(self.store)
        return {**self.resolve(), "mode": "full", "why_full": why}

    def entities(self, type: str | None = None, limit: int | None = None) -> list[EntityRecord]:
        """Resolved entities, most mentioned first: id, name, type, aliases, mentions, documents."""
        return self.store.list_entities(type=type, limit=limit)

    def find_entity(self, name_or_id: str) -> EntityRecord:
        """The entity a person means by an id, a name, an alias, a surname or a misspelling."""
        from casegraph.graph.lookup import find_entity

        return find_entity(self.store, name_or_id)

    def entity(self, name_or_id: str) -> EntityProfile:
        """Profile: aliases, why they were merged, mentions by document, relations, quotes by
        and about the entity, dated events."""
        from casegraph.graph.timeline import timeline

        found = self.find_entity(name_or_id)
        full = self.store.get_entity(found["id"])
        by_doc: dict[str, MentionsInDocument] = {}
        for m in self.store.entity_mentions(found["id"], limit=2000):
            doc = by_doc.setdefault(
                m["doc_id"],
                MentionsInDocument(
                    doc_id=m["doc_id"], title=m["title"], date=m["date"], path=m["path"], mentions=[]
                ),
            )
            doc["mentions"].append(
                MentionSpan(start=m["start"], end=m["end"], text=m["text"], label=m["label"])
            )
        meta = full.get("meta", {}) if full else {}
        return EntityProfile(
            id=found["id"],
            name=found["name"],
            type=found["type"],
            aliases=found["aliases"],
            mentions=found["mentions"],
            documents=found["documents"],
            emails=meta.get("emails", []),
            labels=meta.get("labels", {}),
            reasons=meta.get("reasons", []),
            corrections=meta.get("corrections", []),
            mentions_by_document=list(by_doc.values()),
            relations=self.neighbors(found["id"], limit=25)["neighbors"],
            quotes_by=self.store.entity_quotes(found["id"]),
            quotes_about=self.store.quotes_about(found["id"]),
            events=timeline(self.store, found["id"])[:100],
        )

    # -- the graph -----------------------------------------------------------------------

    def graph_index(self, evidence: str = "all") -> GraphIndex:
        """The routing index over every edge, or over the edges whose evidence is of one kind
        ("source" or "article")."""
        from casegraph.graph.index import GraphIndex

        version = self.store.graph_version()
        if evidence != "all":
            by_kind: dict[str, GraphIndex] = getattr(self, "_graph_index_by_evidence", None) or {}
            found = by_kind.get(evidence)
            if found is None or found.version != version:
                found = by_kind[evidence] = GraphIndex.from_store(self.store, _evidence(evidence))
                self._graph_index_by_evidence = by_kind
            return found
        index = getattr(self, "_graph_index", None)
        if index is None or index.version != version:
            index = GraphIndex.from_store(self.store)
            self._graph_index = index
        return index

    def neighbors(
        self, name_or_id: str, limit: int = 25, kind: str | None = None, evidence: str = "source"
    ) -> NeighborsResult:
        """Entities connected to this one, strongest evidence first (typed relations count
        more than co-occurrence), each with its relations and evidence spans. `evidence`:
        use edges resting on "source" documents (default), on "article"s, or "all"."""
        from casegraph.graph.index import kind_cost

        found = self.find_entity(name_or_id)
        allowed = _evidence(evidence)
        by_other: dict[str, list[EdgeRow]] = {}
        for edge in self.store.edges_of(found["id"]):
            if kind and edge["kind"] != kind:
                continue
            if allowed != "all" and edge.get("evidence", "source") != allowed:
                continue
            other = edge["b"] if edge["a"] == found["id"] else edge["a"]
            by_other.setdefault(other, []).append(edge)
        # evidence strength, typed relations weighing up to four times co-occurrence
        scored = sorted(
            (
                (sum(e["strength"] * 4.0 / kind_cost(e["kind"]) for e in edges), other)
                for other, edges in by_other.items()
            ),
            key=lambda t: (-t[0], t[1]),
        )[:limit]
        edge_ids = [e["id"] for _, other in scored for e in by_other[other]]
        spans = self.store.edge_evidence(edge_ids, per_edge=3)
        names = self._names([other for _, other in scored])
        out: list[Neighbor] = []
        for score, other in scored:
            relations = [_relation(e, found["id"], spans.get(e["id"], [])) for e in by_other[other]]
            relations.sort(key=lambda r: (kind_cost(r["kind"]), -r["count"]))
            out.append(
                Neighbor(
                    entity=names.get(other, EntityNode(id=other, name=other, type="")),
                    score=round(score, 4),
                    relations=relations,
                )
            )
        return NeighborsResult(entity=_ref(found), neighbors=out, evidence_kind=allowed)

    def path(self, a: str, b: str, k: int = 3, max_hops: int = 6, evidence: str = "source") -> PathResult:
        """Shortest connections between two entities, typed relations and strong evidence
        preferred, hubs avoided; each step with the sentences that show it. `evidence`: route
        over edges resting on "source" documents (default), on "article"s, or "all"."""
        src, dst = self.find_entity(a), self.find_entity(b)
        allowed = _evidence(evidence)
        found = self.graph_index(allowed).paths(src["id"], dst["id"], k=k, max_hops=max_hops)
        names = self._names({x for steps in found for s in steps for x in s[:2]})
        paths: list[PathRecord] = []
        for steps in found:
            out_steps: list[PathStep] = []
            for frm, to, cost, strength in steps:
                edges = [
                    e
                    for e in self.store.edges_between(frm, to)
                    if allowed == "all" or e.get("evidence", "source") == allowed
                ]
                spans = self.store.edge_evidence([e["id"] for e in edges], per_edge=3)
                relations = sorted(
                    (_relation(e, frm, spans.get(e["id"], [])) for e in edges),
                    key=lambda r: (_cost(r["kind"]), -r["strength"]),
                )
                best = relations[0]
                out_steps.append(
                    {  # a dict literal: "from" is a keyword
                        "from": names[frm],
                        "to": names[to],
                        "relation": best["kind"],
                        "predicate": best["predicate"],
                        "direction": best["direction"],
                        "strength": round(strength, 4),
                        "cost": round(cost, 4),
                        "evidence": best["evidence"],
                        "evidence_kind": best["evidence_kind"],
                        "other_relations": relations[1:],
                    }
                )
            paths.append(
                PathRecord(hops=len(out_steps), cost=round(sum(s[2] for s in steps), 4), steps=out_steps)
            )
        return {"from": _ref(src), "to": _ref(dst), "paths": paths, "evidence_kind": allowed}

    def timeline(self, name_or_id: str) -> TimelineResult:
        """Dated statements about the entity, in date order, each with its span."""
        from casegraph.graph.timeline import timeline

        found = self.find_entity(name_or_id)
        return TimelineResult(entity=_ref(found), events=timeline(self.store, found["id"]))

    def communities(self, min_size: int = 2) -> list[Community]:
        """Groups of closely connected entities (Louvain over evidence strength)."""
        groups = self.graph_index().communities(min_size=min_size)
        names = self._names({x for g in groups for x in g})
        return [Community(id=i, size=len(g), members=[names[x] for x in g]) for i, g in enumerate(groups)]

    # -- corrections -----------------------------------------------------------------------

    def merge(self, *names_or_ids: str) -> dict[str, Any]:
        """Make several entities one (the first keeps its id). Stored, re-applied after every resolve."""
        from casegraph.resolve.corrections import reference

        entities = self._full(names_or_ids, "merge")
        if len({e["id"] for e in entities}) < 2:
            raise CasegraphError("merge needs at least two different entities")
        cid = self.store.add_correction("merge", {"entities": [reference(e) for e in entities]})
        return {"correction": cid, **self.resolve_after_correction(cid)}

    def split(self, name_or_id: str, *parts: str) -> dict[str, Any]:
        """Move the mentions written as each of `parts` (aliases) out into an entity of their own."""
        from casegraph.resolve.corrections import reference
        from casegraph.resolve.names import parse_name

        if not parts:
            raise CasegraphError("split needs the aliases to move out, e.g. split ID 'Hunter Biden'")
        entity = self._full([name_or_id], "split")[0]
        known = {parse_name(a, entity["type"]).key for a in [entity["name"], *entity["aliases"]]}
        missing = [p for p in parts if parse_name(p, entity["type"]).key not in known]
        if missing:
            raise CasegraphError(
                f"{entity['id']} ({entity['name']}) has no alias {missing[0]!r}; its aliases: "
                + ", ".join(entity["aliases"][:20])
            )
        cid = self.store.add_correction("split", {"entity": reference(entity), "parts": list(parts)})
        return {"correction": cid, **self.resolve_after_correction(cid)}

    def rename(self, name_or_id: str, name: str, type: str | None = None) -> dict[str, Any]:
        from casegraph.resolve.corrections import reference

        entity = self._full([name_or_id], "rename")[0]
        cid = self.store.add_correction("rename", {"entity": reference(entity), "name": name, "type": type})
        return {"correction": cid, **self.resolve_after_correction(cid)}

    def delete_entity(self, name_or_id: str) -> dict[str, Any]:
        """Drop a false entity (its mentions stay, unlinked)."""
        from casegraph.resolve.corrections import reference

        entity = self._full([name_or_id], "delete-entity")[0]
        cid = self.store.add_correction("delete", {"entity": reference(entity)})
        return {"correction": cid, **self.resolve_after_correction(cid)}

    def corrections(self, include_undone: bool = True) -> list[CorrectionRecord]:
        return self.store.corrections(include_undone=include_undone)

    def undo(self, correction_id: int) -> dict[str, Any]:
        if not self.store.set_correction_undone(int(correction_id), True):
            raise NotFoundError(f"no correction {correction_id} (see `casegraph corrections`)")
        return {"undone": int(correction_id), **self.resolve_after_correction()}

    def resolve_after_correction(self, correction_id: int | None = None) -> dict[str, Any]:
        """Apply a new correction to the entities it touches (resolve/incremental.py), or,
        without one (undo) or without an earlier resolve of this version, resolve in full."""
        from casegraph.resolve.incremental import apply_correction, not_ready

        with _resolve_lock(self.store):
            if correction_id is not None and not_ready(self.store) is None:
                found = [c for c in self.store.corrections() if c["id"] == correction_id]
                done = apply_correction(self.store, found[0]) if found else None
                return {  # a correction naming no entity of the case changes nothing (as in full)
                    "entities": self.store.counts()["entities"],
                    "corrections_applied": int(done is not None),
                    "entities_touched": done["entities_touched"] if done else [],
                    "mode": "incremental",
                }
        summary = self.resolve()
        return {"entities": summary["entities"], "corrections_applied": summary["corrections_applied"]}

    # -- exports and registers ---------------------------------------------------------------

    def export(self, format: str, out: str | Path) -> dict[str, Any]:
        """Write the graph as gexf, graphml, ftm (FollowTheMoney JSON lines), csv or neo4j."""
        from casegraph.graph.export import export

        return export(self.store, format, Path(out))

    # -- helpers -----------------------------------------------------------------------------

    def entity_to_change(self, name_or_id: str, action: str) -> EntityRecord:
        """The entity a correction names: an exact id or the exact name of one entity, never
        a guess (a misspelling lists the candidates and changes nothing)."""
        from casegraph.graph.lookup import exact_entity

        return exact_entity(self.store, name_or_id, action)

    def _full(self, names_or_ids: Any, action: str) -> list[dict[str, Any]]:
        out = []
        for key in names_or_ids:
            found = self.entity_to_change(key, action)
            full = self.store.get_entity(found["id"])
            if full is None:
                raise NotFoundError(f"no entity {key!r}")
            meta = full.get("meta", {})
            out.append({**full, "anchors": meta.get("anchors", [])})
        return out

    def _names(self, ids: Any) -> dict[str, EntityNode]:
        return {e["id"]: _ref(e) for e in self.store.entities_by_id(list(ids))}


def _resolve_lock(store: CaseStore) -> AbstractContextManager[object]:
    """The case-wide lock of resolution where the store has one (PostgreSQL: many writers);
    nothing to hold on SQLite, whose transactions are already one writer at a time."""
    exclusive = getattr(store, "exclusive", None)
    return exclusive("corpus:resolve-run") if exclusive is not None else nullcontext()


def _ref(entity: EntityRecord | dict[str, Any]) -> EntityNode:
    return EntityNode(id=entity["id"], name=entity["name"], type=entity["type"])


def _cost(kind: str) -> float:
    from casegraph.graph.index import kind_cost

    return kind_cost(kind)


def _relation(edge: EdgeRow, seen_from: str, evidence: list[EdgeEvidence]) -> GraphRelation:
    if edge["directed"]:
        direction = "out" if edge["a"] == seen_from else "in"
    else:
        direction = "both"
    return GraphRelation(
        kind=edge["kind"],
        predicate=edge["predicate"],
        direction=direction,
        count=edge["count"],
        documents=edge["documents"],
        strength=edge["strength"],
        evidence_kind=edge.get("evidence", "source"),  # "source" | "article"
        evidence=[
            EvidenceSpan(doc_id=e["doc_id"], start=e["start"], end=e["end"], text=e["text"]) for e in evidence
        ],
    )


def _evidence(evidence: str) -> str:
    from casegraph.graph.index import EVIDENCE_KINDS

    if evidence not in EVIDENCE_KINDS:
        raise CasegraphError(f"unknown evidence kind {evidence!r}; choose one of {', '.join(EVIDENCE_KINDS)}")
    return evidence

"""Building the entity graph from the store after resolution.

Three sources of edges, kept apart by `kind`:
- typed relations from analysis and registers (family, role, met, paid, lobbied, represents...),
  directed subject → object, negated statements left out, hedged ones weaker;
- `communicated`: e-mail sender → each recipient, from the header block;
- `mentioned_with`: two entities named in one sentence, weighted down in long lists.
Each edge keeps its evidence spans (capped per edge; `count` keeps the full number), and says
whether that evidence comes from source documents or from articles (`evidence_kind`): the two
are kept in separate edges, so that paths and neighbours can rest on sources alone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from casegraph.ingest.segment import sentence_spans

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

MAX_EVIDENCE = 20
# Sentences naming more entities than this are lists (distribution lists, indexes), not statements.
MAX_SENTENCE_ENTITIES = 25


@dataclass
class EdgeDraft:
    a: str
    b: str
    kind: str
    directed: bool
    evidence_kind: str = "source"  # "source" | "article": the kind of the documents it rests on
    count: int = 0
    strength: float = 0.0
    documents: set[str] = field(default_factory=set)
    predicates: dict[str, int] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        doc_id: str,
        start: int,
        end: int,
        text: str,
        confidence: float,
        relation_id: int | None = None,
        predicate: str = "",
    ) -> None:
        self.count += 1
        self.strength += confidence
        self.documents.add(doc_id)
        if predicate:
            self.predicates[predicate] = self.predicates.get(predicate, 0) + 1
        if len(self.evidence) < MAX_EVIDENCE:
            self.evidence.append(
                {
                    "doc_id": doc_id,
                    "start": start,
                    "end": end,
                    "text": text,
                    "relation_id": relation_id,
                    "confidence": round(confidence, 4),
                }
            )

    def row(self) -> dict[str, Any]:
        predicate = max(self.predicates, key=self.predicates.__getitem__) if self.predicates else ""
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "predicate": predicate,
            "directed": self.directed,
            "count": self.count,
            "documents": len(self.documents),
            "strength": round(self.strength, 4),
            "evidence": self.evidence,
            "evidence_kind": self.evidence_kind,
        }


class EdgeSet:
    def __init__(self, document_kinds: dict[str, str] | None = None) -> None:
        self.edges: dict[tuple[str, str, str, str], EdgeDraft] = {}
        self.document_kinds = document_kinds or {}

    def evidence_kind(self, doc_id: str) -> str:
        """ "article" for evidence in an article, else "source" (sources and registers)."""
        return "article" if self.document_kinds.get(doc_id) == "article" else "source"

    def get(self, a: str, b: str, kind: str, directed: bool, doc_id: str = "") -> EdgeDraft:
        if not directed and b < a:
            a, b = b, a
        evidence = self.evidence_kind(doc_id)
        key = (a, b, kind, evidence)
        edge = self.edges.get(key)
        if edge is None:
            edge = self.edges[key] = EdgeDraft(a, b, kind, directed, evidence)
        return edge


def add_typed_relations(
    store: CaseStore, edges: EdgeSet, relations: Iterable[dict[str, Any]] | None = None
) -> None:
    """Typed relations (all of the case, or `relations`) as directed edges."""
    for r in store.typed_relations() if relations is None else relations:
        a, b = r["a"], r["b"]
        if not a or not b or a == b or r["negated"]:
            continue
        confidence = float(r["confidence"] or 0.5) * (0.5 if r["hedged"] else 1.0)
        start, end = r["start"] or 0, r["end"] or 0
        edges.get(a, b, r["kind"], directed=True, doc_id=r["doc_id"] or "").add(
            r["doc_id"] or "", start, end, r["text"] or "", confidence, r["id"], r["predicate"] or ""
        )


def add_communications(
    store: CaseStore, edges: EdgeSet, parties: Iterable[dict[str, Any]] | None = None
) -> None:
    """Sender → recipient edges of every e-mail header block (of the case, or of `parties`)."""
    by_block: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for p in store.email_parties() if parties is None else parties:
        if p["entity_id"]:
            by_block[(p["doc_id"], p["block"])].append(p)
    for (doc_id, _), parties in by_block.items():
        senders = [p for p in parties if p["role"] == "from"]
        for sender in senders:
            for rcpt in parties:
                if rcpt["role"] == "from" or rcpt["entity_id"] == sender["entity_id"]:
                    continue
                span = rcpt if rcpt["end"] > rcpt["start"] else sender
                edges.get(
                    sender["entity_id"], rcpt["entity_id"], "communicated", directed=True, doc_id=doc_id
                ).add(doc_id, span["start"], span["end"], span["text"], 0.8, None, f"e-mail {rcpt['role']}")


def sentences_of(text: str, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The document's stored sentence segments; ingest's splitter for a document stored
    without them (written by an older version)."""
    return segments or sentence_spans(text)


def add_cooccurrence(
    store: CaseStore,
    edges: EdgeSet,
    resolved: Iterable[tuple[int, str, int, int, str]] | None = None,
    sentences_with: dict[str, list[int]] | None = None,
) -> None:
    """Entities named in the same sentence: one `mentioned_with` piece of evidence per sentence,
    except where a typed relation between the two already rests on that sentence. Over the
    case's resolved mentions, or `resolved` (id, doc_id, start, end, entity_id by document
    and offset); only in the sentences holding one of the offsets of `sentences_with` (sorted,
    by document) when given."""
    typed = {
        (min(e.a, e.b), max(e.a, e.b), ev["doc_id"], ev["start"])
        for e in edges.edges.values()
        for ev in e.evidence
    }
    doc_mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for _, doc_id, start, end, entity_id in store.resolved_mentions() if resolved is None else resolved:
        doc_mentions[doc_id].append((start, end, entity_id))
    for doc_id, mentions in doc_mentions.items():
        if len({m[2] for m in mentions}) < 2:
            continue
        text = store.document_text(doc_id)
        sentences = sentences_of(text, store.sentence_segments(doc_id))
        i = 0
        only = sentences_with.get(doc_id, []) if sentences_with is not None else None
        for s_start, s_end in sentences:
            while i < len(mentions) and mentions[i][0] < s_start:
                i += 1
            if only is not None:
                k = bisect_left(only, s_start)
                if k == len(only) or only[k] >= s_end:
                    continue
            j = i
            inside: dict[str, tuple[int, int]] = {}
            while j < len(mentions) and mentions[j][1] <= s_end:
                inside.setdefault(mentions[j][2], (mentions[j][0], mentions[j][1]))
                j += 1
            n = len(inside)
            if n < 2 or n > MAX_SENTENCE_ENTITIES:
                continue
            weight = min(1.0, 3.0 / (n - 1)) * 0.3
            for a, b in combinations(sorted(inside), 2):
                if (a, b, doc_id, s_start) in typed:
                    continue
                start, end = _window(s_start, s_end, inside[a], inside[b])
                edges.get(a, b, "mentioned_with", directed=False, doc_id=doc_id).add(
                    doc_id, start, end, text[start:end], weight
                )


def _window(
    s_start: int, s_end: int, a: tuple[int, int], b: tuple[int, int], limit: int = 600
) -> tuple[int, int]:
    """The sentence, or for very long ones (OCR without stops) a window around both names."""
    if s_end - s_start <= limit:
        return s_start, s_end
    lo, hi = min(a[0], b[0]), max(a[1], b[1])
    pad = max(0, (limit - (hi - lo)) // 2)
    return max(s_start, lo - pad), min(s_end, hi + pad)


def build_graph(store: CaseStore) -> dict[str, int]:
    edges = EdgeSet(store.document_kinds())
    add_typed_relations(store, edges)
    add_communications(store, edges)
    add_cooccurrence(store, edges)
    rows = [e.row() for e in edges.edges.values()]
    rows.sort(key=lambda r: (r["a"], r["b"], r["kind"], r["evidence_kind"]))
    store.replace_graph(rows)
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    return {"edges": len(rows), **{f"edges_{k}": v for k, v in sorted(kinds.items())}}


# -- part of the graph (incremental resolution) ----------------------------------------------


def _edges_in(store: CaseStore, doc_ids: Sequence[str], parties_after: int = 0) -> EdgeSet:
    """Every edge's evidence that lies in these documents (of e-mail parties, only those
    with ids above `parties_after`)."""
    docs = sorted(set(doc_ids))
    edges = EdgeSet(store.document_kinds_of(docs))
    add_typed_relations(store, edges, store.typed_relations_in(docs))
    parties = [p for d in docs for p in store.email_parties(d) if p["id"] > parties_after]
    add_communications(store, edges, parties)
    add_cooccurrence(store, edges, store.resolved_mentions_in(docs))
    return edges


def edges_for_documents(
    store: CaseStore, doc_ids: Sequence[str], exclude: Iterable[str] = (), parties_after: int = 0
) -> list[dict[str, Any]]:
    """The edges whose evidence is in documents new to the graph (store.add_edges adds them
    to the edges it has), leaving out those touching `exclude` (rebuilt whole) and the
    e-mail parties the graph has already (ids up to `parties_after`)."""
    skip = set(exclude)
    # a document whose parties the graph has already counts among its edges' documents
    counted = EdgeSet(store.document_kinds_of(doc_ids))
    add_communications(
        store, counted, [p for d in doc_ids for p in store.email_parties(d) if p["id"] <= parties_after]
    )
    rows = []
    for key, edge in _edges_in(store, doc_ids, parties_after).edges.items():
        if edge.a in skip or edge.b in skip:
            continue
        row = edge.row()
        known = counted.edges.get(key)
        row["documents"] = len(edge.documents - known.documents) if known else len(edge.documents)
        rows.append(row)
    rows.sort(key=lambda r: (r["a"], r["b"], r["kind"], r["evidence_kind"]))
    return rows


def edges_of_entities(store: CaseStore, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every edge touching one of these entities, from all the documents that name them
    (store.replace_edges_of puts them in place of the old ones)."""
    ids = set(entity_ids)
    if not ids:
        return []
    edges = _edges_in(store, store.documents_naming(sorted(ids)))
    rows = [e.row() for e in edges.edges.values() if e.a in ids or e.b in ids]
    rows.sort(key=lambda r: (r["a"], r["b"], r["kind"], r["evidence_kind"]))
    return rows


def touched_offsets(store: CaseStore, doc_ids: Sequence[str], touched: Iterable[str]) -> dict[str, list[int]]:
    """Where these entities are named in these documents (sorted starts, by document)."""
    ids = set(touched)
    out: dict[str, list[int]] = defaultdict(list)
    for _, doc_id, start, _, entity_id in store.resolved_mentions_in(doc_ids):
        if entity_id in ids:
            out[doc_id].append(start)
    return {d: sorted(starts) for d, starts in out.items()}


def cooccurrence_apart(
    store: CaseStore, doc_ids: Sequence[str], touched: Iterable[str], offsets: dict[str, list[int]]
) -> dict[tuple[str, str, str, str], EdgeDraft]:
    """The `mentioned_with` evidence between entities not in `touched` in the sentences that
    name a touched entity (`offsets`: touched_offsets before the change): its weights depend
    on how many entities each sentence names, which a merge, split or delete of `touched`
    changes (taken before and after, for store.adjust_edges)."""
    skip = set(touched)
    docs = sorted(set(doc_ids))
    edges = EdgeSet(store.document_kinds_of(docs))
    add_typed_relations(store, edges, store.typed_relations_in(docs))  # sentences they rest on
    add_cooccurrence(store, edges, store.resolved_mentions_in(docs), sentences_with=offsets)
    return {
        key: e
        for key, e in edges.edges.items()
        if e.kind == "mentioned_with" and e.a not in skip and e.b not in skip
    }


def cooccurrence_changes(
    before: dict[tuple[str, str, str, str], EdgeDraft], after: dict[tuple[str, str, str, str], EdgeDraft]
) -> list[dict[str, Any]]:
    """What changed between two takes of cooccurrence_apart: rows of differences (count,
    documents, strength; the evidence of edges that are new)."""
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        count = (new.count if new else 0) - (old.count if old else 0)
        documents = (len(new.documents) if new else 0) - (len(old.documents) if old else 0)
        strength = (new.strength if new else 0.0) - (old.strength if old else 0.0)
        if count == 0 and documents == 0 and abs(strength) < 1e-9:
            continue
        a, b, kind, evidence_kind = key
        rows.append(
            {
                "a": a,
                "b": b,
                "kind": kind,
                "evidence_kind": evidence_kind,
                "directed": False,
                "predicate": "",
                "count": count,
                "documents": documents,
                "strength": strength,
                "evidence": new.evidence if new else [],
            }
        )
    return rows

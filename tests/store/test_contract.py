"""The store contract: what every backend must do, checked on a real case built through the
whole pipeline (seed articles and estate e-mails: ingest, analyze, resolve, graph, check).

`BACKENDS` names the store factories under test; a second backend (PostgreSQL) adds itself
there and must pass the same tests. Records must have exactly the keys of their TypedDict in
`casegraph.models` (they are the CLI's and the REST API's JSON), and every span must point at
the text it quotes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from casegraph.api import Case
from casegraph.models import (
    ClaimRow,
    DocumentRecord,
    EntityRecord,
    FileRecord,
    MentionRow,
    NearDuplicate,
    QuoteRow,
    RelationRow,
    RhetoricRow,
    SearchHit,
    SegmentRecord,
)
from casegraph.store import CaseStore, SQLiteStore
from tests.conftest import ESTATE, SEEDS, postgres_store

BACKENDS: dict[str, Callable[[Path], CaseStore]] = {
    "sqlite": lambda folder: SQLiteStore(folder / "case.db"),
    "postgresql": postgres_store,
}
EMAILS = sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json"))[:6]
pytestmark = pytest.mark.both_backends  # each test runs on every backend in BACKENDS


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    store = BACKENDS[request.param](tmp_path_factory.mktemp(request.param))
    built = Case(store=store)  # type: ignore[arg-type]  # Case takes any CaseStore backend
    built.ingest([str(SEEDS)], kind="article", progress=False)
    built.ingest([str(p) for p in EMAILS], kind="source", progress=False)
    built.analyze(progress=False)
    yield built
    built.close()


def keys_of(shape: Any) -> set[str]:
    return set(shape.__required_keys__) | set(shape.__optional_keys__)


def assert_shape(rows: list[Any], shape: Any, optional: set[str] = frozenset()) -> None:
    assert rows, f"no {shape.__name__} to check"
    for row in rows:
        assert set(row) - optional == keys_of(shape) - optional, (shape.__name__, sorted(row))


def text_of(case: Case, doc_id: str) -> str:
    doc = case.store.get_document(doc_id)
    assert doc is not None
    return doc["text"]


def assert_spans_quote_text(case: Case, rows: list[Any]) -> None:
    texts: dict[str, str] = {}
    for row in rows:
        text = texts.setdefault(row["doc_id"], text_of(case, row["doc_id"]))
        assert 0 <= row["start"] < row["end"] <= len(text)
        assert text[row["start"] : row["end"]] == row["text"]


# -- documents -------------------------------------------------------------------------------


def test_documents_are_listed_found_and_searched(case: Case) -> None:
    store = case.store
    docs = store.list_documents()
    assert_shape(docs, DocumentRecord, optional={"text"})
    assert {d["kind"] for d in docs} == {"source", "article"}
    assert len(docs) == store.count_documents() == len(EMAILS) + 2
    first = docs[0]
    assert store.find_document(first["id"]) == store.get_document(first["id"])
    assert store.find_document(first["id"][:10]) is not None  # an id prefix
    assert store.find_document(first["path"]) is not None  # the path as ingested
    assert store.find_document("no such document") is None
    hits = store.search("Nazarbayev")
    assert_shape(hits, SearchHit)
    assert all("[" in h["snippet"] for h in hits)
    assert store.search("Nazarbayev", kind="source") == [h for h in hits if h["kind"] == "source"]


def test_the_ingest_log_and_segments(case: Case) -> None:
    store = case.store
    log = store.file_log()
    assert_shape(log, FileRecord)
    assert {r["status"] for r in log} <= {"ingested", "duplicate", "skipped", "failed"}
    doc = store.list_documents(kind="article")[0]
    sentences = store.segments(doc["id"], "sentence")
    assert_shape(sentences, SegmentRecord)
    text = text_of(case, doc["id"])
    assert all(0 <= s["start"] < s["end"] <= len(text) for s in sentences)
    assert [s["start"] for s in sentences] == sorted(s["start"] for s in sentences)
    assert isinstance(store.near_duplicates(doc["id"]), list)
    for dup in store.near_duplicates(doc["id"]):
        assert set(dup) == keys_of(NearDuplicate)


def test_email_header_structure_round_trips(case: Case) -> None:
    """What ingest stored of an e-mail's headers (ingest/email_header.py) is what the store
    returns: the segments and parties parsed from the document's text and metadata."""
    from casegraph.ingest.email_header import VERSION, parse

    store = case.store
    doc = next(d for d in store.list_documents(kind="source") if d["mime"] == "message/rfc822+json")
    stored = store.email_headers(doc["id"])
    full = store.get_document(doc["id"])
    assert full is not None and stored is not None
    assert stored == parse(full["text"], full["meta"])
    assert stored.body_start() > 0 and stored.parties
    parties = store.email_parties(doc["id"])
    assert [(p["role"], p["name"], p["address"], p["block"]) for p in parties] == [
        (p.role, p.name, p.address, p.block) for p in stored.parties
    ]
    assert not list(store.documents_without_email_headers(VERSION))


# -- annotations -----------------------------------------------------------------------------


def test_annotations_point_at_their_text(case: Case) -> None:
    store = case.store
    for rows, shape in (
        (store.mention_rows(), MentionRow),
        (store.quote_rows(), QuoteRow),
        (store.claim_rows(), ClaimRow),
        (store.relation_rows(), RelationRow),
        (store.rhetoric_rows(), RhetoricRow),
    ):
        assert_shape(rows, shape)
        assert_spans_quote_text(case, rows)
    speakers = [q["speaker"] for q in store.quote_rows() if q["speaker"]]
    assert speakers and all({"id", "name", "start", "end"} <= set(s) for s in speakers)
    one = store.list_documents(kind="article")[0]["id"]
    assert {m["doc_id"] for m in store.mention_rows(doc_id=one)} == {one}
    assert len(store.mention_rows(limit=3)) == 3


def test_the_public_listings_keep_their_json_shapes(case: Case) -> None:
    """The CLI's --json keys (a public interface: fields may be added, never renamed)."""
    listings: list[tuple[list[Any], set[str]]] = [
        (case.mentions(), {"doc_id", "start", "end", "text", "label", "entity_id"}),
        (case.quotes(), {"doc_id", "start", "end", "text", "speaker", "cue", "direct"}),
        (
            case.claims(),
            {
                "doc_id",
                "start",
                "end",
                "text",
                "type",
                "hedges",
                "boosters",
                "attributed_to",
                "checkworthiness",
            },
        ),
        (case.rhetoric(), {"doc_id", "start", "end", "text", "technique", "score"}),
        (
            case.relations(),
            {
                "subject",
                "object",
                "kind",
                "predicate",
                "evidence",
                "confidence",
                "negated",
                "hedged",
                "count",
            },
        ),
    ]
    for rows, keys in listings:
        assert rows
        assert all(keys <= set(r) for r in rows), keys
    shown = case.show(case.docs()[0]["id"])
    assert {"id", "title", "text", "paths", "children", "near_duplicates", "pages"} <= set(shown)


# -- entities, graph, corrections ------------------------------------------------------------


def test_entities_and_their_mentions(case: Case) -> None:
    store = case.store
    entities = store.list_entities()
    assert_shape(entities, EntityRecord, optional={"meta"})
    assert [e["mentions"] for e in entities] == sorted((e["mentions"] for e in entities), reverse=True)
    top = entities[0]
    assert store.entity_by_id_or_name(top["id"]) == store.entity_summary(top["id"])
    assert store.entity_by_id_or_name(top["name"].upper()) is not None  # names match case-insensitively
    mentions = store.entity_mentions(top["id"])
    assert len(mentions) == top["mentions"]
    assert_spans_quote_text(case, mentions)


def test_graph_edges_carry_evidence_spans(case: Case) -> None:
    store = case.store
    top = store.list_entities(limit=1)[0]
    edges = store.edges_of(top["id"])
    assert edges, "the most mentioned entity has neighbours"
    evidence = store.edge_evidence([e["id"] for e in edges])
    spans = [span for spans in evidence.values() for span in spans]
    assert spans
    assert_spans_quote_text(case, spans)


def test_corrections_are_stored_apart_and_can_be_undone(case: Case) -> None:
    store = case.store
    before = len(store.corrections())
    cid = store.add_correction("rename", {"entity": {"id": "x"}, "name": "Someone"})
    assert len(store.corrections()) == before + 1
    assert store.set_correction_undone(cid, True)
    assert len(store.corrections()) == before
    assert len(store.corrections(include_undone=True)) == before + 1


# -- checks and transactions -----------------------------------------------------------------


def test_check_reports_round_trip(case: Case) -> None:
    article = case.store.list_documents(kind="article")[0]["id"]
    report = {"article": {"id": article}, "items": [{"text": "Ещё «один» — test", "status": "not_found"}]}
    case.store.save_check(article, report)
    stored = case.store.latest_check(article)
    assert stored is not None and stored["items"] == report["items"]


def test_a_failed_transaction_leaves_nothing_behind(case: Case) -> None:
    store = case.store
    before = store.counts()
    with pytest.raises(RuntimeError), store.transaction():
        store.add_correction("delete", {"entity": {"id": "y"}})
        raise RuntimeError("abort")
    assert store.counts() == before
    assert all(c["payload"].get("entity", {}).get("id") != "y" for c in store.corrections(True))


def test_the_sqlite_file_is_sound_after_the_pipeline(case: Case) -> None:
    if not isinstance(case.store, SQLiteStore):
        pytest.skip("an SQLite integrity check")
    with sqlite3.connect(case.store.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

"""Distributed ingest and analysis on a real Dask LocalCluster (2 worker processes): the
case built by the tasks equals the one a single process builds, on SQLite (results written
by this process) and on PostgreSQL (workers write to the database themselves)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casegraph.api import Case
from casegraph.ingest import email_header
from casegraph.scale import analyze_distributed, dask_client, ingest_distributed
from tests.conftest import ESTATE, SEED_BIDEN, SEED_KAZAKH, postgres_store

EMAILS = [str(p) for p in sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json"))[:4]]
pytestmark = pytest.mark.both_backends  # one test per backend, each opening its own
ARTICLES = [str(SEED_KAZAKH), str(SEED_BIDEN)]


def snapshot(case: Case, with_row_ids: bool = False) -> dict[str, Any]:
    """What a case holds, without the order rows were written in (unless asked)."""
    store = case.store

    def rows(items: list[Any], keys: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return sorted(tuple(str(r[k]) for k in keys) for r in items)

    span = ("doc_id", "start", "end", "text")
    shot = {
        "documents": rows(
            store.list_documents(), ("id", "kind", "path", "title", "date", "parent_id", "meta")
        ),
        "texts": sorted((d["id"], store.document_text(d["id"])) for d in store.list_documents()),
        "files": rows(store.file_log(), ("path", "status", "doc_id", "reason")),
        "mentions": rows(store.mention_rows(), (*span, "label", "entity_id")),
        "quotes": rows(store.quote_rows(), (*span, "speaker", "cue", "direct")),
        "claims": rows(store.claim_rows(), (*span, "type", "checkworthiness", "attributed_to")),
        "relations": rows(store.relation_rows(), (*span, "kind", "predicate", "subject", "object")),
        "rhetoric": rows(store.rhetoric_rows(), (*span, "technique", "score")),
        "entities": rows(store.list_entities(), ("id", "name", "type", "mentions", "documents")),
        "email_parties": rows(store.email_parties(), ("doc_id", "role", "name", "address", "start", "end")),
    }
    if with_row_ids:
        shot["mention_ids"] = [(m["id"], m["doc_id"], m["start"]) for m in store.mention_rows()]
    return shot


def build(case: Case, client: Any | None) -> dict[str, Any]:
    if client is None:
        case.ingest(ARTICLES, kind="article", progress=False)
        case.ingest(EMAILS, kind="source", progress=False)
        return case.analyze(progress=False, index=False)
    ingest_distributed(case, client, ARTICLES, kind="article", progress=False)
    ingest_distributed(case, client, EMAILS, kind="source", progress=False)
    # ingest stores each document's e-mail header structure, as one process does
    assert not list(case.store.documents_without_email_headers(email_header.VERSION))
    return analyze_distributed(case, client, progress=False, index=False)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with Case(tmp_path_factory.mktemp("single") / "case.db") as case:
        build(case, None)
        return snapshot(case, with_row_ids=True)


def test_dask_on_sqlite_builds_the_same_case(client: Any, single: dict[str, Any], tmp_path: Path) -> None:
    with Case(tmp_path / "case.db") as case:
        summary = build(case, client)
        assert summary["workers"] == 2 and summary["failed"] == []
        got = snapshot(case, with_row_ids=True)
        # a second run finds every file unchanged and nothing to analyse: no task is sent
        again = ingest_distributed(case, client, EMAILS, kind="source", progress=False)
        assert again["counts"]["unchanged"] == len(EMAILS) and again["counts"]["ingested"] == 0
        assert analyze_distributed(case, client, progress=False, index=False)["documents"] == 0
    assert got["mentions"] and got["entities"]
    assert got == single  # the same documents, annotations, entities, and even row ids


def test_dask_workers_write_postgres_directly(client: Any, single: dict[str, Any], tmp_path: Path) -> None:
    store = postgres_store(tmp_path)
    with Case(store=store) as case:
        summary = build(case, client)
        assert summary["documents"] == len(EMAILS) + len(ARTICLES)
        got = snapshot(case)
        # the workers embed the source sentences, this process stores them
        from casegraph.check import embed

        index = analyze_distributed(case, client, progress=False, resolve=False)["index"]
        assert index["documents"] == len(EMAILS) and index["sentences"] > 0 and not index["failed"]
        assert store.count_sources_without_vectors(embed.STORE_KEY) == 0
        assert store.sentence_vector_stamp(embed.STORE_KEY)[:2] == (len(EMAILS), index["sentences"])
    expected = {k: v for k, v in single.items() if k != "mention_ids"}
    assert got == expected


def test_a_file_that_fails_is_reported_and_the_rest_stored(client: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer <<>>\n%%EOF")
    with Case(tmp_path / "case.db") as case:
        summary = ingest_distributed(case, client, [str(broken), *EMAILS[:2]], kind="source", progress=False)
        assert summary["counts"]["ingested"] == 2
        assert summary["counts"]["failed"] + summary["counts"]["skipped"] == 1
        assert [e["path"] for e in summary["errors"]] == [str(broken)]
        logged = {r["path"]: r["status"] for r in case.store.file_log()}
        assert logged[str(broken)] in ("failed", "skipped") and case.store.count_documents() == 2

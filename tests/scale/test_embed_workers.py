"""The sentence-embedding index built on a real Dask LocalCluster (2 worker processes): the
workers embed, this process stores; the index equals the one a single process builds (same
documents, spans, int8 vectors and scales, byte for byte), also when a batch repeats
sentences an earlier batch embedded, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from casegraph.api import Case
from casegraph.check import embed
from casegraph.scale import dask_client, embed_on_workers
from casegraph.search.index import IndexSummary, IndexWriter, build_index, embed_quantized, plan_batches
from casegraph.store.vectors import VectorRow
from tests.conftest import ESTATE, postgres_store

# four estate e-mails: 69 indexable sentences, some repeated from one e-mail to the next
EMAILS = [str(p) for p in sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json"))[:4]]
BATCH = 16  # sentences per batch: several batches, so that repeats cross batches


def rows(case: Case) -> list[VectorRow]:
    return list(case.store.sentence_vector_rows(embed.STORE_KEY))


def sources(folder: Path) -> Case:
    case = Case(folder / "case.db")
    case.ingest(EMAILS, kind="source", progress=False)
    return case


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> list[VectorRow]:
    with sources(tmp_path_factory.mktemp("single")) as case:
        summary = build_index(case.store, batch_sentences=BATCH)
        assert summary.documents == len(EMAILS) and summary.sentences > 0
        return rows(case)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(workers=2) as c:
        yield c


def test_the_batches_repeat_sentences_across_batches(tmp_path: Path) -> None:
    with sources(tmp_path) as case:
        batches = list(plan_batches(case.store, batch_sentences=BATCH))
    distinct_per_batch = sum(len({t for _, _, texts in b.docs for t in texts}) for b in batches)
    fresh = sum(len(b.fresh) for b in batches)
    assert len(batches) >= 3 and fresh < distinct_per_batch  # later batches reuse earlier vectors


def test_workers_build_the_index_one_process_builds(
    client: Any, single: list[VectorRow], tmp_path: Path
) -> None:
    with sources(tmp_path) as case:
        summary = embed_on_workers(case.store, client, batch_sentences=BATCH)
        assert summary["workers"] == 2 and summary["failed"] == [] and summary["tasks"] >= 3
        assert summary["documents"] == len(EMAILS)
        assert summary["sentences"] == sum(r[1] for r in single) > summary["embedded"]
        assert rows(case) == single
        again = embed_on_workers(case.store, client, batch_sentences=BATCH)
        assert again["documents"] == 0 and again["tasks"] == 0  # nothing left: no task sent


@pytest.mark.both_backends  # opens its PostgreSQL case itself: once
def test_on_postgres_too(client: Any, single: list[VectorRow], tmp_path: Path) -> None:
    with Case(store=postgres_store(tmp_path)) as case:
        case.ingest(EMAILS, kind="source", progress=False)
        summary = embed_on_workers(case.store, client, batch_sentences=BATCH)
        assert summary["tasks"] >= 3 and summary["failed"] == []
        assert rows(case) == single


def test_analyze_on_workers_embeds_the_sources(client: Any, tmp_path: Path) -> None:
    from casegraph.scale import analyze_distributed

    with sources(tmp_path) as case:
        summary = analyze_distributed(case, client, progress=False, resolve=False)
        index = summary["index"]
        assert index["workers"] == 2 and index["documents"] == len(EMAILS) and not index["failed"]
        assert case.store.count_sources_without_vectors(embed.STORE_KEY) == 0
        one = build_index(case.store)  # a single process finds nothing left to do
        assert one.documents == 0


def test_a_failed_batch_leaves_out_its_documents_and_those_that_repeat_it(
    single: list[VectorRow], tmp_path: Path
) -> None:
    with sources(tmp_path) as case:
        batches = list(plan_batches(case.store, batch_sentences=BATCH))
        lost = set(batches[0].fresh)
        repeating = {d for b in batches[1:] for d, _, texts in b.docs if lost & set(texts)}
        assert repeating  # the e-mails share sentences: the case this test is about
        writer = IndexWriter(case.store, embed.STORE_KEY, IndexSummary())
        writer.fail(batches[0])
        skipped = [d for b in batches[1:] for d in writer.write(b, embed_quantized(b.fresh))]
        assert set(skipped) == repeating
        stored = {r[0] for r in rows(case)}
        assert not stored & (set(batches[0].doc_ids) | repeating)
        # a rerun indexes what was left out; the rows equal a single run's
        build_index(case.store, batch_sentences=BATCH)
        again = rows(case)
    assert [r[:3] for r in again] == [r[:3] for r in single]  # same documents and spans
    for (_, _, _, vectors, _), (_, _, _, expected, _) in zip(again, single, strict=True):
        a = np.frombuffer(vectors, dtype=np.int8).astype(int)
        b = np.frombuffer(expected, dtype=np.int8).astype(int)
        assert np.abs(a - b).max() <= 1  # embedded in other batches: at most float noise

"""Resolution does not depend on the order the annotation rows were written in. Parallel
writers (Dask workers writing to PostgreSQL) interleave documents, so row ids come in
another order than one process writes them; on the whole estate 29 entities differed
until the resolver read documents by id. Here 86 estate documents (26 e-mails, 60 short
merged documents) are resolved as stored and as if written in reverse and shuffled
document order: the same entities, with the same mentions, and the same graph."""

from __future__ import annotations

import random
from typing import Any

import pytest

from casegraph.api import Case
from tests.conftest import ESTATE, new_case_db

MERGED = sorted(p for p in (ESTATE / "Merged Documents").glob("*.txt") if p.stat().st_size < 20_000)[:60]
FILES = [*sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json")), *MERGED]


def outcome(case: Case) -> tuple[list[Any], list[Any]]:
    case.resolve()
    store = case.store
    entities = sorted(
        (m["resolved_entity"], m["doc_id"], m["start"], m["end"])
        for m in store.mention_rows()
        if m["resolved_entity"]
    )
    edges = sorted(e[1:] for e in store.graph_edge_rows())  # a, b, kind, count, documents, strength
    return entities, edges


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Case(new_case_db(tmp_path_factory.mktemp("order"))) as built:
        built.ingest([str(f) for f in FILES], kind="source", progress=False)
        built.analyze(progress=False, index=False, resolve=False)
        yield built


@pytest.mark.parametrize("how", ["reversed", "shuffled"])
def test_the_same_entities_whatever_order_documents_were_written_in(
    case: Case, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = outcome(case)
    store = case.store
    mentions, parties = list(store.iter_name_mentions()), store.email_parties()
    docs = sorted({m["doc_id"] for m in mentions})
    if how == "reversed":
        docs.reverse()
    else:
        random.Random(1).shuffle(docs)
    rank = {d: i for i, d in enumerate(docs)}
    # rows as parallel writers leave them: each document's rows in order, documents interleaved
    monkeypatch.setattr(
        store,
        "iter_name_mentions",
        lambda: iter(sorted(mentions, key=lambda m: (rank[m["doc_id"]], m["id"]))),
    )
    interleaved = sorted(parties, key=lambda p: (rank[p["doc_id"]], p["id"]))
    monkeypatch.setattr(
        store, "email_parties", lambda doc_id=None: [p for p in interleaved if doc_id in (None, p["doc_id"])]
    )
    assert expected[0] and expected[1]
    assert outcome(case) == expected

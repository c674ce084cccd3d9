"""Every command's --json output is the same on SQLite and on PostgreSQL: one case (the seed
articles and estate e-mails and documents: ingest, analyze, resolve, graph, check) built on
each backend from the same files, then each listing, profile and graph command run on both
through the real CLI. Only clock times are set aside. Search ranks with FTS5's bm25 on both
(store/postgres/bm25.py): the same hits in the same order with the same scores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from casegraph.api import Case
from casegraph.cli import main
from tests.conftest import ESTATE, SEED_KAZAKH, SEEDS, postgres_store

pytestmark = pytest.mark.both_backends  # builds a SQLite and a PostgreSQL case itself

SOURCES = [
    *sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json"))[:4],
    ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_023126.txt",  # Miami Herald: Sloman, Acosta
    ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_022213.txt",  # "Epstein, Billy Clinton's buddy"
]
CLOCK_KEYS = {"seen_at", "ingested_at", "created_at", "checked_at", "analyzed_at", "at", "elapsed", "seconds"}


def build(case: Case) -> str:
    case.ingest([str(SEEDS)], kind="article", progress=False)
    case.ingest([str(p) for p in SOURCES], kind="source", progress=False)
    case.analyze(progress=False, index=False)
    case.check(str(SEED_KAZAKH))
    top = case.entities(type="PERSON", limit=1)[0]
    case.rename(top["id"], "Renamed " + top["name"])  # a correction, listed and applied
    return str(case.store.path)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with Case(tmp_path_factory.mktemp("same-sqlite") / "case.db") as sqlite:
        first = build(sqlite)
    with Case(store=postgres_store(Path("."))) as postgres:
        second = build(postgres)
    yield first, second


def without_clock(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_clock(v) for k, v in value.items() if k not in CLOCK_KEYS}
    if isinstance(value, list):
        return [without_clock(v) for v in value]
    return value


def run(db: str, *args: str) -> Any:
    result = CliRunner(mix_stderr=False).invoke(main, ["--db", db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return without_clock(json.loads(result.stdout))


def top_entities(db: str) -> list[str]:
    return [e["name"] for e in run(db, "entities", "--limit", "3")]


COMMANDS = [
    ["docs"],
    ["docs", "--kind", "article"],
    ["log"],
    ["mentions", "--limit", "100000"],
    ["quotes"],
    ["claims"],
    ["claims", "--type", "speculation"],
    ["relations"],
    ["relations", "--typed"],
    ["rhetoric"],
    ["entities"],
    ["entities", "--type", "PERSON", "--limit", "20"],
    ["communities"],
    ["corrections"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_listings_are_the_same(dbs: tuple[str, str], args: list[str]) -> None:
    sqlite, postgres = (run(db, *args) for db in dbs)
    assert sqlite, args
    assert sqlite == postgres


def test_document_profiles_and_checks_are_the_same(dbs: tuple[str, str]) -> None:
    docs = run(dbs[0], "docs")
    for doc in docs:
        assert run(dbs[0], "show", doc["id"]) == run(dbs[1], "show", doc["id"]), doc["path"]
    article = next(d["id"] for d in docs if Path(d["path"]).name == SEED_KAZAKH.name)
    checks = [run(db, "check", article, "--no-save") for db in dbs]
    assert checks[0]["items"] and checks[0] == checks[1]


def test_entity_graph_answers_are_the_same(dbs: tuple[str, str]) -> None:
    names = top_entities(dbs[0])
    assert names == top_entities(dbs[1])
    for name in names:
        for command in (["entity", name], ["neighbors", name], ["timeline", name]):
            assert run(dbs[0], *command) == run(dbs[1], *command), command
    assert run(dbs[0], "path", names[0], names[1]) == run(dbs[1], "path", names[0], names[1])


QUERIES = [
    "Epstein",
    "Clinton Epstein",
    "Nazarbayev OR Acosta",
    "Epstein NOT Nazarbayev",
    '"Jeffrey Epstein"',
    "Epst*",
    '"Jeffrey E"*',
]


@pytest.mark.parametrize("query", QUERIES)
def test_search_gives_the_same_hits_in_the_same_order(dbs: tuple[str, str], query: str) -> None:
    """The same hits, fields, snippets, order and bm25 scores (title weighted above body)."""
    sqlite, postgres = (run(db, "search", query, "--limit", "1000") for db in dbs)
    assert len(sqlite) > 1, query  # an order to compare
    assert len({h["score"] for h in sqlite}) > 1, query  # scores that tell documents apart
    assert sqlite == postgres


@pytest.mark.parametrize("query", QUERIES)
def test_check_candidates_are_ranked_the_same(dbs: tuple[str, str], query: str) -> None:
    """Check's candidate documents (body weighted above title, sources only) alike too."""
    from casegraph.store.documents import fts_query

    with Case(dbs[0]) as sqlite, Case(dbs[1]) as postgres:
        first, second = (c.store.fts_sources(fts_query(query), limit=50) for c in (sqlite, postgres))
    assert first, query
    assert first == second

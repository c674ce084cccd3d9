"""Sources are evidence, articles are claims: on a case holding the first seed article (which
says Epstein had connections with Bill Clinton) and estate documents that name both, `path`
and `neighbors` rest on the estate documents by default and say so for every relation; the
article's own sentences serve only when asked for (--evidence article|all)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import ESTATE, SEED_KAZAKH, new_case_db

MERGED = ESTATE / "Merged Documents"
SOURCES = [
    MERGED / "HOUSE_OVERSIGHT_022213.txt",  # a comment thread: "Jeffrey Epstein, Billy Clinton's buddy"
    MERGED / "HOUSE_OVERSIGHT_031822.txt",  # a Fox News headline e-mailed to Epstein
]


@pytest.fixture(scope="module")
def mixed_case(tmp_path_factory: pytest.TempPathFactory):
    from casegraph.api import Case

    path = new_case_db(tmp_path_factory.mktemp("evidence"))
    case = Case(path)
    case.ingest([str(SEED_KAZAKH)], kind="article")
    case.ingest([str(p) for p in SOURCES], kind="source")
    case.analyze(progress=False, index=False)
    kinds = {r["id"]: r["kind"] for r in case.store.query("SELECT id, kind FROM documents")}
    yield case, kinds, path
    case.close()


def _steps(result: dict) -> list[dict]:
    return [s for p in result["paths"] for s in p["steps"]]


def test_path_rests_on_sources_by_default(mixed_case):
    case, kinds, _ = mixed_case
    result = case.path("Clinton", "Epstein")
    assert result["evidence_kind"] == "source"
    assert result["paths"], "the estate documents connect Clinton and Epstein"
    for step in _steps(result):
        assert step["evidence_kind"] == "source"
        assert step["evidence"] and {kinds[e["doc_id"]] for e in step["evidence"]} == {"source"}
        for other in step["other_relations"]:
            assert other["evidence_kind"] == "source"
    first = result["paths"][0]["steps"][0]["evidence"][0]
    assert "Clinton" in first["text"] and "Epstein" in first["text"]


def test_article_evidence_only_when_asked(mixed_case):
    case, kinds, _ = mixed_case
    claims = case.path("Clinton", "Epstein", evidence="article")
    assert claims["paths"]
    assert {kinds[e["doc_id"]] for s in _steps(claims) for e in s["evidence"]} == {"article"}
    assert {s["evidence_kind"] for s in _steps(claims)} == {"article"}
    everything = case.path("Clinton", "Epstein", evidence="all")
    used = {s["evidence_kind"] for s in _steps(everything)}
    used |= {r["evidence_kind"] for s in _steps(everything) for r in s["other_relations"]}
    assert used == {"source", "article"}  # both kinds, each labelled


def test_neighbors_say_where_each_relation_comes_from(mixed_case):
    case, kinds, _ = mixed_case
    default = case.neighbors("Epstein")
    assert default["evidence_kind"] == "source"
    relations = [r for n in default["neighbors"] for r in n["relations"]]
    assert relations
    for r in relations:
        assert r["evidence_kind"] == "source"
        assert {kinds[e["doc_id"]] for e in r["evidence"]} <= {"source"}
    names = {n["entity"]["name"] for n in case.neighbors("Epstein", evidence="all")["neighbors"]}
    only_in_article = names - {n["entity"]["name"] for n in default["neighbors"]}
    assert "Nursultan Nazarbayev" in only_in_article


def test_cli_evidence_option(mixed_case):
    from casegraph.cli import main

    _, _, path = mixed_case
    runner = CliRunner(mix_stderr=False)
    out = runner.invoke(main, ["--db", str(path), "path", "Clinton", "Epstein", "--json"])
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["evidence_kind"] == "source"
    out = runner.invoke(main, ["--db", str(path), "path", "Clinton", "Epstein", "--evidence", "article"])
    assert out.exit_code == 0 and "(article evidence)" in out.stdout
    bad = runner.invoke(main, ["--db", str(path), "neighbors", "Epstein", "--evidence", "blogs"])
    assert bad.exit_code != 0

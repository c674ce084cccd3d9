"""The graph commands' public JSON shapes, through the real CLI on the analyzed seeds."""

from __future__ import annotations

import json

from click.testing import CliRunner

from casegraph.cli import main
from tests.graph.conftest import copy_db


def run(db, *args):
    result = CliRunner(mix_stderr=False).invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args else result.stdout


def test_entities_and_entity(seeds_db, tmp_path):
    db = copy_db(seeds_db, tmp_path / "c.db")
    rows = run(db, "entities", "--json")
    assert rows and all(set(r) == {"id", "name", "type", "aliases", "mentions", "documents"} for r in rows)
    nazarbayev = next(r for r in rows if r["name"] == "Nursultan Nazarbayev")
    assert (
        nazarbayev["type"] == "PERSON"
        and "Nazarbayev" in nazarbayev["aliases"]
        and nazarbayev["documents"] == 1
    )
    profile = run(db, "entity", "Nazarbayev", "--json")
    assert profile["id"] == nazarbayev["id"]
    assert {"aliases", "mentions_by_document", "relations", "quotes_by", "quotes_about", "events"} <= set(
        profile
    )
    assert run(db, "entity", nazarbayev["id"], "--json")["id"] == nazarbayev["id"]  # ids work too


def test_path_neighbors_timeline_shapes(seeds_db, tmp_path):
    db = copy_db(seeds_db, tmp_path / "c.db")
    # the seeds are articles: their sentences are evidence only when asked for
    result = run(db, "path", "Nazarbayev", "Epstein", "--evidence", "all", "--json")
    assert {"from", "to", "paths", "evidence_kind"} <= set(result)
    assert {"id", "name", "type"} <= set(result["from"])
    step = result["paths"][0]["steps"][0]
    assert {"from", "to", "relation", "evidence"} <= set(step)
    assert {"doc_id", "start", "end", "text"} == set(step["evidence"][0])
    assert "Nursultan Nazarbayev" in run(db, "path", "Nazarbayev", "Epstein", "--evidence", "all")
    neighbours = run(db, "neighbors", "Aliyev", "--evidence", "all", "--json")
    assert neighbours["neighbors"][0]["entity"]["name"] == "Nursultan Nazarbayev"
    assert "events" in run(db, "timeline", "Hunter Biden", "--json")


def test_corrections_from_the_command_line(seeds_db, tmp_path):
    db = copy_db(seeds_db, tmp_path / "c.db")
    joe = run(db, "entity", "Joe Biden", "--json")["id"]
    hunter = run(db, "entity", "Hunter Biden", "--json")["id"]
    correction = run(db, "merge", joe, hunter, "--json")["correction"]
    assert run(db, "entity", "Hunter Biden", "--json")["id"] == joe
    run(db, "resolve", "--json")
    assert run(db, "entity", "Hunter Biden", "--json")["id"] == joe
    run(db, "split", joe, "Hunter Biden", "--json")
    assert run(db, "entity", "Hunter Biden", "--json")["id"] != joe
    run(db, "rename", joe, "Joseph R. Biden", "--json")
    assert run(db, "entity", joe, "--json")["name"] == "Joseph R. Biden"
    listed = run(db, "corrections", "--json")
    assert [c["action"] for c in listed] == ["merge", "split", "rename"]
    run(db, "undo", str(correction), "--json")


def test_unknown_name_is_a_clear_error(seeds_db, tmp_path):
    db = copy_db(seeds_db, tmp_path / "c.db")
    result = CliRunner(mix_stderr=False).invoke(main, ["--db", str(db), "entity", "Zzyzx Qwerty", "--json"])
    assert result.exit_code != 0
    assert "no entity matches" in str(result.exception)


def test_export_command(seeds_db, tmp_path):
    db = copy_db(seeds_db, tmp_path / "c.db")
    out = run(db, "export", "--format", "gexf", str(tmp_path / "g.gexf"), "--json")
    assert out["nodes"] > 10 and (tmp_path / "g.gexf").exists()

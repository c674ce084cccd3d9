"""The --json shapes of the run commands are a public interface: `ingest --json`,
`analyze --json`, `check --json` (and `info --json`) print exactly these keys, on a real
estate e-mail, the production's load file and an article written against that e-mail.
The keys are pinned here by name, and must equal the records of casegraph.models that
declare them (so that the REST API's schema says what the CLI prints)."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any, NotRequired, get_origin, get_type_hints

import pytest
from click.testing import CliRunner

from casegraph import models
from casegraph.cli import main
from tests.conftest import ESTATE, ROOT, new_case_db

EMAIL = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_029859.txt"  # pastes a news story
LOAD_FILE = ESTATE / "HOUSE_OVERSIGHT_009_REPORT.csv"
ARTICLE = ROOT / "examples" / "pasted_story_article.txt"  # written against EMAIL
HEDGED = (
    "The documents suggest that Epstein probably paid far more than $5.5 million to settle the lawsuits.\n"
)


def keys(record: Any) -> set[str]:
    """Every key a TypedDict record declares, required or not."""
    return set(get_type_hints(record))


def required(record: Any) -> set[str]:
    """The keys a record always has (models.py's annotations are strings: resolve them)."""
    hints = get_type_hints(record, include_extras=True)
    return {k for k, v in hints.items() if get_origin(v) is not NotRequired}


def run(*args: str) -> Any:
    result = CliRunner(mix_stderr=False).invoke(main, list(args))
    assert result.exit_code == 0, result.stderr or str(result.exception)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not EMAIL.is_file() or not LOAD_FILE.is_file():
        pytest.skip(f"the estate corpus is not at {ESTATE}")
    folder = tmp_path_factory.mktemp("shapes")
    db = str(new_case_db(folder))
    empty = folder / "empty.txt"
    empty.write_text("", encoding="utf-8")  # skipped: an ingest error with its reason
    article = folder / "article.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8") + "\n" + HEDGED, encoding="utf-8")
    out = {
        "ingest": run("--db", db, "ingest", str(EMAIL), str(LOAD_FILE), str(empty), "--json"),
        "analyze": run("--db", db, "analyze", "--json"),
        "check": run("--db", db, "check", str(article), "--json"),
        "info": run("--db", db, "info", "--json"),
        "entity": run("--db", db, "entity", "Epstein", "--json"),
    }
    out["stored"] = run("--db", db, "check", out["check"]["article"]["id"], "--json", "--no-save")
    out["db"] = db
    return out


def test_ingest_json_keys(outputs: dict[str, Any]) -> None:
    out = outputs["ingest"]
    assert set(out) == {"counts", "errors", "documents", "files", "elapsed_s", "corpus"}
    assert required(models.IngestSummary) <= set(out) <= keys(models.IngestSummary)
    assert set(out["counts"]) == {"ingested", "duplicate", "skipped", "failed", "unchanged"}
    assert out["counts"]["ingested"] == 2 and out["counts"]["skipped"] == 1 and out["files"] == 3
    assert [set(e) for e in out["errors"]] == [{"path", "status", "reason"}] == [keys(models.FileProblem)]
    assert out["errors"][0]["path"].endswith("empty.txt") and out["errors"][0]["status"] == "skipped"
    corpus = {"near_duplicate_links", "boilerplate_lines", "line_threshold", "paragraphs_marked"}
    assert set(out["corpus"]) == corpus == keys(models.CorpusPassSummary)


def test_analyze_json_keys(outputs: dict[str, Any]) -> None:
    from casegraph.search.index import IndexSummary

    out = outputs["analyze"]
    assert set(out) == {
        "model",
        "documents",
        "failed",
        "words",
        "seconds",
        "words_per_second",
        "planned",
        "index",
        "resolve",
    }
    assert required(models.AnalyzeSummary) <= set(out) <= keys(models.AnalyzeSummary)
    assert out["documents"] == out["planned"] == 1 and out["words"] > 1000 and out["failed"] == []
    index = {"documents", "sentences", "embedded", "seconds", "sentences_per_second", "model"}
    # the index's own summary and its record agree: a field added there must be added here
    assert (
        set(out["index"])
        == index
        == required(models.SentenceIndexSummary)
        == {f.name for f in fields(IndexSummary)}
    )
    # what a Dask run adds (casegraph.scale.embed) is declared too
    assert keys(models.SentenceIndexSummary) - index == {"workers", "tasks", "failed"}
    assert out["index"]["sentences"] > 0
    assert {"mentions", "entities", "edges"} <= set(out["resolve"])
    assert all(isinstance(v, (int, float, str)) for v in out["resolve"].values())  # models.ResolveSummary


def test_info_json_keys(outputs: dict[str, Any]) -> None:
    out = outputs["info"]
    assert set(out) == keys(models.AnalysisInfo)
    assert set(out["learned"]) == {"checkworthiness", "rhetoric"} == keys(models.LearnedModels)
    assert [set(r) for r in out["analyses"]] == [{"model", "version", "status", "documents", "words"}]
    assert set(out["analyses"][0]) == keys(models.AnalysisRun) and out["analyses"][0]["documents"] == 2


def test_entity_json_keys(outputs: dict[str, Any]) -> None:
    profile = outputs["entity"]
    assert set(profile) == {
        "id",
        "name",
        "type",
        "aliases",
        "mentions",
        "documents",
        "emails",
        "labels",
        "reasons",
        "corrections",
        "mentions_by_document",
        "relations",
        "quotes_by",
        "quotes_about",
        "events",
    }
    assert set(profile) == keys(models.EntityProfile) and profile["name"] == "Jeffrey Epstein"
    assert profile["mentions_by_document"] and profile["relations"] and profile["quotes_about"]
    for doc in profile["mentions_by_document"]:
        assert set(doc) == {"doc_id", "title", "date", "path", "mentions"} == keys(models.MentionsInDocument)
        assert all(
            set(m) == {"start", "end", "text", "label"} == keys(models.MentionSpan) for m in doc["mentions"]
        )
    assert all(set(n) == keys(models.Neighbor) for n in profile["relations"])
    assert all(set(q) == keys(models.QuoteSpan) for q in profile["quotes_by"] + profile["quotes_about"])
    assert all(set(e) == keys(models.TimelineEvent) for e in profile["events"])


def test_check_json_keys(outputs: dict[str, Any]) -> None:
    report = outputs["check"]
    assert set(report) == {"article", "summary", "items", "thresholds", "check"} == keys(models.CheckReport)
    assert set(report["article"]) == {"id", "title", "path"} == keys(models.CheckArticle)
    statuses = {"supported", "paraphrased", "misattributed", "contradicted", "not_found"}
    summary = {"items", "quotes", "claims", "speculative", "speculation_share", "speculative_not_found"}
    assert set(report["summary"]) == summary | statuses | {"sources", "seconds"} == keys(models.CheckSummary)
    thresholds = {"support", "verbatim", "min_checkworthiness", "verifier_support"}
    assert set(report["thresholds"]) == thresholds == keys(models.CheckThresholds)
    assert set(report["check"]) == {"id"}
    item_keys = {"kind", "text", "start", "end", "status", "score", "reason", "evidence"}
    item_keys |= {"speaker", "searched", "context"}
    evidence_keys = {"doc_id", "path", "title", "bates", "start", "end", "text", "date"}
    evidence_keys |= {"speaker", "speaker_entity", "speaker_source", "speaker_said_as", "speaker_resolved"}
    evidence_keys |= {"role", "score", "cosine", "lexical", "verbatim"}
    context_keys = {"claim_type", "checkworthiness", "about_documents", "speculative", "hedges", "boosters"}
    context_keys |= {"rhetoric"}
    items = report["items"]
    assert {i["status"] for i in items} == statuses  # the example shows every verdict
    for item in items:
        assert set(item) == item_keys == keys(models.CheckedItem)
        assert set(item["searched"]) == {"terms", "names", "documents"} == keys(models.Searched)
        assert set(item["context"]) == context_keys == keys(models.ItemContext)
        if item["speaker"] is not None:
            assert set(item["speaker"]) == {"name", "entity_id", "text"} == keys(models.ArticleSpeaker)
        for ev in item["evidence"]:
            assert set(ev) == evidence_keys == keys(models.VerdictEvidence)
        for cue in item["context"]["hedges"] + item["context"]["boosters"]:
            assert set(cue) == {"start", "end", "text"} == keys(models.Cue)
        for r in item["context"]["rhetoric"]:
            assert set(r) == {"start", "end", "text", "technique", "score"} == keys(models.RhetoricSpan)
    assert any(i["evidence"] for i in items) and any(i["speaker"] for i in items)
    assert any(i["context"]["rhetoric"] for i in items)
    hedged = [i for i in items if "probably" in i["text"]]
    assert hedged and [h["text"] for h in hedged[0]["context"]["hedges"]] == ["probably"]


def test_stored_report_has_the_same_shape(outputs: dict[str, Any]) -> None:
    """`check ID --json` of a checked article gives the same items; the stored report read
    back (/api/checks/ID) says when it was stored."""
    from casegraph.api import Case

    report, again = outputs["check"], outputs["stored"]
    assert set(again) == set(report) - {"check"} == required(models.CheckReport)
    assert [(i["start"], i["end"], i["status"]) for i in again["items"]] == [
        (i["start"], i["end"], i["status"]) for i in report["items"]
    ]
    with Case(outputs["db"]) as case:
        stored = case.check_report(report["article"]["id"])
    assert set(stored["check"]) == {"id", "created_at"} == keys(models.CheckStamp)
    assert stored["check"]["id"] == report["check"]["id"]
    assert json.dumps(stored["items"], sort_keys=True) == json.dumps(report["items"], sort_keys=True)

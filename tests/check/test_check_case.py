"""End to end on real text: an article reproducing sentences of an estate document verbatim,
in other words, in another person's mouth, with a number changed, plus a claim with no
source; ingested, analyzed and checked with the real pipeline."""

from __future__ import annotations

import json

from tests.check.conftest import item_with


def _evidence_docs(item: dict) -> set[str]:
    return {e["doc_id"] for e in item["evidence"]}


def test_verbatim_quote_is_supported_by_its_document(checked_case):
    _, report, source_id, _ = checked_case
    quotes = [
        i
        for i in report["items"]
        if i["kind"] == "quote"
        and "cut a deal" in i["text"]
        and "Hamilton" in (i["speaker"] or {}).get("text", "")
    ]
    assert quotes, [(i["text"], i["speaker"]) for i in report["items"]]
    item = quotes[0]
    assert item["status"] == "supported", item
    assert source_id in _evidence_docs(item)
    ev = item["evidence"][0]
    assert "cut a deal which they have to know was a failure" in " ".join(ev["text"].split())
    assert ev["speaker"] and "Hamilton" in ev["speaker"]


def test_words_put_in_another_mouth_are_misattributed(checked_case):
    _, report, source_id, _ = checked_case
    items = [
        i
        for i in report["items"]
        if i["kind"] == "quote" and (i["speaker"] or {}).get("text", "").endswith("Dershowitz")
    ]
    assert items, [(i["text"], i["speaker"]) for i in report["items"]]
    item = items[0]
    assert item["status"] == "misattributed", item
    assert source_id in _evidence_docs(item)
    assert "Hamilton" in item["reason"] and "Dershowitz" in item["reason"]


def test_paraphrased_indirect_speech_is_paraphrased(checked_case):
    _, report, source_id, _ = checked_case
    item = item_with(report, "not been taken lightly")
    assert item["status"] == "paraphrased", item
    assert source_id in _evidence_docs(item)
    assert "rancorous internal" in " ".join(item["evidence"][0]["text"].split())


def test_back_translated_quote_is_matched_to_its_source(checked_case):
    """Clauses swapped and words replaced, as in an article translated from another language."""
    _, report, source_id, _ = checked_case
    item = item_with(report, "much tougher conditions")
    assert item["status"] == "paraphrased", item
    assert source_id in _evidence_docs(item)
    assert "much harsher terms" in " ".join(item["evidence"][0]["text"].split())


def test_changed_number_is_contradicted(checked_case):
    _, report, source_id, _ = checked_case
    item = item_with(report, "50 members of Congress")
    assert item["status"] == "contradicted", item
    assert item["evidence"][0]["doc_id"] == source_id
    assert "30 members" in item["evidence"][0]["text"]
    assert "50" in item["reason"] and "30" in item["reason"]


def test_claim_without_source_is_not_found_and_says_what_was_searched(checked_case):
    _, report, _, _ = checked_case
    item = item_with(report, "vineyard on the Moon")
    assert item["status"] == "not_found", item
    assert item["evidence"] == []
    assert "vineyard" in item["reason"] and "searched" in item["reason"]
    assert item["context"]["about_documents"] is True


def test_report_shape_summary_and_storage(checked_case):
    case, report, _, _article = checked_case
    assert set(report) >= {"article", "summary", "items"}
    assert set(report["article"]) >= {"id", "title"}
    for item in report["items"]:
        assert set(item) >= {"kind", "text", "start", "end", "status", "score", "reason", "evidence"}
        assert item["kind"] in ("quote", "claim") and 0.0 <= item["score"] <= 1.0 and item["reason"]
        for ev in item["evidence"]:
            assert set(ev) >= {"doc_id", "path", "title", "start", "end", "text", "speaker", "date"}
            doc = case.store.get_document(ev["doc_id"])
            assert doc["text"][ev["start"] : ev["end"]] == ev["text"]  # provenance: a real span
        article_text = case.store.get_document(report["article"]["id"])["text"]
        assert article_text[item["start"] : item["end"]] == item["text"]
    s = report["summary"]
    counted = sum(s[k] for k in ("supported", "paraphrased", "misattributed", "contradicted", "not_found"))
    assert counted == s["items"] == len(report["items"])
    stored = case.check_report(report["article"]["id"])
    assert json.dumps(stored["items"], sort_keys=True) == json.dumps(report["items"], sort_keys=True)


def test_cli_writes_html_and_prints_the_summary(checked_case, tmp_path):
    from click.testing import CliRunner

    from casegraph.cli import main

    case, report, _, _ = checked_case
    out = tmp_path / "report.html"
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(
        main, ["--db", case.store.path, "check", report["article"]["id"], "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert "misattributed" in result.stdout and f"report written to {out}" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Marci Hamilton" in page
    as_json = runner.invoke(
        main, ["--db", case.store.path, "check", report["article"]["id"], "--no-save", "--json"]
    )
    assert as_json.exit_code == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert [i["status"] for i in data["items"]] == [i["status"] for i in report["items"]]
    missing = runner.invoke(main, ["--db", case.store.path, "check", "no-such-article"])
    assert missing.exit_code != 0

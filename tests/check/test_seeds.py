"""The seed articles checked against the estate documents that share their subject (every
estate document naming Biden, Kazakhstan, Nazarbayev, Massimov or Tokayev)."""

from __future__ import annotations

import re

import pytest

from casegraph.check.report import summary_line, to_html
from tests.conftest import ESTATE, SEED_BIDEN, SEED_KAZAKH, new_case_db

SUBJECT = re.compile(r"Biden|Kazakh|Nazarbayev|Massimov|Masimov|Tokayev|Aliyev", re.IGNORECASE)


@pytest.fixture(scope="module")
def seed_case(tmp_path_factory: pytest.TempPathFactory):
    from casegraph.api import Case

    sources = [
        p
        for p in sorted((ESTATE / "Merged Documents").glob("*.txt"))
        if SUBJECT.search(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert len(sources) >= 20
    case = Case(new_case_db(tmp_path_factory.mktemp("seeds")))
    case.ingest([str(p) for p in sources], kind="source")
    yield case
    case.close()


def test_biden_seed_claims_are_mostly_not_found(seed_case):
    report = seed_case.check(str(SEED_BIDEN))
    items = report["items"]
    assert len(items) >= 10
    about = [i for i in items if re.search(r"Biden|Massimov|Rakishev", i["text"])]
    assert about, "the claims about the Bidens and Massimov should be checked"
    assert all(i["status"] in ("not_found", "misattributed", "contradicted") for i in about), [
        (i["status"], i["text"][:60], i["reason"])
        for i in about
        if i["status"] in ("supported", "paraphrased")
    ]
    assert report["summary"]["not_found"] >= 0.8 * len(items)
    # hedged speculation is flagged as such, and none of it has a source
    assert report["summary"]["speculative"] >= 2
    assert report["summary"]["speculative_not_found"] == report["summary"]["speculative"]
    speculative = [i for i in items if i["context"]["speculative"]]
    assert any("may have sensitive information" in i["text"] for i in speculative)


def test_kazakh_seed_report_lists_its_quotes_with_speakers(seed_case):
    report = seed_case.check(str(SEED_KAZAKH))
    quotes = [i for i in report["items"] if i["kind"] == "quote"]
    assert len(quotes) >= 3
    assert any("two billion dollars" in q["text"] for q in quotes)
    assert any((q["speaker"] or {}).get("name", "").endswith("Epstein") for q in quotes)
    # "the Epstein materials state that …" is checked as a claim about the documents
    assert any(i["context"]["about_documents"] and "materials state" in i["text"] for i in report["items"])
    # names the sources never mention are said in the reason
    assert any(
        "no source document names" in i["reason"] and "Nazarbayev" in i["reason"] for i in report["items"]
    )
    for item in report["items"]:
        if item["status"] == "not_found":
            assert item["reason"].startswith("searched") and item["searched"]["documents"] >= 0
    assert report["article"]["id"] in summary_line(report) or report["article"]["title"][:20] in summary_line(
        report
    )
    assert "<section" in to_html(report)

"""The estate production: OCR text, structured e-mails, iMessage, the load file in either
order, Bates lookups, boilerplate, near-duplicates, re-runs and the --max-files sample."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from conftest_paths import ESTATE, SEED_KAZAKH, SEEDS

from casegraph.cli import main
from tests.conftest import new_case_db

MERGED = ESTATE / "Merged Documents"
LOAD_FILE = ESTATE / "HOUSE_OVERSIGHT_009_REPORT.csv"
EMAIL = ESTATE / "Emails" / "HOUSE_OVERSIGHT_011277.json"
PATTERSON = MERGED / "HOUSE_OVERSIGHT_010486 - James Patterson 3_4.txt"


def _sample(n: int) -> list:
    return sorted(MERGED.iterdir())[:n]


def _bates(case, bates):
    return case.show(bates)


def test_load_file_applies_whichever_comes_first(case, ingest, tmp_path):
    from casegraph.api import Case

    ingest(PATTERSON)
    ingest(LOAD_FILE)
    after = _bates(case, "HOUSE_OVERSIGHT_010486")
    with Case(new_case_db(tmp_path, "other.db")) as other:
        from casegraph.ingest.pipeline import ingest_paths

        ingest_paths(other.store, [str(LOAD_FILE)], progress=False)
        ingest_paths(other.store, [str(PATTERSON)], progress=False)
        before = other.show("HOUSE_OVERSIGHT_010486")
    for doc in (after, before):
        assert doc["meta"]["bates_end"] == "HOUSE_OVERSIGHT_010559"
        assert doc["custodian"] == "Epstein, Jeffrey"
        assert doc["meta"]["original_filename"] == "James Patterson 3_4.pdf"
        assert doc["meta"]["load_file"]["md5"] == "8cd6392a61f13126d0dac4a35445a42f"
        assert doc["date"] == "2016-09-28"
        assert doc["title"] == "James Patterson 3_4"
    assert after["meta"] == before["meta"]
    logged = {r["path"]: r for r in case.ingest_log()}
    assert logged[str(LOAD_FILE)]["status"] == "ingested"
    assert (
        logged[str(LOAD_FILE)]["reason"] == "load file: 2897 rows"
        and logged[str(LOAD_FILE)]["doc_id"] is None
    )


def test_estate_email_json_follows_the_email_contract(case, ingest):
    ingest(ESTATE / "Emails")
    skipped = {e["path"].rsplit("/", 1)[-1] for e in case.ingest_log("skipped")}
    assert skipped == {"!email_schema.json", "!email_example.json"}
    doc = case.store.documents_by_bates("HOUSE_OVERSIGHT_011277")[0]
    doc = case.show(doc["id"])
    assert doc["text"].startswith(
        "From: Ens, Amanda <[REDACTED]>\nTo: Jeffrey E. <jeevacation@gmail.com>, Rich Kahn <[REDACTED]>\n"
        "Cc:\nDate: 2016-12-09T15:46:19Z\nSubject: RE: Financials: buy XLF call spreads\n\nWe continue"
    )
    assert doc["meta"]["email_from"] == {"name": "Ens, Amanda", "address": "[REDACTED]"}
    assert doc["meta"]["email_to"][1] == {"name": "Rich Kahn", "address": "[REDACTED]"}
    assert doc["meta"]["subject"] == "RE: Financials: buy XLF call spreads"
    assert doc["date"] == "2016-12-09T15:46:19Z" and doc["mime"] == "message/rfc822+json"
    assert "-----Original Message-----\nFrom: Ens, Amanda <[REDACTED]>" in doc["text"]


def test_ocr_email_headers_are_read_into_email_meta(case, ingest):
    ingest(MERGED / "HOUSE_OVERSIGHT_011277.txt", MERGED / "HOUSE_OVERSIGHT_010477.txt")
    doc = case.show("HOUSE_OVERSIGHT_011277")
    meta = doc["meta"]
    assert meta["email_header"] == "ocr"
    assert meta["email_from"] == {"name": "Ens, Amand", "address": ""}
    assert meta["email_to"] == [
        {"name": "jeffrey E.", "address": "jeeyacation@gmail.com"},
        {"name": "Rich Kahn", "address": ""},
    ]
    assert meta["subject"] == "RE: Financials: buy XLF call spreads" == doc["title"]
    assert doc["date"] == "2016-12-09T15:46:19"
    assert doc["text"].startswith("From: Ens, Amand\nSent: 12/9/2016 3:46:19 PM")  # the text is kept
    assert "email_from" not in case.show("HOUSE_OVERSIGHT_010477")["meta"]  # a book excerpt is no e-mail


def test_imessage_transcript(case, ingest):
    ingest(ESTATE / "iMessage Transcripts" / "2018-11-11_chat_transcript.md")
    doc = case.show(case.docs()[0]["id"])
    assert doc["meta"]["bates_begin"] == "HOUSE_OVERSIGHT_027460"
    assert "[2018-11-12 09:11:49] Unknown: If get there@ 1230 r u free??" in doc["text"]
    assert doc["date"] == "2018-11-11T18:24:28" and doc["meta"]["service"] == "iMessage"
    paragraphs = case.store.segments(doc["id"], "paragraph")
    assert len(paragraphs) == doc["meta"]["messages"] + 1


def test_show_by_bates_and_page_stamps_split_pages(case, ingest):
    ingest(MERGED / "HOUSE_OVERSIGHT_010477.txt")
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--db", str(case.store.path), "show", "HOUSE_OVERSIGHT_010477", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["meta"]["bates_begin"] == "HOUSE_OVERSIGHT_010477"
    pages = case.store.segments(doc["id"], "page")
    assert doc["pages"] == len(pages) >= 9
    assert doc["text"][pages[0]["start"] : pages[0]["end"]].endswith("HOUSE OVERSIGHT 010477")


def test_boilerplate_on_estate_documents(case, ingest):
    summary = ingest(*_sample(60))
    lines = [b["text"] for b in case.store.boilerplate_lines()]
    assert any(line.startswith("HOUSE OVERSIGHT") for line in lines)
    assert summary["corpus"]["paragraphs_marked"] > 0
    doc = case.show("HOUSE_OVERSIGHT_010477")
    flagged = [p for p in case.store.segments(doc["id"], "paragraph") if p["boilerplate"]]
    texts = [doc["text"][p["start"] : p["end"]] for p in flagged]
    assert "HOUSE OVERSIGHT 010478" in texts
    sentences = [
        doc["text"][x["start"] : x["end"]]
        for x in case.store.segments(doc["id"], "sentence")
        if x["boilerplate"]
    ]
    assert "HOUSE OVERSIGHT 010478" in sentences
    # real content is not flagged
    unflagged = [p for p in case.store.segments(doc["id"], "paragraph") if not p["boilerplate"]]
    assert len(unflagged) > len(flagged)


def test_near_duplicates_are_linked_not_dropped(case, ingest, tmp_path):
    text = SEED_KAZAKH.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        text.replace("Orda.kz investigated", "Orda.kz has investigated"), encoding="utf-8"
    )
    shutil.copy(SEEDS / "002_bc91926ff72eec43.txt", tmp_path / "c.txt")
    ingest(tmp_path)
    ids = {d["path"].rsplit("/", 1)[-1]: d["id"] for d in case.docs()}
    assert len(ids) == 3
    near = case.show(ids["a.txt"])["near_duplicates"]
    assert [n["doc_id"] for n in near] == [ids["b.txt"]] and near[0]["similarity"] > 0.9
    assert case.show(ids["c.txt"])["near_duplicates"] == []


def test_exact_duplicates_and_re_runs_change_nothing(case, ingest, tmp_path):
    shutil.copy(SEED_KAZAKH, tmp_path / "one.txt")
    shutil.copy(SEED_KAZAKH, tmp_path / "copy.txt")
    first = ingest(tmp_path)
    assert first["counts"]["ingested"] == 1 and first["counts"]["duplicate"] == 1
    doc = case.docs()[0]
    assert doc["id"] == doc["sha256"][:16]
    assert sorted(p.rsplit("/", 1)[-1] for p in case.show(doc["id"])["paths"]) == ["copy.txt", "one.txt"]
    before = (case.store.counts(), case.store.query("SELECT * FROM segments ORDER BY doc_id, kind, number"))
    second = ingest(tmp_path)
    assert second["counts"]["unchanged"] == 2 and second["counts"]["ingested"] == 0
    assert (
        case.store.counts(),
        case.store.query("SELECT * FROM segments ORDER BY doc_id, kind, number"),
    ) == before


def test_search_ranks_snippets_and_filters(case, ingest):
    ingest(SEEDS, kind="article")
    ingest(EMAIL, LOAD_FILE, *_sample(5))
    hits = case.search("Nazarbayev")
    assert hits and hits[0]["path"].endswith("000_91a462219fb05cc3.txt")
    assert "[Nazarbayev]" in hits[0]["snippet"]
    assert all(hits[i]["score"] >= hits[i + 1]["score"] for i in range(len(hits) - 1))
    assert case.search("Nazarbayev", kind="source") == []
    xlf = case.search("XLF call spreads", kind="source")
    assert xlf and xlf[0]["doc_id"] == case.store.documents_by_bates("HOUSE_OVERSIGHT_011277")[0]["id"]
    assert case.search("XLF", date_from="2016-12-01", date_to="2016-12") != []
    assert case.search("XLF", date_to="2015") == []
    assert case.search("financials", custodian="Epstein") != []
    assert {h["doc_id"] for h in case.search("XLF", mime="email")} == {xlf[0]["doc_id"]}
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--db", str(case.store.path), "search", "Nazarbayev", "--json"]
    )
    rows = json.loads(result.output)
    assert set(rows[0]) >= {"doc_id", "path", "title", "score", "snippet"}


def test_max_files_takes_a_sorted_sample_and_always_applies_load_files(case, tmp_path):
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--db", str(case.store.path), "ingest", str(ESTATE), "--max-files", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["files"] == 7  # two load files + five others (of which the two e-mail schema files)
    assert "!email_schema.json: e-mail schema or example file" in result.stderr
    docs = json.loads(
        CliRunner(mix_stderr=False).invoke(main, ["--db", str(case.store.path), "docs", "--json"]).output
    )
    assert len(docs) == 3
    assert [d["meta"]["bates_begin"] for d in docs] == [
        "HOUSE_OVERSIGHT_011277",
        "HOUSE_OVERSIGHT_011280",
        "HOUSE_OVERSIGHT_011904",
    ]
    for d in docs:
        assert set(d) >= {"id", "path", "title", "kind", "parent_id", "sha256", "lang", "meta"}
    assert all(d["meta"].get("bates_end") and d["custodian"] for d in docs)

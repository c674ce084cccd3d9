"""Every format and every kind of bad input, on files the tests generate."""

from __future__ import annotations

import pytest
import samples
from conftest import ocr_tools

from casegraph.ingest.segment import PAGE_STAMP


def _doc(case, suffix):
    docs = [d for d in case.docs() if d["path"].endswith(suffix)]
    assert len(docs) == 1, [d["path"] for d in case.docs()]
    return case.show(docs[0]["id"])


def test_html_keeps_main_text_and_metadata_drops_navigation_and_scripts(case, ingest, tmp_path):
    ingest(samples.html_file(tmp_path / "page.html"))
    doc = _doc(case, "page.html")
    assert doc["mime"] == "text/html"
    assert doc["title"].startswith("Epstein papers name Kazakh elite")
    assert doc["author"] == "Anna Reporter"
    assert doc["date"] == "2025-11-20"
    assert "Rakhat Aliyev, the former son-in-law" in doc["text"]
    for junk in ("SECRET_TRACKING_CODE", "INJECTED_SCRIPT_TEXT", "Subscribe now", "Cookie settings"):
        assert junk not in doc["text"]


def test_text_pdf_has_one_page_segment_per_page(case, ingest, tmp_path):
    samples.text_pdf(
        tmp_path / "two.pdf", ["Nazarbayev met the envoy in Astana.", "Rakhat Aliyev moved to Vienna."]
    )
    ingest(tmp_path / "two.pdf")
    doc = _doc(case, "two.pdf")
    pages = case.store.segments(doc["id"], "page")
    assert [doc["text"][p["start"] : p["end"]] for p in pages] == [
        "Nazarbayev met the envoy in Astana.",
        "Rakhat Aliyev moved to Vienna.",
    ]
    assert doc["mime"] == "application/pdf" and doc["meta"]["pages"] == 2


@pytest.mark.skipif(not ocr_tools(), reason="tesseract-ocr / poppler-utils not installed")
def test_scanned_pdf_is_read_by_ocr_only_when_asked(case, ingest, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    samples.scanned_pdf(folder / "scan.pdf", "The Southern Trust Company paid the consultant.", tmp_path)
    first = ingest(folder)
    assert first["counts"]["skipped"] == 1 and "--ocr" in first["errors"][0]["reason"]
    second = ingest(folder, ocr=True)
    assert second["counts"]["ingested"] == 1
    doc = _doc(case, "scan.pdf")
    assert "Southern Trust Company" in doc["text"] and doc["meta"]["ocr_pages"] == 1


def test_eml_follows_the_email_contract(case, ingest, tmp_path):
    (tmp_path / "m.eml").write_bytes(
        samples.eml_bytes("Financials", "We see upside in financials.", html="<p>ignored <b>html</b></p>")
    )
    ingest(tmp_path / "m.eml")
    doc = _doc(case, "m.eml")
    assert doc["text"].startswith(
        "From: Rich Kahn <rkahn@example.com>\nTo: Jeffrey E. <jeevacation@gmail.com>, [REDACTED]\n"
        "Cc: Ghislaine Maxwell <gmax@example.org>\nDate: 2016-12-09T15:46:19+00:00\nSubject: Financials\n\n"
        "We see upside in financials."
    )
    meta = doc["meta"]
    assert meta["email_from"] == {"name": "Rich Kahn", "address": "rkahn@example.com"}
    assert {"name": "", "address": "[REDACTED]"} in meta["email_to"]
    assert meta["email_cc"] == [{"name": "Ghislaine Maxwell", "address": "gmax@example.org"}]
    assert (
        meta["email_bcc"] == []
        and meta["subject"] == "Financials"
        and meta["message_id"].endswith("@example.com>")
    )
    assert doc["date"] == "2016-12-09T15:46:19+00:00"


def test_mbox_messages_are_documents_and_attachments_children(case, ingest, tmp_path):
    summary = ingest(samples.mbox_file(tmp_path / "box.mbox"))
    assert summary["counts"]["failed"] == 0
    wire = _doc(case, "box.mbox!2")
    assert wire["meta"]["subject"] == "Wire transfer"
    ledger = _doc(case, "box.mbox!2/ledger.txt")
    assert ledger["parent_id"] == wire["id"]
    assert "Southern Trust Company ledger" in ledger["text"]
    assert _doc(case, "box.mbox!1")["meta"]["subject"] == "Dinner in Paris"


def test_attached_message_becomes_a_child_email(case, ingest, tmp_path):
    from email import message_from_bytes, policy

    inner = message_from_bytes(
        samples.eml_bytes("Inner memo", "The inner message about Cyprus."), policy=policy.default
    )
    outer = message_from_bytes(
        samples.eml_bytes("Fwd: memo", "See the attached message."), policy=policy.default
    )
    outer.add_attachment(inner)
    (tmp_path / "fwd.eml").write_bytes(bytes(outer))
    ingest(tmp_path / "fwd.eml")
    parent = _doc(case, "fwd.eml")
    assert "Cyprus" not in parent["text"]
    children = [d for d in case.docs() if d["parent_id"] == parent["id"]]
    assert len(children) == 1 and children[0]["meta"]["subject"] == "Inner memo"
    assert case.show(children[0]["id"])["text"].startswith("From: Rich Kahn <rkahn@example.com>\nTo:")


def test_docx_paragraphs_tables_and_properties(case, ingest, tmp_path):
    ingest(samples.docx_file(tmp_path / "memo.docx"))
    doc = _doc(case, "memo.docx")
    assert doc["title"] == "Memo on the Kazakh delegation" and doc["author"] == "Jane Analyst"
    assert "Kenes Rakishev | businessman" in doc["text"]
    assert "Rakhat Aliyev, the former son-in-law" in doc["text"]


def test_zip_members_nested_archives_and_refused_escapes(case, ingest, tmp_path):
    summary = ingest(samples.zip_with_escape(tmp_path / "a.zip"))
    archive = _doc(case, "a.zip")
    memo = _doc(case, "a.zip!docs/memo.txt")
    assert memo["parent_id"] == archive["id"]
    inner = _doc(case, "a.zip!nested.zip!inner.txt")
    assert inner["parent_id"] == _doc(case, "a.zip!nested.zip")["id"]
    reasons = {e["path"]: e["reason"] for e in summary["errors"]}
    assert "escapes the archive folder" in reasons[f"{tmp_path}/a.zip!../evil.txt"]
    assert "absolute member path" in reasons[f"{tmp_path}/a.zip!etc/absolute.txt"]
    assert not any("evil" in d["path"] or "absolute" in d["path"] for d in case.docs())


def test_tar_members_and_escape(case, ingest, tmp_path):
    summary = ingest(samples.tar_file(tmp_path / "t.tar.gz"))
    assert "Cyprus" in _doc(case, "t.tar.gz!a/report.txt")["text"]
    assert [e["status"] for e in summary["errors"]] == ["skipped"]


def test_zip_bomb_is_refused(case, ingest, tmp_path):
    summary = ingest(samples.zip_bomb(tmp_path / "bomb.zip"))
    assert summary["counts"] == {"ingested": 0, "duplicate": 0, "skipped": 1, "failed": 0, "unchanged": 0}
    assert "zip bomb refused" in summary["errors"][0]["reason"]
    assert case.docs() == []


def test_member_read_limit_catches_lying_sizes(case, ingest, tmp_path):
    from casegraph.ingest.source import Limits

    summary = ingest(
        samples.zip_bomb(tmp_path / "b.zip", size=3 << 20), limits=Limits(max_member_size=1 << 20)
    )
    assert summary["counts"]["skipped"] == 1


def test_encodings_and_mojibake_are_repaired(case, ingest, tmp_path):
    text = "Caf\u00e9 \u201cquoted\u201d na\u00efve r\u00e9sum\u00e9 \u2014 the Minister of Foreign Affairs said."
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes(
        "S\u00e3o Paulo, d\u00e9j\u00e0 vu, se\u00f1or Garc\u00eda.".encode("latin-1")
    )
    moji = "Caf\u00e9 d\u00e9j\u00e0 vu \u2014 na\u00efve r\u00e9sum\u00e9, the minister said."
    (tmp_path / "moji.txt").write_bytes(moji.encode("utf-8").decode("cp1252").encode("utf-8"))
    ingest(tmp_path)
    assert _doc(case, "cp1252.txt")["text"] == text
    assert _doc(case, "latin1.txt")["text"] == "S\u00e3o Paulo, d\u00e9j\u00e0 vu, se\u00f1or Garc\u00eda."
    assert _doc(case, "moji.txt")["text"] == moji


def test_bad_files_are_reported_with_path_and_reason_and_the_run_goes_on(case, ingest, tmp_path, capsys):
    bad = samples.bad_files(tmp_path / "bad")
    (tmp_path / "bad" / "good.txt").write_text("A perfectly good note about the Kazakh delegation.")
    summary = ingest(tmp_path / "bad")
    by_path = {e["path"]: e for e in summary["errors"]}
    assert by_path[str(bad["empty"])]["reason"] == "empty file"
    assert by_path[str(bad["encrypted"])]["reason"] == "password-protected PDF"
    assert by_path[str(bad["truncated"])]["status"] == "failed"
    assert "truncated" in by_path[str(bad["truncated"])]["reason"]
    assert "unknown file type" in by_path[str(bad["unknown"])]["reason"]
    assert summary["counts"]["ingested"] == 1 and summary["counts"]["skipped"] == 3
    err = capsys.readouterr().err
    assert f"{bad['encrypted']}: password-protected PDF" in err
    assert case.ingest_log("failed")[0]["path"] == str(bad["truncated"])


def test_type_comes_from_content_not_extension(case, ingest, tmp_path):
    samples.text_pdf(tmp_path / "really-a-pdf.txt", ["Hidden PDF about the embassy in Vienna."])
    samples.html_file(tmp_path / "page.dat")
    ingest(tmp_path)
    assert _doc(case, "really-a-pdf.txt")["mime"] == "application/pdf"
    assert _doc(case, "page.dat")["mime"] == "text/html"


def test_segments_are_offsets_into_the_normalised_text(case, ingest, corpus):
    from conftest_paths import SEED_KAZAKH

    ingest(SEED_KAZAKH, kind="article")
    doc = case.docs()[0]
    text = case.show(doc["id"])["text"]
    paragraphs = case.store.segments(doc["id"], "paragraph")
    sentences = case.store.segments(doc["id"], "sentence")
    assert len(paragraphs) >= 5 and len(sentences) > len(paragraphs)
    for seg in paragraphs + sentences:
        piece = text[seg["start"] : seg["end"]]
        assert piece and piece == piece.strip()
    first = text[sentences[0]["start"] : sentences[0]["end"]]
    assert first.startswith("The name of Nursultan Nazarbayev") and first.endswith("convicted of pedophilia.")
    assert doc["lang"] == "en" and doc["kind"] == "article"


def test_page_stamp_pattern():
    assert PAGE_STAMP.fullmatch("HOUSE OVERSIGHT 031153")
    assert not PAGE_STAMP.fullmatch("The House Oversight committee met 031153 times")


def test_size_limits_and_missing_paths_are_reported(case, ingest, tmp_path):
    from casegraph.ingest.source import Limits

    (tmp_path / "big.txt").write_text("Southern Trust " * 1000)
    summary = ingest(tmp_path / "big.txt", tmp_path / "missing.txt", limits=Limits(max_file_size=4096))
    reasons = {e["path"].rsplit("/", 1)[-1]: e["reason"] for e in summary["errors"]}
    assert "above the limit of 4096" in reasons["big.txt"]
    assert reasons["missing.txt"].startswith("cannot read")
    assert case.docs() == []


def test_plain_progress_lines_when_not_a_terminal(case, tmp_path):
    import io

    from casegraph.ingest.pipeline import ingest_paths

    (tmp_path / "a.txt").write_text("A note about the delegation in Washington.")
    err = io.StringIO()
    summary = ingest_paths(case.store, [str(tmp_path)], stderr=err)  # tmp_path also holds the database
    assert summary["files"] == 1 and summary["errors"] == []
    assert err.getvalue().splitlines()[-1].startswith("ingest: 1/1 files, 0.0 MB")


def test_nesting_depth_limit(case, ingest, tmp_path):
    from casegraph.ingest.source import Limits

    summary = ingest(samples.zip_with_escape(tmp_path / "a.zip"), limits=Limits(max_depth=1))
    reasons = {e["path"].rsplit("/", 1)[-1]: e["reason"] for e in summary["errors"]}
    assert reasons["a.zip!nested.zip!inner.txt"] == "nested more than 1 levels deep"
    assert any(d["path"].endswith("a.zip!nested.zip") for d in case.docs())

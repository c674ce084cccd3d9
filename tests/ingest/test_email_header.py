"""E-mail header structure parsed once at ingest (ingest/email_header.py) and stored: header
blocks, fields, the persons of the top header, where quoted and forwarded messages begin, and
the parties (email_parties), on real estate e-mails; later stages read what is stored."""

from __future__ import annotations

import json

from conftest_paths import ESTATE

from casegraph.ingest import email_header
from casegraph.models import EmailHeaders

MERGED = ESTATE / "Merged Documents"
PASTED_STORY = MERGED / "HOUSE_OVERSIGHT_029859.txt"  # an OCR'd print pasting a Palm Beach Post story
THREAD = ESTATE / "Emails" / "HOUSE_OVERSIGHT_012037.json"  # a reply quoting two forwarded messages


def _doc(case, bates, mime_prefix=""):
    docs = [d for d in case.store.documents_by_bates(bates) if d["mime"].startswith(mime_prefix)]
    assert len(docs) == 1
    return docs[0]["id"], case.store.document_text(docs[0]["id"])


def test_ocr_print_header_fields_and_parties_are_stored_at_ingest(case, ingest):
    ingest(PASTED_STORY)
    doc_id, text = _doc(case, "HOUSE_OVERSIGHT_029859")
    headers = case.store.email_headers(doc_id)
    assert headers is not None
    (top,) = [s for s in headers.of_kind("header") if s.role == "top"]
    fields = [s for s in headers.of_kind("field") if s.number == top.number]
    # every header line as printed, in order, each span starting with its field's name
    assert [f.field for f in fields] == ["from", "sent", "to", "cc", "subject", "importance"]
    for f in fields:
        assert text[f.start : f.end].lower().startswith(f.field + ":")
    # the body begins after the last header line (no blank line in the print), before the story
    assert top.end == fields[-1].end + 1 == headers.body_start()
    assert text.find("palmbeachpost.com") > top.end
    assert top.author == "Darren Indyke"  # the redaction bar after the name is not part of it
    names = [(n.field, text[n.start : n.end]) for n in headers.of_kind("name")]
    assert names == [
        ("from", "Darren Indyke"),
        ("to", "Martin Weinberg"),
        ("cc", "Darren Indyke"),
        ("cc", "jeeyacation@gmail.com"),  # as OCR read it
    ]
    # the parties, before any analysis or resolution, each on its own header line
    rows = case.store.email_parties(doc_id)
    assert [(r["role"], r["name"], r["address"]) for r in rows] == [
        ("from", "Darren Indyke", ""),
        ("to", "Martin Weinberg", ""),
        ("cc", "Darren Indyke", ""),
        ("cc", "", "jeeyacation@gmail.com"),
    ]
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["text"].lower().startswith(r["role"] + ":") and r["block"] == -1


def test_analysis_reads_the_stored_header(case, ingest):
    """Header mentions and `communicated` relations are the stored persons and lines."""
    ingest(PASTED_STORY)
    doc_id, text = _doc(case, "HOUSE_OVERSIGHT_029859")
    headers = case.store.email_headers(doc_id)
    assert headers is not None
    case.analyze([doc_id], resolve=False, index=False, progress=False)
    persons = {(m["start"], m["end"]) for m in case.mentions(doc_id, label="PERSON")}
    assert {(n.start, n.end) for n in headers.of_kind("name")} <= persons
    rows = case.store.relation_rows(doc_id, "communicated")
    communicated = [r for r in rows if r["predicate"].startswith("e-mail")]  # the header's
    lines = {(f.start, f.end) for f in headers.of_kind("field")}
    evidence = sorted((r["start"], r["end"]) for r in communicated)
    assert evidence and set(evidence) <= lines
    # Darren Indyke to Martin Weinberg, and in copy to the address; not to himself
    assert sorted(text[s:e].split(":")[0].lower() for s, e in evidence) == ["cc", "to"]


def test_forwarded_thread_blocks_and_parties(case, ingest):
    ingest(THREAD)
    doc_id, text = _doc(case, "HOUSE_OVERSIGHT_012037", "message/")
    headers = case.store.email_headers(doc_id)
    assert headers is not None
    thread = json.loads(THREAD.read_text(encoding="utf-8"))
    forwarded, senders = 0, []
    stack = [thread]
    while stack:  # the nested messages of the JSON, depth first, as ingest renders them
        message = stack.pop()
        for entry in message["body"]:
            if isinstance(entry["message_content"], dict):
                forwarded += entry["message_type"] == "forward"
                senders.append(entry["message_content"]["from_name"])
                stack.append(entry["message_content"])
    embedded = [s for s in headers.of_kind("header") if s.role == "embedded"]
    # one header block per nested message, each beginning with its From: line
    assert len(embedded) == len(senders) == 3
    for block in embedded:
        assert text[block.start :].startswith("From: ")
        assert {"from", "to", "date", "subject"} <= {
            f.field for f in headers.of_kind("field") if f.number == block.number
        }
    named = [s for s in senders if not s.startswith("[")]
    assert [b.author for b in embedded if b.author] == named
    # the forwarded messages' separators, and every message start after the top header
    messages = [m for m in headers.of_kind("message") if m.start >= headers.body_start()]
    assert sum(m.role == "forwarded" for m in messages) == forwarded == 2
    # parties of the quoted messages belong to their block (the From: line's offset)
    rows = case.store.email_parties(doc_id)
    blocks = {r["block"] for r in rows if r["block"] >= 0}
    assert blocks and blocks <= {b.start for b in embedded}
    for block in blocks:
        roles = [r["role"] for r in rows if r["block"] == block]
        assert roles.count("from") == 1 and {"to", "cc"} & set(roles)
    assert ("from", "jeevacation@gmail.com") in {(r["role"], r["address"]) for r in rows if r["block"] == -1}


def test_documents_stored_without_the_structure_get_it_once(case, ingest):
    """A case written by an older version (here: an older parser's empty structure) gets the
    structure, and its parties, from the one parser when a later stage runs."""
    ingest(PASTED_STORY, THREAD)
    stored = {d["id"]: case.store.email_headers(d["id"]) for d in case.docs()}
    parties = {d: case.store.email_parties(d) for d in stored}
    for doc_id in stored:
        case.store.replace_email_headers(doc_id, EmailHeaders(), email_header.VERSION - 1)
    assert all(case.store.email_parties(d) == [] for d in stored)
    assert email_header.store_missing(case.store) == len(stored)
    assert email_header.store_missing(case.store) == 0  # once
    for doc_id, headers in stored.items():
        assert case.store.email_headers(doc_id) == headers
        again = case.store.email_parties(doc_id)
        assert [{k: v for k, v in r.items() if k != "id"} for r in again] == [
            {k: v for k, v in r.items() if k != "id"} for r in parties[doc_id]
        ]


def test_a_huge_junk_header_line_is_not_a_party():
    text = "From: " + "x" * 200_000 + "\nTo: " + "<" * 100_000 + "\n"
    assert email_header.parse(text, {}).parties == []


def test_a_document_without_headers_has_an_empty_structure(case, ingest):
    ingest(MERGED / "HOUSE_OVERSIGHT_010477.txt")  # a book excerpt
    doc_id = case.docs()[0]["id"]
    assert case.store.email_headers(doc_id) == EmailHeaders()

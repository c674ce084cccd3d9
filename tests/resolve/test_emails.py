"""E-mail addresses and display names joined to the person, on the estate's structured e-mails."""

from __future__ import annotations

import pytest

from casegraph.ingest.email_header import parties, valid_address
from tests.conftest import ESTATE, new_case_db


@pytest.fixture(scope="module")
def email_case(tmp_path_factory, corpus):
    from casegraph.api import Case

    with Case(new_case_db(tmp_path_factory.mktemp("emails"))) as case:
        case.ingest([ESTATE / "Emails"], kind="source")
        case.resolve()
        yield case


def test_header_names_and_addresses_resolve_to_one_person(email_case):
    epstein = email_case.find_entity("jeevacation@gmail.com")
    assert epstein["type"] == "PERSON"
    assert epstein["name"] == "Jeffrey Epstein"  # the fullest name written next to the address
    aliases = set(epstein["aliases"])
    assert {"jeevacation@gmail.com", "Jeffrey E"} <= aliases
    assert email_case.find_entity("Jeffrey E.")["id"] == epstein["id"]
    reasons = email_case.entity(epstein["id"])["reasons"]
    assert any("jeevacation@gmail.com" in r["rule"] for r in reasons)


def test_redacted_addresses_join_nobody(email_case):
    assert valid_address("[REDACTED]") == ""
    ens = email_case.find_entity("Amanda Ens")  # written "Ens, Amanda" in the headers
    assert not any("@" in a for a in ens["aliases"])
    assert ens["id"] != email_case.find_entity("Lawrence Krauss")["id"]


def test_communicated_edges_point_at_the_header_lines(email_case):
    neighbours = email_case.neighbors("Jeffrey Epstein", kind="communicated")["neighbors"]
    assert neighbours
    for n in neighbours[:5]:
        for relation in n["relations"]:
            assert relation["kind"] == "communicated"
            for ev in relation["evidence"]:
                text = email_case.store.document_text(ev["doc_id"])
                assert text[ev["start"] : ev["end"]] == ev["text"]
                assert ev["text"].startswith(("From:", "To:", "Cc:"))


def test_parties_from_a_load_file_style_string():
    head = 'From: Jeffrey Epstein <jeevacation@gmail.com>\nTo: "Kathy Ruemmler" <kr@example.org>\n\nHello'
    meta = {
        "email_from": "Jeffrey Epstein <jeevacation@gmail.com>",
        "email_to": ["Kathy Ruemmler <kr@example.org>"],
    }
    rows = parties(head, meta)
    assert [(r.role, r.name, r.address) for r in rows] == [
        ("from", "Jeffrey Epstein", "jeevacation@gmail.com"),
        ("to", "Kathy Ruemmler", "kr@example.org"),
    ]
    assert head[rows[0].start : rows[0].end].startswith("From: Jeffrey Epstein")


def test_header_blocks_in_ocr_text_join_addresses_and_connect_people(tmp_path, corpus):
    """Three OCR'd e-mails of the estate: "Jeffrey Epstein [jeeyacation@gmail.com]" (an OCR
    misreading), "Jeffrey Epstein [jeevacation@gmail.com]" and "jeffrey E. [jeevacation@...]"
    writing to Steve Bannon."""
    from casegraph.api import Case

    merged = ESTATE / "Merged Documents"
    with Case(new_case_db(tmp_path)) as case:
        case.ingest(
            [merged / f"HOUSE_OVERSIGHT_{n}.txt" for n in ("018084", "021761", "019338")], kind="source"
        )
        case.resolve()
        epstein = case.find_entity("Jeffrey Epstein")
        assert {"jeeyacation@gmail.com", "jeevacation@gmail.com"} <= set(epstein["aliases"])
        assert case.find_entity("jeffrey E.")["id"] == epstein["id"]
        assert case.find_entity("Faith Kates")["name"] == "Faith Kates"  # "To: • Faith Kates [" in the OCR
        bannon = [
            n
            for n in case.neighbors(epstein["id"], kind="communicated")["neighbors"]
            if n["entity"]["name"] == "Steve Bannon"
        ]
        assert bannon
        evidence = bannon[0]["relations"][0]["evidence"][0]
        assert evidence["text"].strip() == "To: Steve Bannon"
        assert (
            case.store.document_text(evidence["doc_id"])[evidence["start"] : evidence["end"]]
            == evidence["text"]
        )

"""Who said what, checked end to end on a real estate e-mail: Darren Indyke sends Martin
Weinberg a Palm Beach Post story he pasted in (HOUSE_OVERSIGHT_029859). An article-style text
(examples/pasted_story_article.txt) paraphrases a quoted person correctly, credits the story's
narration to the e-mail's sender, and gives quotes to the wrong person; each gets its status,
its evidence span and both speakers (the article's and the source's)."""

from __future__ import annotations

import hashlib

import pytest

from casegraph.analyze.attribution.model import packaged
from casegraph.check.report import speakers, to_html, to_markdown
from tests.check.conftest import MERGED, item_with
from tests.conftest import ROOT, new_case_db

SOURCE = MERGED / "HOUSE_OVERSIGHT_029859.txt"
OTHERS = [MERGED / "HOUSE_OVERSIGHT_025231.txt", MERGED / "HOUSE_OVERSIGHT_023126.txt"]
ARTICLE = ROOT / "examples" / "pasted_story_article.txt"

pytestmark = pytest.mark.skipif(packaged() is None, reason="the attribution model is not built")


@pytest.fixture(scope="module")
def report(tmp_path_factory, corpus):
    from casegraph.api import Case

    case = Case(new_case_db(tmp_path_factory.mktemp("who")))
    case.ingest([str(SOURCE), *map(str, OTHERS)], kind="source", progress=False)
    case.analyze(progress=False)
    source_id = case.store.document_id_for_sha256(hashlib.sha256(SOURCE.read_bytes()).hexdigest())
    result = case.check(str(ARTICLE))
    yield result, source_id, case.store.get_document(source_id)["text"]
    case.close()


def _evidence_in(item: dict, source_id: str, text: str, words: str) -> dict:
    assert item["evidence"], item["reason"]
    ev = item["evidence"][0]
    assert ev["doc_id"] == source_id, ev
    span = " ".join(text[ev["start"] : ev["end"]].split())
    assert words in span, span
    return ev


def test_a_correct_paraphrase_keeps_its_speaker(report):
    result, source_id, text = report
    item = item_with(result, "paid each of the three women")
    assert item["status"] in ("paraphrased", "supported"), item["reason"]
    ev = _evidence_in(item, source_id, text, "paid more than $1 million")
    assert "Edwards" in item["speaker"]["name"]
    assert "Edwards" in ev["speaker"] and ev["role"] == "quote"


def test_narration_credited_to_the_sender_is_misattributed(report):
    result, source_id, text = report
    item = item_with(result, "Epstein paid $5.5 million")
    assert item["status"] == "misattributed", item["reason"]
    ev = _evidence_in(item, source_id, text, "5.5 million")
    assert "Indyke" in item["speaker"]["name"]
    assert ev["role"] == "narration"
    assert "narration of a news story" in item["reason"] and "Darren Indyke" in item["reason"]
    article_says, source_says = speakers(item)
    assert "Indyke" in article_says and source_says.startswith("nobody")


def test_a_quote_given_to_the_wrong_person_is_misattributed(report):
    result, source_id, text = report
    item = item_with(result, "no ability to communicate", kind="quote")
    assert item["status"] == "misattributed", item["reason"]
    ev = _evidence_in(item, source_id, text, "no ability to communicate")
    assert "Goldberger" in item["speaker"]["name"]
    assert "Coleman" in ev["speaker"] and ev["speaker_said_as"].lower() == "she"
    assert "Coleman" in item["reason"] and "Goldberger" in item["reason"]


def test_a_paraphrased_quote_keeps_its_resolved_speaker(report):
    result, source_id, text = report
    item = item_with(result, "cheat investors")
    assert item["status"] == "paraphrased", item["reason"]
    ev = _evidence_in(item, source_id, text, "fleece money")
    assert "Coleman" in ev["speaker"] and "Coleman" in item["speaker"]["name"]


def test_reports_show_both_speakers_and_the_role(report):
    result, _source_id, _text = report
    md = to_markdown(result)
    assert "*Speaker in the article:* " in md and "narration of a pasted news story" in md
    page = to_html(result)
    assert "Speaker in the article" in page and "in the source" in page


def test_speakers_compare_by_entity_then_by_name():
    from casegraph.check.items import Speaker
    from casegraph.check.speakers import EvidenceSpeaker, role_fits, same_person

    hamilton = EvidenceSpeaker("Marci Hamilton", None, "quote in the source")
    assert same_person(Speaker("Hamilton"), hamilton)
    assert same_person(Speaker("Ms. Marci Hamilton"), hamilton)
    assert same_person(Speaker("Alan Dershowitz"), hamilton) is False
    assert same_person(Speaker("Hunter Biden"), EvidenceSpeaker("Joe Biden", None, "sender")) is False
    assert same_person(Speaker("John Q."), EvidenceSpeaker("John Q. Smith", None, "quote in the source"))
    assert same_person(
        Speaker("Nazarbayev", "e1"), EvidenceSpeaker("Nursultan Nazarbayev", "e1", "quote in the source")
    )
    # a bare surname agrees with the full name even where resolution left them apart (Req. 3);
    # two full names that differ do not
    assert same_person(Speaker("Aliyev", "e2"), EvidenceSpeaker("Rakhat Aliyev", "e3", "quote in the source"))
    assert (
        same_person(
            Speaker("Nurali Aliyev", "e2"), EvidenceSpeaker("Rakhat Aliyev", "e3", "quote in the source")
        )
        is False
    )
    # "lobbyist Doe": the lobbyist of that name, not a relative who shares it
    source = "Jane Doe, a lobbyist in Washington, met the minister. Her brother John Doe runs a bakery."
    assert role_fits(Speaker("lobbyist Doe"), source, "Jane Doe") is True
    assert role_fits(Speaker("lobbyist Doe"), source, "John Doe") is False


def test_the_sender_is_the_one_whose_message_holds_the_words(tmp_path):
    """A court filing that prints several e-mails late in its 227k characters: words before
    every header are no sender's; after a header, that header's sender's."""
    from casegraph.api import Case
    from casegraph.check.speakers import _sender

    path = MERGED / "HOUSE_OVERSIGHT_011908 - Summons and Complaint(1).txt"
    with Case(new_case_db(tmp_path)) as case:
        case.ingest([str(path)], kind="source", progress=False)
        doc = case.store.list_documents()[0]
        text = case.store.document_text(doc["id"])
        doc = {**doc, "text": text, "meta": {}}
        first = text.index("From: Manuela - Mega Partners")
        last = text.index("FROM: JACQUIE JOHNSON")
        assert _sender(case.store, doc, 19557) is None  # the complaint's own words
        assert _sender(case.store, doc, first + 200).name == "Manuela - Mega Partners"
        assert _sender(case.store, doc, last + 300).name == "JACQUIE JOHNSON"

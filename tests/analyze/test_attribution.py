"""Who says what inside a document: the attribution model and speaker resolution on a real
estate e-mail that pastes a newspaper story (quotes with "he"/"she" speakers, narration), the
text-inside-text roles of that e-mail, and text of the shape the issue describes (a name run
over a line break, a cue after the quote, "she" for "Ms. Doe")."""

from __future__ import annotations

import hashlib

import pytest

from casegraph.analyze.attribution.model import packaged
from casegraph.check.speakers import names_agree
from tests.conftest import ESTATE, new_case_db

PASTED = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_029859.txt"  # Indyke e-mails a Palm Beach Post story

pytestmark = pytest.mark.skipif(packaged() is None, reason="the attribution model is not built")


@pytest.fixture(scope="module")
def pasted_case(tmp_path_factory, corpus):
    from casegraph.api import Case

    case = Case(new_case_db(tmp_path_factory.mktemp("attribution")))
    case.ingest([str(PASTED)], kind="source", progress=False)
    case.analyze(progress=False, resolve=False)
    doc_id = case.store.document_id_for_sha256(hashlib.sha256(PASTED.read_bytes()).hexdigest())
    assert doc_id is not None
    yield case, doc_id
    case.close()


def _quote(case, doc_id: str, words: str) -> dict:
    text = case.store.get_document(doc_id)["text"]
    at = text.index(words)
    rows = case.store.attributions_overlapping(doc_id, at, at + len(words))
    assert rows, f"no quote stored over {words!r}"
    return rows[0]


@pytest.mark.parametrize(
    ("words", "said_as", "speaker"),
    [
        (
            "Brilliant move on their part",
            "he",
            "Scarola",
        ),  # "…," he said: Attorney Jack Scarola, the sentence before
        ("I've had no ability to communicate", "she", "Coleman"),  # "she": Attorney Tonja Haddad Coleman
        ("The Epstein cases were used to fleece money", "she", "Coleman"),
        ("paid more than $1 million to each", "attorney Bradley Edwards", "Edwards"),  # indirect speech
    ],
)
def test_quotes_in_a_pasted_story_get_their_speakers(pasted_case, words, said_as, speaker):
    case, doc_id = pasted_case
    row = _quote(case, doc_id, words)
    assert said_as.lower() in (row["source_text"] or "").lower()
    assert speaker in (row["speaker_text"] or ""), row
    if said_as in ("he", "she"):
        assert row["speaker_how"] == "pronoun"


def test_the_pasted_story_and_its_narration_are_marked(pasted_case):
    case, doc_id = pasted_case
    text = case.store.get_document(doc_id)["text"]
    roles = case.store.text_roles(doc_id)
    pasted = [b for b in roles if b.role == "pasted"]
    assert pasted and "Palm Beach Post" in pasted[0].author
    story = text.index("Ending years of speculation")
    assert pasted[0].start <= story < pasted[0].end
    narration = case.store.text_roles(doc_id, story, story + 40)
    assert any(b.role == "narration" for b in narration), narration
    quote = text.index("Brilliant move on their part")
    assert not any(b.role == "narration" for b in case.store.text_roles(doc_id, quote, quote + 20))
    # the sender's own line before the link is theirs
    assert any(b.role == "authored" and b.author == "Darren Indyke" for b in roles)


ISSUE_SHAPE = """From: Pat Sender <pat@example.org>
To: Ann Other <ann@example.org>
Subject: the story

Diplomats and the feud

"The president's son-in-law has become a liability for the government," John Q.
Smith, who ended his term as ambassador early this year, wrote in February 2009 in one of the cables.

Jane Doe, a lobbyist in Washington, worked for the other side. Ms. Doe also pursued a second strategy. "We need to be seen with the minister before the summer," she wrote in a July 2008 e-mail to her boss.
"""


def test_names_over_line_breaks_and_pronouns_resolve(tmp_path):
    from casegraph.api import Case

    path = tmp_path / "mail.eml"
    path.write_text(ISSUE_SHAPE, encoding="utf-8")
    case = Case(new_case_db(tmp_path))
    try:
        case.ingest([str(path)], kind="source", progress=False)
        case.analyze(progress=False, resolve=False)
        rows = case.store.quote_rows()
        doc_id = rows[0]["doc_id"]
        first = _quote(case, doc_id, "has become a liability")
        assert "John Q." in first["speaker_text"] and "Smith" in first["speaker_text"], first
        second = _quote(case, doc_id, "seen with the minister")
        assert second["source_text"].lower() == "she"
        assert "Doe" in second["speaker_text"], second
    finally:
        case.close()


def test_partial_names_agree_with_full_ones():
    assert names_agree("John Q.", "John Q. Smith")
    assert names_agree("Smith", "John Q. Smith")
    assert names_agree("Ms. Doe", "Jane Doe")
    assert names_agree("Jane Doe", "John Doe") is False
    assert names_agree("Hunter Biden", "Joe Biden") is False
    assert names_agree("Epstein, Jeffrey", "Jeffrey E. Epstein")


def test_polnear_sample_beats_the_quote_mark_baseline(eval_dir):
    """On the first 10 PolNeAR dev articles the model finds more attributions, and more of
    their sources, than text in quote marks with the nearest person."""
    from casegraph.analyze.evaluate import run_eval

    result = run_eval("polnear", str(eval_dir), limit=10)
    ours, base = result["systems"]["ours"], result["systems"]["baseline"]
    assert ours["content"]["f1"] > base["content"]["f1"] + 0.15
    assert ours["content_and_source"]["f1"] > base["content_and_source"]["f1"] + 0.2
    assert result["speaker_resolution"]["model_accuracy"] > result["speaker_resolution"]["rule_accuracy"]

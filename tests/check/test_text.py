"""Sentence splitting keeps offsets into the document and copes with OCR line breaks."""

from __future__ import annotations

from casegraph.check.text import content_terms, sentences, stem
from tests.conftest import ESTATE

DOC = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_023126.txt"


def test_sentences_are_spans_of_the_text_and_keep_initials_together():
    text = DOC.read_text(encoding="utf-8")
    spans = list(sentences(text))
    assert len(spans) > 50
    assert all(0 <= a < b <= len(text) and text[a:b] == text[a:b].strip() for a, b in spans)
    joined = [" ".join(text[a:b].split()) for a, b in spans]
    assert any("Jeffrey H. Sloman" in s for s in joined)  # "H." is not a sentence end
    assert any(s.startswith("He served 13 months in the county jail") for s in joined)


def test_stems_join_word_forms():
    assert stem("negotiated") == stem("negotiation") == stem("negotiate")
    assert "prosec" in content_terms("The prosecutors said that")
    assert "said" not in content_terms("The prosecutors said that")

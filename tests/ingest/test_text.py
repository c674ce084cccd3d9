"""Normalisation, language detection and the rule-based splitter on real text."""

from __future__ import annotations

from conftest_paths import ESTATE, SEED_BIDEN

from casegraph.ingest.normalize import decode, detect_language, normalise
from casegraph.ingest.segment import page_segments, paragraph_segments, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_respect_abbreviations_initials_and_decimals():
    text = (
        "Mr. Aliyev met Dr. J. Smith in the U.S. on Monday. The fee was 2.5 million dollars! "
        "Was it paid? \u201cNo,\u201d he said."
    )
    assert _sentences(text) == [
        "Mr. Aliyev met Dr. J. Smith in the U.S. on Monday.",
        "The fee was 2.5 million dollars!",
        "Was it paid?",
        "\u201cNo,\u201d he said.",
    ]


def test_paragraphs_of_a_seed_article_follow_blank_lines():
    text = normalise(SEED_BIDEN.read_text(encoding="utf-8"))
    paragraphs = paragraph_segments(text)
    assert text[paragraphs[0].start : paragraphs[0].end] == (
        "What is the Reason behind the Increased Attention of the United States to Kazakhstan?"
    )
    assert all("\n\n" not in text[p.start : p.end] for p in paragraphs)


def test_ocr_text_without_blank_lines_gets_paragraphs_and_stamp_pages():
    raw = (ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_011277.txt").read_bytes()
    text = normalise(decode(raw)[0])
    paragraphs = [text[p.start : p.end] for p in paragraph_segments(text)]
    assert paragraphs[:4] == [
        "From: Ens, Amand",
        "Sent: 12/9/2016 3:46:19 PM",
        "To: jeffrey E. [jeeyacation@gmail.com]; Rich Kahn",
        "Subject: RE: Financials: buy XLF call spreads",
    ]
    assert len(paragraphs) > 20
    pages = page_segments(text)
    assert pages and all(
        text[p.start : p.end].rstrip().split("\n")[-1].startswith("HOUSE OVERSIGHT") for p in pages[:-1]
    )


def test_language_detection_on_restricted_set():
    assert detect_language(SEED_BIDEN.read_text(encoding="utf-8")) == "en"
    assert detect_language("Назарбаев встретился с послом США в Астане, чтобы обсудить документы.") == "ru"
    assert detect_language("Der Botschafter sagte, die Dokumente würden bald veröffentlicht.") == "de"
    assert detect_language("ok") == ""


def test_decode_and_normalise():
    assert decode("Zürich".encode()) == ("Zürich", "utf-8")
    assert decode("Zürich “quoted”".encode("cp1252"))[0] == "Zürich “quoted”"
    assert normalise("Cafe\u0301 \r\nline two   \r\n\r\n\r\n\r\n\r\nend") == "Café\nline two\n\n\nend"

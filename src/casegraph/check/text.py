"""Text helpers of the check stage: sentences with offsets, word normalisation, overlap.

Sentences are ingest's (ingest/segment: paragraphs from blank lines or, in OCR text without
them, from line shape; then terminal punctuation with one abbreviation list), with one step on
top: unpunctuated OCR (tables, lists) is cut into windows of MAX_SENTENCE characters.
Comparisons work on a folded form (lower case, ASCII quotes, collapsed whitespace) and never
change offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from casegraph.ingest.segment import sentence_spans

MAX_SENTENCE = 600  # characters: OCR tables without punctuation are cut into windows of this size

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "wrote",
        "writes",
        "according",
        "stated",
        "noted",
        "added",
        "one",
        "also",
        "mr",
        "mrs",
        "ms",
        "dr",
        "us",
        "s",
        "t",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "shouldn",
        "couldn",
    ]
)


def fold(text: str) -> str:
    """Lower case, ASCII quotes and dashes, no accents, whitespace collapsed: for comparing."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_QUOTES).lower()
    return " ".join(text.split())


_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "—": "-", "–": "-"}
)


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end], stripped of outer white space:
    ingest's sentence segments of that stretch, long unpunctuated ones cut into windows."""
    end = len(text) if end is None else end
    part = text[start:end]
    for s, e in sentence_spans(part):
        yield from _trimmed(text, start + s, start + e)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 3:
        return
    # Unpunctuated OCR (tables, lists) would make huge "sentences": cut them at white space.
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield start, cut
        start = cut + 1
    yield start, end


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ingly",
    "ings",
    "ing",
    "edly",
    "ed",
    "es",
    "ers",
    "er",
    "ly",
    "s",
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude stem (common suffix off, then the first 6 letters) so that paraphrases sharing
    a root still overlap ("negotiated" / "negotiation"); always a prefix of the word."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def content_terms(text: str) -> list[str]:
    """Words that carry content: no stop words, no one-letter tokens; stems, in order, unique."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word in STOPWORDS or len(word) < 2 or (len(word) < 3 and not word.isdigit()):
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


def coverage(item_terms: list[str], other_text: str) -> float:
    """Share of the item's content terms that appear in the other text."""
    if not item_terms:
        return 0.0
    other = {stem(w) for w in words(other_text)}
    return sum(1 for t in item_terms if t in other) / len(item_terms)


def strip_quotes(text: str) -> str:
    return text.strip().strip("\"'“”‘’«» ").strip()

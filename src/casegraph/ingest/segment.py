"""Pages, paragraphs and sentences by character offsets into the normalised text.

Rule-based and fast (no NLP model): pages come from the format (PDF) or from production
page stamps ("HOUSE OVERSIGHT 031153" closes a page); paragraphs from blank lines, or, in
OCR text without blank lines, from line shape; sentences from terminal punctuation with an
abbreviation list.
"""

from __future__ import annotations

import re
from statistics import quantiles

from casegraph.ingest.email_header import field_line
from casegraph.models import Segment

# A production page stamp alone on its line: "HOUSE OVERSIGHT 031153", "ABC_0001234".
PAGE_STAMP = re.compile(r"^[ \t]*[A-Z][A-Z&.-]*(?:[ _][A-Z&.-]+)*[ _]\d{5,}[ \t]*$", re.M)
_BLANK = re.compile(r"\n[ \t]*\n\s*")
_LINE_START_NEW = re.compile(r"^\s*(?:[•\-*–·▪●]|\d{1,3}[.)]\s|[A-Z][A-Za-z-]{1,20}:\s|#{1,6}\s|\|)")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gen",
    "gov",
    "sen",
    "rep",
    "col",
    "capt",
    "lt",
    "sgt",
    "rev",
    "hon",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "p",
    "pp",
    "fig",
    "vol",
    "ch",
    "esq",
    "dept",
    "est",
    "approx",
    "ave",
    "blvd",
    "mt",
    "ft",
    "al",
    "cf",
    "op",
    "ca",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")


def page_segments(text: str, page_starts: list[int] | None = None) -> list[Segment]:
    """Pages from known page starts, else from page stamps; [] when pages are unknown."""
    if page_starts:
        bounds = [*page_starts, len(text)]
        return [
            Segment("page", bounds[i], _rstrip_end(text, bounds[i], bounds[i + 1]), number=i + 1)
            for i in range(len(page_starts))
        ]
    ends = [m.end() for m in PAGE_STAMP.finditer(text)]
    if not ends:
        return []
    pages, start = [], 0
    for end in ends:
        pages.append((start, end))
        start = end
    if text[start:].strip():
        pages.append((start, len(text)))
    out = []
    for i, (s, e) in enumerate(pages):
        s = _lstrip_start(text, s, e)
        out.append(Segment("page", s, e, number=i + 1))
    return out


def paragraph_segments(text: str) -> list[Segment]:
    spans = _blank_line_paragraphs(text)
    lines = text.count("\n") + 1
    # OCR dumps often have no blank lines at all: fall back to line shape.
    if len(spans) * 25 < lines:
        spans = _line_shape_paragraphs(text)
    return [Segment("paragraph", s, e, number=i) for i, (s, e) in enumerate(spans)]


def sentence_segments(text: str, paragraphs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for para in paragraphs:
        for s, e in split_sentences(text, para.start, para.end):
            out.append(Segment("sentence", s, e, number=len(out)))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences ingest stores for this text, as (start, end): how a later stage splits
    a text it does not read from the store (an article being checked, a fallback)."""
    return [(s.start, s.end) for s in sentence_segments(text, paragraph_segments(text))]


def segment(text: str, page_starts: list[int] | None = None) -> list[Segment]:
    paragraphs = paragraph_segments(text)
    return page_segments(text, page_starts) + paragraphs + sentence_segments(text, paragraphs)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end]."""
    end = len(text) if end is None else end
    spans, s = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.end()
        if _is_abbreviation(text, m.start(), start):
            continue
        nxt = _next_char(text, stop, end)
        if nxt and (nxt.islower() or nxt in ",;:"):
            continue  # "e.g. the" or a decimal: not a boundary
        if text[s:stop].strip():
            spans.append(_trim(text, s, stop))
        s = stop
    if text[s:end].strip():
        spans.append(_trim(text, s, end))
    return spans


def _is_abbreviation(text: str, dot: int, floor: int) -> bool:
    if text[dot] != ".":
        return False
    i = dot
    while i > floor and not text[i - 1].isspace() and text[i - 1] not in "(\"'“":
        i -= 1
    word = text[i:dot].lower().rstrip(".")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Epstein"
    return word in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _next_char(text: str, i: int, end: int) -> str:
    while i < end and text[i].isspace():
        i += 1
    return text[i] if i < end else ""


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _rstrip_end(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _lstrip_start(text: str, s: int, e: int) -> int:
    while s < e and text[s].isspace():
        s += 1
    return s


def _blank_line_paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _BLANK.finditer(text):
        if text[start : m.start()].strip():
            spans.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _line_shape_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph breaks in text without blank lines: after a short line that ends a sentence,
    before list items and header-like lines, and around page stamps."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    lengths = [e - s for s, e in lines if e > s]
    if not lengths:
        return []
    full = quantiles(lengths, n=10)[7] if len(lengths) >= 10 else max(lengths)
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    prev_ends_para = False
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            if cur:
                spans.append(cur)
            cur, prev_ends_para = None, False
            continue
        stamp = bool(PAGE_STAMP.fullmatch(line))
        if cur is not None and (prev_ends_para or stamp or _LINE_START_NEW.match(line)):
            spans.append(cur)
            cur = None
        cur = (s, e) if cur is None else (cur[0], e)
        stripped = line.rstrip()
        prev_ends_para = (
            stamp
            or field_line(line) is not None  # an e-mail header line OCR'd from a print: a paragraph
            or (stripped.endswith((".", "!", "?", ":", '"', "”")) and len(stripped) < 0.75 * full)
        )
    if cur:
        spans.append(cur)
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]

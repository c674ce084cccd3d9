"""Timeline: dated statements about an entity.

Each sentence that names the entity becomes an event. Its date is the most precise date
written in the sentence ("in July 2008", "June 19, 2019", "2019-06-19"); where the sentence
has none, the document's date. Events are ordered by date and keep their spans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from casegraph.graph.build import sentences_of
from casegraph.lexicon import MONTH_PATTERN, MONTHS
from casegraph.models import EntityMention, TimelineEvent

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

_MON = rf"({MONTH_PATTERN})\.?"
_YEAR = r"((?:19|20)\d\d)"
_PATTERNS = [
    (re.compile(rf"\b{_YEAR}-(\d\d)-(\d\d)\b"), ("y", "m", "d")),
    (
        re.compile(rf"\b(\d{{1,2}})/(\d{{1,2}})/{_YEAR}\b"),
        ("m", "d", "y"),
    ),  # US style, as in these productions
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I), ("M", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b{_MON},?\s+{_YEAR}\b", re.I), ("M", "y")),
    # a bare year, not a decade ("the 1990s"), an amount or part of a number
    (re.compile(rf"(?<![\d/.$-]){_YEAR}(?![\d/]|'?s\b)"), ("y",)),
]


def dates_in(text: str) -> list[tuple[str, str]]:
    """(ISO date as precise as written, the matched text), most precise first, each once."""
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for precision, (pattern, order) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            parts = dict(zip(order, match.groups(), strict=False))
            iso = _iso(parts)
            if iso:
                taken.append((match.start(), match.end()))
                found.append((precision, iso, match.group(0)))
    found.sort(key=lambda t: t[0])
    return [(iso, raw) for _, iso, raw in found]


def _iso(parts: dict[str, str]) -> str | None:
    year = int(parts["y"])
    month = int(parts["m"]) if "m" in parts else MONTHS.get(parts.get("M", "").lower().rstrip("."), 0)
    if "M" in parts and not month:
        return None
    day = int(parts.get("d", 0) or 0)
    if (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
        return None
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def timeline(store: CaseStore, entity_id: str, limit_documents: int = 300) -> list[TimelineEvent]:
    mentions = store.entity_mentions(entity_id)
    by_doc: dict[str, list[EntityMention]] = defaultdict(list)
    for m in mentions:
        by_doc[m["doc_id"]].append(m)
    events: list[TimelineEvent] = []
    for doc_id in list(by_doc)[:limit_documents]:
        doc_mentions = by_doc[doc_id]
        text = store.document_text(doc_id)
        sentences = sorted(sentences_of(text, store.sentence_segments(doc_id)))
        starts = [s for s, _ in sentences]
        seen: set[tuple[int, int]] = set()
        for m in doc_mentions:
            at = bisect_right(starts, m["start"]) - 1  # the sentence holding the mention, if any
            if at >= 0 and m["start"] < sentences[at][1]:
                s_start, s_end = sentences[at]
            else:
                s_start, s_end = m["start"], m["end"]
            if (s_start, s_end) in seen:
                continue
            seen.add((s_start, s_end))
            # trim surrounding white space while keeping the span exact
            s_start += len(text[s_start:s_end]) - len(text[s_start:s_end].lstrip())
            s_end -= len(text[s_start:s_end]) - len(text[s_start:s_end].rstrip())
            sentence = text[s_start:s_end]
            dates = dates_in(sentence)
            if dates:
                date, date_text, source = dates[0][0], dates[0][1], "sentence"
            elif m["date"]:
                date, date_text, source = str(m["date"])[:10], "", "document"
            else:
                continue
            events.append(
                {
                    "date": date,
                    "date_source": source,
                    "date_text": date_text,
                    "doc_id": doc_id,
                    "start": s_start,
                    "end": s_end,
                    "text": sentence,
                    "mention": {"start": m["start"], "end": m["end"], "text": m["text"]},
                    "document": {"title": m["title"], "date": m["date"], "path": m["path"]},
                }
            )
    events.sort(key=lambda e: (e["date"], e["doc_id"], e["start"]))
    return events

"""Turning records into what the templates show: a document's text cut into pieces, each
with the annotation layers covering it (the template writes every piece as escaped text in
a <span>); search snippets with their hits; a timeline as bars."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Piece:
    """Characters [start, end) of the text, and what covers them."""

    start: int
    end: int
    text: str
    classes: list[str] = field(default_factory=list)
    title: str = ""
    entity: str = ""

    @property
    def css(self) -> str:
        return " ".join(self.classes)


@dataclass(frozen=True)
class _Layer:
    start: int
    end: int
    css: str
    title: str
    entity: str = ""
    order: int = 0


def _css_token(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)[:40]


def document_pieces(
    text: str,
    mentions: Iterable[Mapping[str, Any]],
    quotes: Iterable[Mapping[str, Any]],
    claims: Iterable[Mapping[str, Any]],
    rhetoric: Iterable[Mapping[str, Any]],
) -> list[Piece]:
    """Cut `text` at every annotation boundary; each piece lists the layers over it."""
    n = len(text)
    layers: list[_Layer] = []
    for c in claims:
        layers.append(
            _Layer(c["start"], c["end"], f"c c-{_css_token(c['type'])}", f"claim: {c['type']}", "", 0)
        )
    for r in rhetoric:
        layers.append(_Layer(r["start"], r["end"], "r", f"rhetoric: {r['technique']}", "", 1))
    for q in quotes:
        who = (q.get("speaker") or {}).get("name") or "unknown speaker"
        layers.append(_Layer(q["start"], q["end"], "q", f"quote by {who}", "", 2))
    for m in mentions:
        entity = m.get("entity_id") or ""
        if ":" in entity:  # an in-document cluster, not a resolved entity
            entity = ""
        layers.append(_Layer(m["start"], m["end"], f"e e-{_css_token(m['label'])}", m["label"], entity, 3))
    starts: dict[int, list[_Layer]] = {}
    ends: dict[int, list[_Layer]] = {}
    cuts = {0, n}
    for layer in layers:
        s, e = max(0, min(layer.start, n)), max(0, min(layer.end, n))
        if e <= s:
            continue
        starts.setdefault(s, []).append(layer)
        ends.setdefault(e, []).append(layer)
        cuts.update((s, e))
    points = sorted(cuts)
    active: Counter[_Layer] = Counter()
    pieces: list[Piece] = []
    for a, b in itertools.pairwise(points):
        for layer in ends.get(a, []):
            active[layer] -= 1
            if active[layer] <= 0:
                del active[layer]
        for layer in starts.get(a, []):
            active[layer] += 1
        covering = sorted(active, key=lambda x: x.order)
        classes: list[str] = []
        for layer in covering:
            for css in layer.css.split():
                if css not in classes:
                    classes.append(css)
        entity = next((x.entity for x in reversed(covering) if x.entity), "")
        title = " · ".join(dict.fromkeys(x.title for x in covering))
        pieces.append(Piece(a, b, text[a:b], classes, title, entity))
    return pieces


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_hit) parts: the store marks hits [like this]."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        i = rest.find("[")
        j = rest.find("]", i + 1) if i >= 0 else -1
        if i < 0 or j < 0:
            parts.append((rest, False))
            break
        if i:
            parts.append((rest[:i], False))
        parts.append((rest[i + 1 : j], True))
        rest = rest[j + 1 :]
    return parts


def timeline_bars(
    events: Iterable[Mapping[str, Any]], height: int = 60
) -> tuple[list[str], list[dict[str, Any]]]:
    """Events per year as SVG bar geometry (no inline styles: the page's CSP forbids them)."""
    years = Counter(str(e.get("date") or "")[:4] for e in events if str(e.get("date") or "")[:4].isdigit())
    if not years:
        return [], []
    first, last = int(min(years)), int(max(years))
    labels = [str(y) for y in range(first, last + 1)]
    top = max(years.values())
    width = max(8, min(40, 600 // len(labels)))
    every = max(1, 28 // width)  # label every year when there is room, else every few years
    bars = []
    for i, label in enumerate(labels):
        count = years.get(label, 0)
        h = round(height * count / top) if count else 0
        bars.append(
            {
                "x": i * width,
                "y": height - h,
                "w": max(2, width - 2),
                "h": h,
                "year": label,
                "count": count,
                "label": label if i % every == 0 else "",
            }
        )
    return labels, bars

"""Turning records into what the templates show: a document's text cut into pieces, each
with the annotation layers covering it (the template writes every piece as escaped text in
a <span>); search snippets with their hits; a timeline as bars."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from html import escape as _escape
from typing import Any

from markupsafe import Markup


@functools.lru_cache(maxsize=1024)
def _css_token(value: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)[:40]


def document_html(
    text: str,
    mentions: Iterable[Mapping[str, Any]],
    quotes: Iterable[Mapping[str, Any]],
    claims: Iterable[Mapping[str, Any]],
    rhetoric: Iterable[Mapping[str, Any]],
) -> Markup:
    """The text cut at every annotation boundary into <span data-s=START>s, each carrying the
    classes of the layers over it (claims, rhetoric, quotes, entities, in that order), a title
    naming a quote's speaker and a rhetoric technique, and the entity of a mention. Every text and attribute value is escaped
    (html.escape); built here rather than in a template loop, which took seconds for 1 MB."""
    n = len(text)
    # (start, end, classes, title, entity), in layer order: the index orders them when nested
    layers: list[tuple[int, int, list[str], str, str]] = []
    for c in claims:
        layers.append((c["start"], c["end"], ["c", f"c-{_css_token(c['type'])}"], "", ""))
    for r in rhetoric:
        layers.append((r["start"], r["end"], ["r"], f"rhetoric: {r['technique']}", ""))
    for q in quotes:
        who = (q.get("speaker") or {}).get("name") or "unknown speaker"
        layers.append((q["start"], q["end"], ["q"], f"quote by {who}", ""))
    for m in mentions:
        entity = m.get("entity_id") or ""
        if ":" in entity:  # an in-document cluster, not a resolved entity
            entity = ""
        layers.append((m["start"], m["end"], ["e", f"e-{_css_token(m['label'])}"], "", entity))
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    cuts = {0, n}
    for index, (start, end, _, _, _) in enumerate(layers):
        s, e = max(0, min(start, n)), max(0, min(end, n))
        if e > s:
            starts.setdefault(s, []).append(index)
            ends.setdefault(e, []).append(index)
            cuts.update((s, e))
    active: dict[int, None] = {}
    memo: dict[tuple[int, ...], str] = {}
    out: list[str] = []
    append = out.append
    for a, b in itertools.pairwise(sorted(cuts)):
        for index in ends.get(a, ()):
            active.pop(index, None)
        for index in starts.get(a, ()):
            active[index] = None
        if not active:
            append(f'<span data-s="{a}">{_escape(text[a:b], quote=False)}</span>')
            continue
        key = tuple(sorted(active)) if len(active) > 1 else tuple(active)
        attrs = memo.get(key)
        if attrs is None:
            classes: list[str] = []
            titles: list[str] = []
            entity = ""
            for i in key:
                _, _, css, title, ent = layers[i]
                classes += [c for c in css if c not in classes]
                if title and title not in titles:
                    titles.append(title)
                entity = ent or entity
            attrs = f' class="{_escape(" ".join(classes))}"'
            if titles:  # who is quoted, which technique: what the classes and legend do not say
                attrs += f' title="{_escape(" · ".join(titles))}"'
            if entity:
                attrs += f' data-entity="{_escape(entity)}"'
            memo[key] = attrs
        append(f'<span data-s="{a}"{attrs}>{_escape(text[a:b], quote=False)}</span>')
    return Markup("".join(out))  # every part escaped above (html.escape)


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

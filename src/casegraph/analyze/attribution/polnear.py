"""PolNeAR (../shared/eval/polnear): reading its standoff annotations for any split, parsing its
articles the way analysis parses documents, and a cache of the parsed chunks (spaCy DocBin), so
that fitting and measuring do not parse 840 articles again on every run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Ranges = list[tuple[int, int]]


@dataclass
class GoldAttribution:
    content: Ranges
    source: Ranges
    cue: Ranges


@dataclass
class Article:
    name: str
    text: str
    gold: list[GoldAttribution] = field(default_factory=list)


def read_split(root: Path, split: str) -> Iterator[Article]:
    """Articles of one split ("train", "dev") with their attributions, in name order."""
    texts = root / "polnear" / split / "text"
    for ann in sorted((root / "polnear" / split / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        path = texts / f"{name}.txt"
        if not path.is_file():
            continue
        spans: dict[str, Ranges] = {}
        events: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("T") and len(cols) >= 2:
                _kind, _, ranges = cols[1].partition(" ")
                spans[cols[0]] = [(int(r.split()[0]), int(r.split()[1])) for r in ranges.split(";")]
            elif line.startswith("E") and len(cols) >= 2:
                events.append(dict(part.split(":", 1) for part in cols[1].split() if ":" in part))
        gold = [
            GoldAttribution(
                spans.get(ev["Content"], []),
                spans.get(ev.get("Source", ""), []),
                spans.get(ev.get("Cue", ""), []),
            )
            for ev in events
            if "Content" in ev
        ]
        yield Article(name, path.read_text(encoding="utf-8"), gold)


def parse(articles: list[Article], nlp: Any, cache: Path | None = None) -> list[list[Any]]:
    """Parsed chunks (pipeline.Chunk) of each article, as analysis cuts and parses them; read
    from / written to `cache` (a DocBin file) when given."""
    from spacy.tokens import DocBin

    from casegraph.analyze.analyzer import Payload, plan
    from casegraph.analyze.pipeline import Chunk

    plans = [plan(Payload(a.name, a.text, {}, []))[1] for a in articles]
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_bytes(cache.read_bytes()).get_docs(nlp.vocab))
        if len(docs) == sum(len(p) for p in plans):
            out, k = [], 0
            for chunks in plans:
                out.append([Chunk(docs[k + i], s) for i, (s, _e) in enumerate(chunks)])
                k += len(chunks)
            return out
    items = ((a.text[s:e], (ai, s)) for ai, a in enumerate(articles) for s, e in plans[ai])
    parsed: list[list[Any]] = [[] for _ in articles]
    for doc, (ai, s) in nlp.pipe(items, as_tuples=True, batch_size=64):
        parsed[ai].append(Chunk(doc, s))
    if cache is not None:
        bin_ = DocBin(store_user_data=False)
        for done in parsed:
            for c in done:
                bin_.add(c.doc)
        cache.write_bytes(bin_.to_bytes())
    return parsed

"""The ingestor registry, after OCCRP ingest-file: one class per format; each scores how
well it handles a file from its content (magic bytes, sniffing) and its name; the highest
score wins. Third-party formats plug in through the `casegraph.ingestors` entry point group.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from casegraph.errors import UnsupportedFormat
from casegraph.ingest.source import Limits, Source


@dataclass
class Extracted:
    """What an ingestor found in a source: one document's raw text and metadata, and the
    sources inside it (attachments, members, messages), ingested after it as its children."""

    text: str
    mime: str
    title: str = ""
    author: str = ""
    date: str | None = None
    custodian: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    pages: list[str] | None = None  # text per page when the format knows pages (then `text` is unused)
    children: Iterable[Source] = ()
    container: bool = False  # archives and mailboxes: empty text is fine
    normalised: bool = False  # text already normalised (e.g. e-mail header block we built)


@dataclass
class Context:
    """Options of a run that ingestors may read."""

    limits: Limits = field(default_factory=Limits)
    ocr: bool = False
    ocr_lang: str = "eng"
    options: dict[str, Any] = field(default_factory=dict)


class Ingestor:
    """Base class. Subclasses set `name` and `mime`, and implement `score` and `extract`."""

    name = ""
    mime = ""

    def score(self, source: Source) -> int:
        """0 when this ingestor cannot handle `source`; higher is a better fit (content
        evidence ~ 50-100, a matching extension alone ~ 10-30)."""
        raise NotImplementedError

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        raise NotImplementedError


_REGISTRY: list[Ingestor] = []


def register(cls: type[Ingestor]) -> type[Ingestor]:
    _REGISTRY.append(cls())
    return cls


def ingestors() -> list[Ingestor]:
    if not _REGISTRY or not getattr(ingestors, "_loaded", False):
        from casegraph.ingest import formats  # noqa: F401  (registers the built-in formats)

        for ep in entry_points(group="casegraph.ingestors"):
            cls = ep.load()
            if not any(type(i) is cls for i in _REGISTRY):
                _REGISTRY.append(cls())
        ingestors._loaded = True  # type: ignore[attr-defined]
    return list(_REGISTRY)


def detect(source: Source) -> Ingestor:
    """The best ingestor for `source`, or UnsupportedFormat."""
    best, best_score = None, 0
    for ingestor in ingestors():
        s = ingestor.score(source)
        if s > best_score:
            best, best_score = ingestor, s
    if best is None:
        raise UnsupportedFormat(source.path, "unknown file type (no ingestor recognises its content)")
    return best

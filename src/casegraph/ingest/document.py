"""From an ingestor's raw extraction to a stored Document: normalised text, language,
segments, Bates number, title; and how load-file fields merge into a document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from casegraph.errors import EmptyFile, FileTooLarge
from casegraph.ingest.normalize import detect_language, normalise
from casegraph.ingest.registry import Extracted
from casegraph.ingest.segment import segment
from casegraph.ingest.source import Limits, Source, doc_id_for
from casegraph.models import DocKind, Document

# "HOUSE_OVERSIGHT_010486 - James Patterson 3_4.txt" → Bates number, then the original title
_BATES_NAME = re.compile(
    r"^(?P<bates>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_\d{5,})(?:\s*-\s*(?P<title>.+?))?(?:\.\w{1,5})?$"
)


def bates_from_name(name: str) -> tuple[str, str]:
    """(Bates number, title part) from a production file name; ('', '') when there is none."""
    m = _BATES_NAME.match(name)
    if not m:
        return "", ""
    return m["bates"], (m["title"] or "").strip()


def build_document(
    source: Source, ex: Extracted, kind: DocKind, parent_id: str | None, limits: Limits
) -> Document:
    page_starts: list[int] | None = None
    if ex.pages is not None:
        parts, page_starts, pos = [], [], 0
        for page in ex.pages:
            norm = normalise(page)
            page_starts.append(pos)
            parts.append(norm)
            pos += len(norm) + 2
        text = "\n\n".join(parts)
    else:
        text = normalise(ex.text)
    if len(text) > limits.max_text_chars:
        raise FileTooLarge(source.path, f"extracted text of {len(text)} characters is above the limit")
    if not text.strip() and not ex.container:
        raise EmptyFile(source.path, "no text")
    meta = dict(ex.meta)
    bates, name_title = bates_from_name(source.name)
    if bates and not meta.get("bates_begin"):
        meta["bates_begin"] = bates
    title = ex.title.strip() or name_title or meta.get("bates_begin", "") or _first_line(text) or source.name
    sha = source.sha256
    return Document(
        id=doc_id_for(sha),
        sha256=sha,
        kind=kind,
        path=source.path,
        text=text,
        title=" ".join(title.split())[:300],
        author=ex.author,
        date=ex.date,
        custodian=ex.custodian,
        mime=ex.mime,
        lang=detect_language(text),
        parent_id=parent_id,
        meta=meta,
        segments=segment(text, page_starts),
    )


def _first_line(text: str, width: int = 120) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) >= 3:
            if len(line) <= width:
                return line
            cut = line[:width].rsplit(" ", 1)[0]
            return cut + "…"
    return ""


def merge_load_fields(current: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The changes a load-file row makes to a document (`current` has title, author, date,
    custodian, meta). The row fills gaps; it never overwrites what the document itself says
    (an e-mail's own Date beats the production's date), except the title when the title was
    only the Bates number."""
    meta = current.get("meta") or {}
    changes: dict[str, Any] = {}
    for key in ("bates_end", "original_filename", "parent_bates", "pages", "load_file"):
        if key in fields and meta.get(key) != fields[key]:
            changes[key] = fields[key]
    if fields.get("custodian") and not current.get("custodian"):
        changes["custodian"] = fields["custodian"]
    if fields.get("author") and not current.get("author"):
        changes["author"] = fields["author"]
    if fields.get("date") and not current.get("date"):
        changes["date"] = fields["date"]
    title = current.get("title") or ""
    if fields.get("title") and (not title or title == meta.get("bates_begin")):
        changes["title"] = fields["title"]
    return changes

"""E-mail headers (ingest's contract: the text begins `From: Name <addr>\nTo: ...\nCc: ...\n
Date: ...\nSubject: ...\n\n`): PERSON mentions for senders and recipients, and `communicated`
relations From -> To/Cc with the header line as evidence. The header is not sent to the model."""

from __future__ import annotations

import re
from typing import Any

from casegraph.analyze.context import DocContext, M
from casegraph.models import Relation, Span

_FIELD = re.compile(r"^(From|To|Cc|CC|Bcc|Date|Sent|Subject):[ \t]*(.*)$")
_ADDR = re.compile(r"<([^<>\s]+@[^<>\s]+)>|([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)")
MAX_HEADER = 8000


def header_end(text: str, meta: dict[str, Any]) -> int:
    """Offset where the body starts if the text begins with an e-mail header block, else 0."""
    if not (meta.get("email_from") or text.startswith("From:")):
        return 0
    end = text.find("\n\n", 0, MAX_HEADER)
    head = text[: end if end >= 0 else min(len(text), MAX_HEADER)]
    if not any(_FIELD.match(line) for line in head.splitlines()[:1]):
        return 0
    fields = _fields_end(text)
    if fields and (end < 0 or (end > 2000 and end > fields + 200)):
        # an OCR'd print has no blank line after its header: the body starts after the last
        # header field ("Importance: High"), not 8,000 characters on
        return fields
    return end + 2


_HEADER_FIELD = re.compile(r"^(From|To|Cc|CC|Bcc|Date|Sent|Subject|Importance|Attachments):")


def _fields_end(text: str, max_lines: int = 25, max_gap: int = 4) -> int:
    """End (after its newline) of the last header field line at the top of the text; lines
    between fields (values OCR put on their own lines) are allowed, at most max_gap in a row."""
    pos = last = 0
    gap = 0
    for n, line in enumerate(text.split("\n")):
        if n >= max_lines:
            break
        pos_next = pos + len(line) + 1
        if _HEADER_FIELD.match(line.strip()):
            last, gap = pos_next, 0
        else:
            gap += 1
            if gap > max_gap or not line.strip():
                break
        pos = pos_next
    return min(last, len(text))


def header_mentions(ctx: DocContext, end: int) -> list[Relation]:
    """Add header mentions to ctx (chunk -1) and return the From -> To/Cc relations, whose
    subject/object are local mention indexes."""
    senders: list[int] = []
    recipients: list[tuple[int, str, int, int]] = []
    pos = 0
    for line in ctx.text[:end].split("\n"):
        match = _FIELD.match(line)
        if match:
            field, value = match.group(1).capitalize(), match.group(2)
            value_start = pos + match.start(2)
            if field in ("From", "To", "Cc", "Bcc"):
                for start, stop in _people_from_meta(value, _meta_people(ctx.meta, field)) or _people(value):
                    k = _mention(ctx, value_start + start, value_start + stop)
                    if field == "From":
                        senders.append(k)
                    else:
                        recipients.append((k, field, pos, pos + len(line)))
        pos += len(line) + 1
    relations = []
    for s in senders[:1]:
        for k, field, ls, le in recipients:
            if ctx.mentions[k].text.lower() == ctx.mentions[s].text.lower():
                continue  # a note to oneself is not a communication between two people
            relations.append(
                Relation(
                    subject_mention=s,
                    object_mention=k,
                    kind="communicated",
                    predicate=f"e-mail {field}".lower(),
                    evidence=Span(ctx.doc_id, ls, le, ctx.text[ls:le]),
                    confidence=0.95,
                    meta={"header": field.lower()},
                )
            )
    return relations


def _meta_people(meta: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """Ingest's parsed header ({"name","address"} dicts): names may contain commas ("Ens, Amanda")."""
    value = meta.get({"From": "email_from", "To": "email_to", "Cc": "email_cc", "Bcc": "email_bcc"}[field])
    if isinstance(value, dict):
        return [value]
    return [v for v in value or [] if isinstance(v, dict)]


def _people_from_meta(value: str, people: list[dict[str, Any]]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for person in people:
        for key in ("name", "address"):
            needle = str(person.get(key) or "").strip()
            if not needle or needle.startswith("[") or (key == "address" and "@" not in needle):
                continue
            at = value.find(needle, pos)
            if at >= 0:
                spans.append((at, at + len(needle)))
                pos = at + len(needle)
                break
    return spans


def _people(value: str) -> list[tuple[int, int]]:
    """Spans (within the header value) of each person: the display name, else the address."""
    spans = []
    for part in _split_addresses(value):
        start, stop = part
        chunk = value[start:stop]
        addr = _ADDR.search(chunk)
        name_end = addr.start() if addr and addr.group(1) else (addr.start() if addr else len(chunk))
        name = chunk[:name_end].strip().strip("\"'").strip()
        if name and not name.startswith("[") and "@" not in name:
            off = chunk.find(name)
            spans.append((start + off, start + off + len(name)))
        elif addr:
            a, b = addr.span(1) if addr.group(1) else addr.span(2)
            spans.append((start + a, start + b))
    return spans


def _split_addresses(value: str) -> list[tuple[int, int]]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch in '<"':
            depth = 1 - depth if ch == '"' else depth + 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0:
            parts.append((start, i))
            start = i + 1
    parts.append((start, len(value)))
    return [(a, b) for a, b in parts if value[a:b].strip()]


def _mention(ctx: DocContext, start: int, end: int) -> int:
    # names as ingest parsed them may keep a stray bracket or quote: trim it off the span
    while end > start and ctx.text[end - 1] in " <>[]\"'(),;":
        end -= 1
    while start < end and ctx.text[start] in " <>[]\"'(),;":
        start += 1
    text = ctx.text[start:end]
    ctx.mentions.append(M(start, end, text, "PERSON", source="header"))
    return len(ctx.mentions) - 1

"""The estate's structured e-mail JSON (Emails/*.json, schema in Emails/!email_schema.json).

A thread: the top message with `body` entries that are text or nested quoted replies and
forwards. The document text is the header block of the top message, then its body, with
nested messages rendered below as "-----Original Message-----" blocks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from casegraph.errors import CorruptFile, UnsupportedFormat
from casegraph.ingest.formats.mail import Address, email_document
from casegraph.ingest.normalize import decode
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.sniff import head_text
from casegraph.ingest.source import Source


def _looks_like_thread(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "from_name" in value
        and "body" in value
        and isinstance(value["body"], list)
    )


@register
class EstateEmailIngestor(Ingestor):
    name = "estate-email-json"
    mime = "message/rfc822+json"

    def score(self, source: Source) -> int:
        head = head_text(source.head()).lstrip()
        if not head.startswith("{"):
            return 0
        if source.name.startswith("!") and ('"$schema"' in head or "example" in source.name):
            return 90  # the schema and example files: recognised so they can be skipped
        if '"from_name"' in head or '"from_email"' in head:
            return 90
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        if source.name.startswith("!"):
            raise UnsupportedFormat(source.path, "e-mail schema or example file, not a document")
        text, _ = decode(source.read(ctx.limits.max_file_size))
        try:
            thread = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CorruptFile(source.path, f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
        if not _looks_like_thread(thread):
            raise CorruptFile(source.path, "JSON is not an e-mail thread (from_name/body missing)")
        yield email_document(
            sender=Address(thread.get("from_name") or "", thread.get("from_email") or ""),
            to=_recipients(thread.get("to")),
            cc=[],
            bcc=[],
            date=thread.get("sent") or None,
            subject=thread.get("subject") or "",
            message_id="",
            body=_render_body(thread.get("body") or []),
            mime=self.mime,
            extra={"importance": thread.get("importance"), "attachments": thread.get("attachments") or []},
        )


def _recipients(value: Any) -> list[Address]:
    out = []
    for item in value or []:
        if isinstance(item, dict):
            out.append(Address(item.get("to_name") or "", item.get("to_email") or ""))
    return out


def _render_body(entries: list[Any], depth: int = 0) -> str:
    parts: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        content = entry.get("message_content")
        if isinstance(content, str):
            parts.append(content.strip())
        elif isinstance(content, dict) and depth < 50:
            kind = "Forwarded Message" if entry.get("message_type") == "forward" else "Original Message"
            sender = Address(content.get("from_name") or "", content.get("from_email") or "")
            lines = [f"-----{kind}-----", f"From: {sender.display()}"]
            if content.get("to"):
                lines.append("To: " + ", ".join(a.display() for a in _recipients(content.get("to"))))
            if content.get("sent"):
                lines.append(f"Date: {content['sent']}")
            if content.get("subject"):
                lines.append(f"Subject: {content['subject']}")
            parts.append("\n".join(lines) + "\n\n" + _render_body(content.get("body") or [], depth + 1))
    return "\n\n".join(p for p in parts if p)

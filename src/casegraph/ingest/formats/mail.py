"""E-mail: .eml (RFC 822 / MIME) and .mbox, through the standard library.

The e-mail contract other stages rely on: the text of every e-mail document begins with a
header block "From: …\nTo: …\nCc: …\nDate: …\nSubject: …\n\n" followed by the body, and
its meta holds email_from {name, address}, email_to/email_cc/email_bcc (lists of them),
subject and message_id; the document date is the message date (ISO 8601). Redacted
addresses stay the literal "[REDACTED]". Attachments become child documents. The header
block is read back once, at ingest, by ingest/email_header.py (stored with the document).
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from casegraph.errors import CorruptFile, EmptyFile
from casegraph.ingest.normalize import decode
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.source import Source


@dataclass
class Address:
    name: str
    address: str

    def display(self) -> str:
        if self.name and self.address:
            return f"{self.name} <{self.address}>"
        return self.name or self.address

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "address": self.address}


def email_document(
    *,
    sender: Address,
    to: list[Address],
    cc: list[Address],
    bcc: list[Address],
    date: str | None,
    subject: str,
    message_id: str,
    body: str,
    mime: str,
    extra: dict[str, Any] | None = None,
    children: Any = (),
) -> Extracted:
    """An e-mail document in the contract's shape (see the module docstring)."""
    header = (
        f"From: {sender.display()}\n"
        f"To: {', '.join(a.display() for a in to)}\n"
        f"Cc: {', '.join(a.display() for a in cc)}\n"
        f"Date: {date or ''}\n"
        f"Subject: {subject}\n\n"
    )
    meta: dict[str, Any] = {
        "email_from": sender.to_dict(),
        "email_to": [a.to_dict() for a in to],
        "email_cc": [a.to_dict() for a in cc],
        "email_bcc": [a.to_dict() for a in bcc],
        "subject": subject,
        "message_id": message_id,
    }
    meta.update({k: v for k, v in (extra or {}).items() if v not in (None, "", [])})
    return Extracted(
        text=header + body.strip(),
        mime=mime,
        title=subject,
        author=sender.display(),
        date=date,
        meta=meta,
        children=children,
    )


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]", re.M)
_STRONG = re.compile(
    rb"^(?:Message-ID|MIME-Version|Received|Return-Path|Content-Type|Delivered-To|X-Mailer|DKIM-Signature):",
    re.I | re.M,
)


@register
class EmlIngestor(Ingestor):
    name = "eml"
    mime = "message/rfc822"

    def score(self, source: Source) -> int:
        if source.hints.get("mime") == self.mime:
            return 95
        head = source.head()
        if not _HEADER_LINE.match(head):
            return 0
        block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        if _STRONG.search(block):
            return 85
        return 60 if source.suffix == ".eml" else 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        data = source.read(ctx.limits.max_file_size)
        if not data.strip():
            raise EmptyFile(source.path, "empty file")
        yield message_document(source, data, self.mime)


def message_document(source: Source, data: bytes, mime: str) -> Extracted:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; anything raised here means garbage
        raise CorruptFile(source.path, f"cannot parse e-mail: {exc}") from exc
    if not msg.keys():
        raise CorruptFile(source.path, "no e-mail headers")
    body, attachments = _body_and_attachments(msg)
    date = _date(_header(msg, "Date"))
    return email_document(
        sender=(_addresses(_header(msg, "From")) or [Address("", "")])[0],
        to=_addresses(_header(msg, "To")),
        cc=_addresses(_header(msg, "Cc")),
        bcc=_addresses(_header(msg, "Bcc")),
        date=date,
        subject=_header(msg, "Subject"),
        message_id=_header(msg, "Message-ID").strip(),
        body=body,
        mime=mime,
        extra={"in_reply_to": _header(msg, "In-Reply-To").strip(), "date_header": _header(msg, "Date")},
        children=[source.member(name, payload, sep="/", mime=ctype) for name, payload, ctype in attachments],
    )


def _header(msg: Message, name: str) -> str:
    """The header's raw value, RFC 2047-decoded. Raw, because the parsed form rewrites
    what it cannot parse (a redacted "[REDACTED]" recipient would become "<>")."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            value = str(value)
            try:
                value = str(make_header(decode_header(value)))
            except Exception:  # noqa: S110 - undecodable encoded-words: keep them as they are
                pass
            return " ".join(value.split())
    return ""


def _addresses(value: str) -> list[Address]:
    if not value:
        return []
    out = []
    for name, addr in getaddresses([value]):
        if "[REDACTED]" in f"{name} {addr}" or not ("@" in addr or not addr):
            continue
        if name or addr:
            out.append(Address(name.strip(), addr.strip()))
    if "[REDACTED]" in value:
        # getaddresses mangles "[REDACTED]"; keep each redacted recipient as the literal
        for part in re.split(r"[,;](?![^<]*>)", value):
            if "[REDACTED]" in part:
                name = part.replace("[REDACTED]", "").strip().strip("<>\"' ")
                out.append(Address(name, "[REDACTED]"))
    return out


def _date(value: str) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _leaves(part: Message) -> Iterator[Message]:
    """The message's leaf parts; an attached message (message/rfc822) is one leaf, so it
    becomes an attachment rather than melting into the body."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for sub in part.get_payload():
        if isinstance(sub, Message):
            yield from _leaves(sub)


def _body_and_attachments(msg: Message) -> tuple[str, list[tuple[str, bytes, str]]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[tuple[str, bytes, str]] = []
    for n, part in enumerate(_leaves(msg)):
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename()
        if ctype == "message/rfc822" and part is not msg:
            inner = part.get_payload()
            data = (
                inner[0].as_bytes()
                if isinstance(inner, list) and inner and isinstance(inner[0], Message)
                else b""
            )
            attachments.append((_safe_name(filename or f"message-{n}.eml"), data, ctype))
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if disposition == "attachment" or (
            filename and (disposition != "inline" or not ctype.startswith("text/"))
        ):
            attachments.append((_safe_name(filename or f"attachment-{n}"), payload, ctype))
            continue
        if ctype == "text/plain":
            plain.append(_decode_part(part, payload))
        elif ctype == "text/html":
            html.append(_decode_part(part, payload))
    if plain:
        body = "\n\n".join(plain)
    elif html:
        from casegraph.ingest.formats.html import html_to_text

        body = "\n\n".join(html_to_text(h) for h in html)
    else:
        body = ""
    return body, attachments


def _decode_part(part: Message, payload: bytes) -> str:
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(payload)[0]


def _safe_name(name: str) -> str:
    """Attachment names are untrusted: keep the last path component, no traversal."""
    name = name.replace("\\", "/").split("/")[-1].strip().lstrip(".") or "attachment"
    return name[:200]


@register
class MboxIngestor(Ingestor):
    name = "mbox"
    mime = "application/mbox"

    def score(self, source: Source) -> int:
        head = source.head()
        if head.startswith(b"From ") and _HEADER_LINE.search(head):
            return 90
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        yield Extracted(
            text="", mime=self.mime, container=True, title=source.name, children=_messages(source, ctx)
        )


def _messages(source: Source, ctx: Context) -> Iterator[Source]:
    """Split the mailbox streaming, one message at a time (bounded memory)."""
    limit = ctx.limits.max_member_size
    count, size, prev_blank = 0, 0, True
    buf: list[bytes] = []
    with source.open() as fh:
        for line in fh:
            if line.startswith(b"From ") and prev_blank:
                if buf:
                    count += 1
                    yield source.member(str(count), b"".join(buf), mime=EmlIngestor.mime)
                buf, size = [], 0
                prev_blank = False
                continue
            prev_blank = not line.strip()
            if size + len(line) > limit:
                continue  # an oversized message is cut at the limit
            if line.startswith(b">From "):
                line = line[1:]  # mboxrd quoting
            buf.append(line)
            size += len(line)
    if buf:
        count += 1
        yield source.member(str(count), b"".join(buf), mime=EmlIngestor.mime)

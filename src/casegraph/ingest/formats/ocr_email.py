"""E-mail headers printed at the top of OCR'd production pages (Outlook-style
"From: / Sent: / To: / Subject:" lines), read into the same meta keys as real e-mails
(email_from, email_to, email_cc, email_bcc, subject, message_id) so that later stages see
who wrote to whom. `meta.email_header = "ocr"` says the values come from OCR text and may
carry OCR errors ("jeeyacation@gmail.com"). The text itself is left as it is. Header lines and the
persons in them are read by ingest/email_header (field_line, parse_addresses), their one reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casegraph.ingest.email_header import field_line, parse_addresses

_DATE_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%A, %B %d %Y %I:%M %p",
    "%A, %B %d, %Y %I:%M %p",
    "%A, %B %d, %Y %I:%M:%S %p",
    "%B %d, %Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
)


def ocr_email_meta(text: str, max_lines: int = 12) -> tuple[dict[str, Any], str | None]:
    """(meta, ISO date) read from a header block at the very start of `text`; ({}, None)
    when the text does not begin with one."""
    fields: dict[str, str] = {}
    for line in text.lstrip().split("\n", max_lines)[:max_lines]:
        found = field_line(line)
        if found is None:
            break
        value = line[found.value_start : found.value_end]
        fields.setdefault("date" if found.name == "sent" else found.name, value)
    if "from" not in fields or not ({"to", "subject"} & fields.keys()):
        return {}, None
    meta: dict[str, Any] = {
        "email_from": (parse_addresses(fields["from"]) or [{"name": "", "address": ""}])[0],
        "email_to": parse_addresses(fields.get("to", "")),
        "email_cc": parse_addresses(fields.get("cc", "")),
        "email_bcc": parse_addresses(fields.get("bcc", "")),
        "subject": fields.get("subject", ""),
        "message_id": "",
        "email_header": "ocr",
    }
    if fields.get("date"):
        meta["date_header"] = fields["date"]
    return meta, parse_date(fields.get("date", ""))


def parse_date(value: str) -> str | None:
    value = " ".join(value.replace(" ,", ",").split())
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).isoformat()
        except ValueError:
            continue
    return None

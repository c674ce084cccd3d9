"""E-mail header structure, parsed once at ingest: the one reader of header lines.

Ingest writes an e-mail's header block at the top of its text (formats/mail.py's contract:
"From: …\\nTo: …\\nCc: …\\nDate: …\\nSubject: …\\n\\n"); OCR'd prints carry theirs as printed, and
quoted or forwarded messages carry header blocks inside the text. `parse(text, meta)` finds:

- the document's own header (the top block) and where its body begins;
- every header block in the text (a From: line followed by other field lines) and its fields;
- the persons named in the top block's From/To/Cc/Bcc lines (the spans of header mentions);
- where quoted or forwarded messages begin ("-----Original Message-----", "Begin forwarded
  message:", "On DATE, NAME wrote:", an embedded header block), with their writer;
- the parties (models.EmailParty) for the email_parties table: those of the metadata located
  on their header lines, then those of the header blocks written in the text.

The result (models.EmailHeaders) is stored with the document; analysis (header mentions,
`communicated` relations, text roles), resolution (parties), check (the sender) read it.
Documents stored before it existed get it once through `store_missing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casegraph.models import EmailHeaders, EmailParty, Segment

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

VERSION = 1  # bump when parsing changes: stored structures of an older version are parsed again

FIELDS = ("from", "sent", "date", "to", "cc", "bcc", "subject", "attachments", "importance")
# One header line: an optional indent (">" of a reply), the field name, a colon, the value.
_LINE = re.compile(
    r"^(?P<indent>[ \t>]*)(?P<name>From|Sent|Date|To|Cc|Bcc|Subject|Attachments|Importance)[ \t]*:[ \t]*"
    r"(?P<value>[^\n]*?)[ \t]*$",
    re.I,
)
_FROM_LINES = re.compile(r"^[ \t>]*From[ \t]*:[^\n]*$", re.I | re.M)  # the sender may be redacted away
_PARTY_FIELDS = ("from", "to", "cc", "bcc")
_TOP_FIELDS = ("from", "to", "cc", "bcc", "date", "sent", "subject")
MAX_HEADER = 8000  # a top header block is shorter than this
MAX_BLOCK_LINES = 8  # lines after a From: line that a header block may span
MAX_CONTINUATION = 3  # value lines OCR put on their own lines between From: and the next field
MAX_FIELD = 2000  # header fields longer than this are not headers (and would cost quadratic time)
_SEPARATORS = [
    (re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I | re.M), "quoted"),
    (
        re.compile(r"^\s*(?:Begin forwarded message:|-{2,}\s*Forwarded message\s*-{2,})\s*$", re.I | re.M),
        "forwarded",
    ),
    (re.compile(r"^\s*On\s[^\n]{4,160}?\bwrote:\s*$", re.M), "quoted"),
]


@dataclass
class FieldLine:
    """A header line: its field (lower case) and the value's offsets within the line."""

    name: str
    indent: int
    value_start: int
    value_end: int


def field_line(line: str) -> FieldLine | None:
    """The header field a line holds ("To: Jane <j@x.org>"), or None."""
    m = _LINE.match(line)
    if m is None:
        return None
    return FieldLine(m["name"].lower(), len(m["indent"]), m.start("value"), m.end("value"))


def parse(text: str, meta: dict[str, Any]) -> EmailHeaders:
    """The header structure of one document (empty for a document without headers)."""
    body = top_end(text, meta)
    segments: list[Segment] = []
    if body:
        segments += _top_block(text, body, meta)
    blocks = list(_blocks(text))
    n = 1 if body else 0
    for start, fields in blocks:
        if start < body:
            continue  # the top block, read above
        author = _sender_as_written(text[start : fields[0][1]])
        segments.append(Segment("header", start, fields[-1][1], n, role="embedded", author=author))
        segments += [Segment("field", s, e, n, field=f) for s, e, f in fields]
        n += 1
    segments += _messages(text, blocks)
    segments.sort(key=lambda s: (s.start, s.kind, s.end, s.number))  # the store's order
    return EmailHeaders(segments, parties(text, meta, blocks))


# -- the document's own header -------------------------------------------------------


def top_end(text: str, meta: dict[str, Any]) -> int:
    """Offset where the body starts if the text begins with an e-mail header block, else 0."""
    if not (meta.get("email_from") or text.startswith("From:")):
        return 0
    end = text.find("\n\n", 0, MAX_HEADER)
    first = text[: end if end >= 0 else min(len(text), MAX_HEADER)].split("\n", 1)[0]
    found = field_line(first)
    if found is None or found.indent or found.name not in _TOP_FIELDS:
        return 0
    fields = _fields_end(text)
    if fields and (end < 0 or (end > 2000 and end > fields + 200)):
        # an OCR'd print has no blank line after its header: the body starts after the last
        # header field ("Importance: High"), not 8,000 characters on
        return fields
    return end + 2


def _fields_end(text: str, max_lines: int = 25, max_gap: int = 4) -> int:
    """End (after its newline) of the last header field line at the top of the text; lines
    between fields (values OCR put on their own lines) are allowed, at most max_gap in a row."""
    pos = last = 0
    gap = 0
    for n, line in enumerate(text.split("\n")):
        if n >= max_lines:
            break
        pos_next = pos + len(line) + 1
        found = field_line(line.strip())
        if found is not None and not found.indent:  # not "> From:" of a quoted reply
            last, gap = pos_next, 0
        else:
            gap += 1
            if gap > max_gap or not line.strip():
                break
        pos = pos_next
    return min(last, len(text))


def _top_block(text: str, body: int, meta: dict[str, Any]) -> list[Segment]:
    """The top block, its field lines and the persons its From/To/Cc/Bcc lines name."""
    fields: list[Segment] = []
    names: list[Segment] = []
    author = ""
    pos = 0
    for line in text[:body].split("\n"):
        found = field_line(line)
        if found is not None and not found.indent:
            fields.append(Segment("field", pos, pos + len(line), 0, field=found.name))
            value = line[found.value_start : found.value_end]
            at = pos + found.value_start
            if found.name == "from" and not author:
                author = _sender_as_written(line)
            if found.name in _PARTY_FIELDS and len(value) <= MAX_FIELD:  # longer: no header
                for s, e in _people_from_meta(value, _meta_people(meta, found.name)) or _people(value):
                    s, e = _trim(text, at + s, at + e)
                    if s < e:  # "To : <" names nobody
                        names.append(Segment("name", s, e, 0, field=found.name))
        pos += len(line) + 1
    return [Segment("header", 0, body, 0, role="top", author=author), *fields, *names]


def _meta_people(meta: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """Ingest's parsed header ({"name","address"} dicts): names may contain commas ("Ens, Amanda")."""
    value = meta.get("email_" + field)
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


_ADDR = re.compile(r"<([^<>\s]+@[^<>\s]+)>|([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)")


def _people(value: str) -> list[tuple[int, int]]:
    """Spans (within the header value) of each person: the display name, else the address."""
    spans = []
    for start, stop in _split_addresses(value):
        chunk = value[start:stop]
        addr = _ADDR.search(chunk)
        name_end = addr.start() if addr else len(chunk)
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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A name as ingest parsed it may keep a stray bracket or quote: trim it off the span."""
    while end > start and text[end - 1] in " <>[]\"'(),;":
        end -= 1
    while start < end and text[start] in " <>[]\"'(),;":
        start += 1
    return start, end


def _sender_as_written(line: str) -> str:
    """The From: line's name as written, before any address ("Jeffrey E. [jeevacation@…]")."""
    found = field_line(line)
    value = line[found.value_start : found.value_end] if found else ""
    name = re.split(r"[<\[]", value, maxsplit=1)[0]
    return re.sub(r"\s+", " ", name).strip(" \"'_,;")[:80]


# -- header blocks in the text ---------------------------------------------------------

# (From: line start, [(line start, line end, field), ...]) of one block
_Block = tuple[int, list[tuple[int, int, str]]]


def _blocks(text: str) -> Iterator[_Block]:
    """Every header block in a text: a From: line, then within a few lines other header
    fields (To:, Cc:, Sent:, Date:, Subject: …); blank lines may come between, and before the
    first of them up to MAX_CONTINUATION lines of the From: value that OCR wrapped."""
    for match in _FROM_LINES.finditer(text):
        fields = [(match.start(), match.end(), "from")]
        pos, loose = match.end() + 1, 0
        for _ in range(MAX_BLOCK_LINES):
            if pos >= len(text):
                break
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            found = field_line(line)
            if found is not None and found.name != "from":
                fields.append((pos, end, found.name))
            elif line.strip():
                if found is not None or len(fields) > 1 or loose >= MAX_CONTINUATION:
                    break
                loose += 1
            pos = end + 1
        if len(fields) > 1:
            yield match.start(), fields


def _messages(text: str, blocks: list[_Block]) -> list[Segment]:
    """Where quoted and forwarded messages begin, with their writer when the text names it."""
    cuts: list[tuple[int, int, str, str]] = []
    for pattern, role in _SEPARATORS:
        for m in pattern.finditer(text):
            author = _writer(m.group(0)) if "wrote" in m.group(0) else ""
            cuts.append((m.start(), m.end(), role, author))
    for start, fields in blocks:
        cuts.append((start, fields[-1][1], "quoted", _sender_as_written(text[start : fields[0][1]])))
    cuts.sort()
    return [Segment("message", s, e, n, role=r, author=a) for n, (s, e, r, a) in enumerate(cuts)]


def _writer(line: str) -> str:
    """The writer in "On Dec 9, 2016, at 11:46 AM, Ens, Amanda <a@b.c> wrote:": the trailing
    comma-separated parts without digits (the date and time come first)."""
    head = re.sub(r"<[^>]*>|\[[^\]]*\]", "", line.strip())
    head = re.sub(r"^\s*On\s+", "", head)
    head = re.sub(r"\s*wrote:\s*$", "", head)
    parts = [p.strip() for p in head.split(",")]
    keep: list[str] = []
    for part in reversed(parts):
        if not part or re.search(r"\d|\b(?:AM|PM|am|pm)\b", part):
            break
        keep.insert(0, part)
    return re.sub(r"\s+", " ", ", ".join(keep)).strip(" \"'_,;")[:80]


# -- parties ----------------------------------------------------------------------------

_ADDRESS = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_NAME_ADDR = re.compile(r"^\s*\"?([^\"<\[]{0,120}?)\"?\s*[<\[](?:mailto:)?\s*([^>\]]{1,200}?)\s*[>\]]\s*$")
# Bounded repetitions keep matching linear on long OCR lines.
_ITEM = re.compile(
    r"\"?([^\"<\[;\n]{0,80}?)\"?\s{0,5}[<\[](?:mailto:)?\s{0,5}([^>\]\s]{1,80}@[^>\]\s]{1,120}?)\s{0,5}[>\]]"
)


def valid_address(address: str) -> str:
    """The address in lower case, or "" for redactions and junk."""
    match = _ADDRESS.search(address or "")
    return match.group(0).lower().strip(".") if match else ""


def clean_party_name(name: str, address: str = "") -> str:
    """OCR leaves redaction bars and bracket debris after names: "Steve Bannon [ ii",
    "Peggy Siegal f_____", "Kathy Ruemmler [" → the name alone. A name that only repeats
    the address's local part ("Jeevacation") is no name."""
    name = re.split(r"[\[<_(|‹«]", name)[0]
    tokens = name.strip(" -'\".,:;•·*>").split()
    while (
        len(tokens) > 1 and len(tokens[-1]) <= 2 and (tokens[-1].islower() or tokens[-1] in ("I", "II", "l"))
    ):
        if len(tokens) == 2 and tokens[-1] in ("II",):
            break
        tokens.pop()
    name = " ".join(tokens)
    if address and name.lower().replace(".", "") == address.split("@")[0].replace(".", ""):
        return ""
    return name


def split_parties(value: str) -> list[dict[str, str]]:
    """ "Jeffrey E. [jeevacation@gmail.com]; Ens, Amanda" → two parties."""
    value = value[:MAX_FIELD]
    out = []
    for m in _ITEM.finditer(value):
        name = m.group(1).strip(" ,;'")
        parts = [p.strip() for p in name.split(",") if p.strip()]
        if len(parts) > 1 and not (len(parts) == 2 and all(len(p.split()) == 1 for p in parts)):
            # "Darren Indyke, jeffrey E. [jeevacation@gmail.com]": the address is the last name's
            out += [{"name": p, "address": ""} for p in parts[:-1]]
            name = parts[-1]
        out.append({"name": name, "address": m.group(2)})
    rest = _ITEM.sub(";", value)
    out += [{"name": "", "address": a} for a in _ADDRESS.findall(rest)]
    rest = _ADDRESS.sub(";", rest)
    rest = re.sub(r"[<\[][^>\]\n]*[>\]]", ";", rest)  # "<[REDACTED]>" separates like an address
    for chunk in rest.split(";"):
        chunk = re.split(r"[\[<_(|‹«]", chunk)[0].strip(" ,'\"")
        if not chunk:
            continue
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if len(parts) == 2 and all(len(p.split()) == 1 for p in parts):
            out.append({"name": chunk, "address": ""})  # "Ens, Amanda"
        else:
            out += [{"name": p, "address": ""} for p in parts]
    return [p for p in out if _plausible(p)]


def _plausible(party: dict[str, str]) -> bool:
    party["name"] = clean_party_name(party["name"], valid_address(party["address"]))
    name = party["name"]
    if party["address"] and valid_address(party["address"]):
        return True
    return 2 <= len(name) <= 60 and len(name.split()) <= 5 and not re.search(r"\d|https?:|\.com", name)


_BRACKETED = re.compile(r"^(?P<name>.*?)\s*[\[<(]\s*(?:mailto:)?(?P<addr>[^\]>)]*)[\]>)]\s*$")


def parse_addresses(value: str) -> list[dict[str, str]]:
    """The persons of an OCR'd header value as metadata ({"name", "address"}), split at ";":
    "Ens, Amanda; jeffrey E. [jeevacation@gmail.com]" (formats/ocr_email.py)."""
    out = []
    for part in re.split(r";", value):
        part = part.strip().strip(",").replace("©", "@")
        if not part:
            continue
        m = _BRACKETED.match(part)
        if m:
            name, addr = m.group("name"), m.group("addr").strip()
        elif "@" in part and " " not in part.strip():
            name, addr = "", part
        else:
            name, addr = part, ""
        name = re.sub(r"_{2,}.*$", "", name).strip().rstrip("[<(").strip().strip("\"'")
        if name or addr:
            out.append({"name": name, "address": addr})
    return out


def parties(text: str, meta: dict[str, Any], blocks: list[_Block] | None = None) -> list[EmailParty]:
    """The document's parties: those of its metadata, located on their header lines (block
    -1), then those of the header blocks written in its text (OCR'd prints, quoted replies);
    the block at the very top is the one the metadata was read from."""
    head = text[:4000]
    found = [p for role in _PARTY_FIELDS for p in _meta_parties(head, role, meta.get("email_" + role))]
    top = len(text) - len(text.lstrip())
    skip_before = top + 1 if found else 0
    for start, fields in _blocks(text) if blocks is None else blocks:
        if start < skip_before:
            continue
        found += _block_parties(text, start, fields)
    return found


def _meta_parties(head: str, role: str, value: Any) -> list[EmailParty]:
    out = []
    for party in _as_parties(value):
        address = valid_address(party["address"])
        name = clean_party_name(" ".join(party["name"].split()), address)
        if not name and not address:
            continue
        if name and valid_address(name) and not address:
            name, address = "", valid_address(name)
        elif name and valid_address(name):
            name = ""  # the display name is just the address again
        start, end = _locate(head, role, name, address)
        out.append(EmailParty(role, name, address, start, end, head[start:end]))
    return out


def _as_parties(value: Any) -> list[dict[str, str]]:
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [
            {
                "name": str(value.get("name") or ""),
                "address": str(value.get("address") or value.get("email") or ""),
            }
        ]
    if isinstance(value, str):
        value = value[:MAX_FIELD]
        out = []
        for part in re.split(r";|,(?=[^,]*@)", value) if "@" in value else [value]:
            match = _NAME_ADDR.match(part)
            if match:
                out.append({"name": match.group(1).strip(), "address": match.group(2)})
            elif "@" in part:
                out.append({"name": "", "address": part.strip()})
            elif part.strip():
                out.append({"name": part.strip(), "address": ""})
        return out
    if isinstance(value, list):
        return [p for item in value for p in _as_parties(item)]
    return []


def _locate(head: str, role: str, name: str, address: str) -> tuple[int, int]:
    """The header line naming this party, as offsets into the text; (0, 0) when not found."""
    needles = [n for n in (address, name) if n and len(n) > 1]
    for m in re.finditer(r"[^\n]+", head):
        found = field_line(m.group(0))
        lowered = m.group(0).lower()
        if found is not None and found.name == role and any(n.lower() in lowered for n in needles):
            return m.start(), m.end()
    for needle in needles:
        at = head.lower().find(needle.lower())
        if at >= 0:
            return at, at + len(needle)
    return 0, 0


def _block_parties(text: str, start: int, fields: list[tuple[int, int, str]]) -> list[EmailParty]:
    """Parties of one header block written in the text: one sender and its recipients."""
    from_start, from_end, _ = fields[0]
    senders = split_parties(_value(text[from_start:from_end]))
    if len(senders) != 1:
        return []
    rows = [(senders[0], "from", from_start, from_end)]
    rows += [
        (p, f, s, e)
        for s, e, f in fields[1:]
        if f in ("to", "cc", "bcc")
        for p in split_parties(_value(text[s:e]))
    ]
    if len(rows) == 1 or all(role == "bcc" for _, role, _, _ in rows[1:]):
        return []
    out = []
    for party, role, s, e in rows:
        name = " ".join(party["name"].split())
        address = valid_address(party["address"])
        if valid_address(name):
            name, address = "", address or valid_address(name)
        if name or address:
            out.append(EmailParty(role, name, address, s, e, text[s:e], start))
    return out


def _value(line: str) -> str:
    found = field_line(line)
    return line[found.value_start : found.value_end] if found else ""


# -- documents stored before the structure was ------------------------------------------


def store_missing(store: CaseStore) -> int:
    """Parse and store the header structure of documents stored without one (by an older
    version, or by a path that does not parse it); how many there were. Once per document."""
    done = 0
    for doc in store.documents_without_email_headers(VERSION):
        store.replace_email_headers(doc["id"], parse(doc["text"] or "", doc["meta"] or {}), VERSION)
        done += 1
    return done

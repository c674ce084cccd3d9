"""E-mail parties: who sent and received each e-mail document, from its metadata.

Ingest stores `email_from` ({"name", "address"}) and `email_to` / `email_cc` / `email_bcc`
(lists of the same) in a document's meta, and keeps the header block at the start of the
text. A display name and an address that appear together in a header are evidence that they
belong to one person ("Jeffrey Epstein <jeevacation@gmail.com>"); resolution joins them.
"""

from __future__ import annotations

import re
from typing import Any

from casegraph.store.base import loads

_ADDRESS = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_NAME_ADDR = re.compile(r"^\s*\"?([^\"<\[]{0,120}?)\"?\s*[<\[](?:mailto:)?\s*([^>\]]{1,200}?)\s*[>\]]\s*$")
_ROLE_FIELD = {"from": "email_from", "to": "email_to", "cc": "email_cc", "bcc": "email_bcc"}
_HEADER = {"from": ("from",), "to": ("to",), "cc": ("cc",), "bcc": ("bcc",)}


def valid_address(address: str) -> str:
    """The address in lower case, or "" for redactions and junk."""
    match = _ADDRESS.search(address or "")
    return match.group(0).lower().strip(".") if match else ""


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


def _locate(head: str, role: str, party: dict[str, str]) -> tuple[int, int]:
    """The header line naming this party, as offsets into the text; (0, 0) when not found."""
    needles = [n for n in (party["address"], party["name"]) if n and len(n) > 1]
    lines = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]+", head)]
    for start, end, line in lines:
        lowered = line.lower().lstrip()
        if lowered.startswith(tuple(f"{h}:" for h in _HEADER[role])) and any(
            n.lower() in lowered for n in needles
        ):
            return start, end
    for needle in needles:
        at = head.lower().find(needle.lower())
        if at >= 0:
            return at, at + len(needle)
    return 0, 0


# A header block inside a text (OCR'd e-mails, quoted replies): a From: line, then within a
# few lines a To: line; Cc:, Sent:, Date:, Subject: may come between or after.
_FROM_LINE = re.compile(r"^[ \t>]*From:[ \t]*(\S[^\n]*)$", re.M | re.I)
_FIELD_LINE = re.compile(r"^[ \t>]*(To|Cc|Bcc|Sent|Date|Subject):[ \t]*([^\n]*)$", re.I)
# Bounded repetitions keep matching linear on long OCR lines.
_ITEM = re.compile(
    r"\"?([^\"<\[;\n]{0,80}?)\"?\s{0,5}[<\[](?:mailto:)?\s{0,5}([^>\]\s]{1,80}@[^>\]\s]{1,120}?)\s{0,5}[>\]]"
)
_BARE_ADDRESS = _ADDRESS
MAX_BLOCK_LINES = 8


MAX_FIELD = 2000  # header fields longer than this are not headers (and would cost quadratic time)


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
    out += [{"name": "", "address": a} for a in _BARE_ADDRESS.findall(rest)]
    rest = _BARE_ADDRESS.sub(";", rest)
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


def _plausible(party: dict[str, str]) -> bool:
    party["name"] = clean_party_name(party["name"], valid_address(party["address"]))
    name = party["name"]
    if party["address"] and valid_address(party["address"]):
        return True
    return 2 <= len(name) <= 60 and len(name.split()) <= 5 and not re.search(r"\d|https?:|\.com", name)


def header_blocks(text: str) -> list[dict[str, Any]]:
    """Every e-mail header block in a text: [{"from": (party, start, end), "to": [...], "cc": [...]}]."""
    blocks = []
    for match in _FROM_LINE.finditer(text):
        senders = split_parties(match.group(1))
        if len(senders) != 1:
            continue
        block: dict[str, Any] = {
            "from": [(senders[0], match.start(), match.end())],
            "to": [],
            "cc": [],
            "bcc": [],
        }
        pos = match.end() + 1
        for _ in range(MAX_BLOCK_LINES):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            field = _FIELD_LINE.match(line)
            if field is None and line.strip():
                break
            if field is not None and field.group(1).lower() in ("to", "cc", "bcc"):
                role = field.group(1).lower()
                block[role] += [(p, pos, end) for p in split_parties(field.group(2))]
            pos = end + 1
            if pos >= len(text):
                break
        if block["to"] or block["cc"]:
            blocks.append(block)
    return blocks


def parties_in_text(doc_id: str, text: str, skip_before: int = 0) -> list[dict[str, Any]]:
    """Rows for the email_parties table from the header blocks written in a text (those
    starting before `skip_before` are already known from the metadata)."""
    rows = []
    for block in header_blocks(text):
        if block["from"][0][1] < skip_before:
            continue
        for role in ("from", "to", "cc", "bcc"):
            for party, start, end in block[role]:
                name = " ".join(party["name"].split())
                address = valid_address(party["address"])
                if valid_address(name):
                    name, address = "", address or valid_address(name)
                if name or address:
                    rows.append(
                        {
                            "doc_id": doc_id,
                            "role": role,
                            "name": name,
                            "address": address,
                            "start": start,
                            "end": end,
                            "text": text[start:end],
                            "block": block["from"][0][1],
                        }
                    )
    return rows


def parties_of(doc_id: str, head: str, meta: dict[str, Any] | str) -> list[dict[str, Any]]:
    """Rows for the email_parties table from one document's metadata and header text."""
    fields: dict[str, Any] = loads(meta, {}) if isinstance(meta, str) else meta
    rows = []
    for role, field in _ROLE_FIELD.items():
        for party in _as_parties(fields.get(field)):
            address = valid_address(party["address"])
            name = clean_party_name(" ".join(party["name"].split()), address)
            if not name and not address:
                continue
            if name and valid_address(name) and not address:
                name, address = "", valid_address(name)
            elif name and valid_address(name):
                name = ""  # the display name is just the address again
            start, end = _locate(head, role, {"name": name, "address": address})
            rows.append(
                {
                    "doc_id": doc_id,
                    "role": role,
                    "name": name,
                    "address": address,
                    "start": start,
                    "end": end,
                    "text": head[start:end],
                }
            )
    return rows

"""FARA bulk data (U.S. Foreign Agents Registration Act) as an ingest format: register documents.

Each registrant becomes one source document whose text is rendered from its register rows:
a header line, then one line per foreign principal ("X represents Y (COUNTRY) as a foreign
principal, registered ..."). The register's structure is kept with the document
(`meta["register_reading"]`: the names written into the text, with their offsets and labels,
and the `represents` / `lobbied` relations between them), so that the register annotator
(`casegraph.analyze.register`) stores them as mentions and relations without re-reading the
text. The document id comes from the sha256 of the rendered text; its path is
`<csv path>#row=N`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rigour.names.org_types import extract_org_types

from casegraph.errors import IngestError
from casegraph.models import Document, RegisterStored, Segment
from casegraph.resolve.names import invert_comma_name

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

REGISTRANTS = "FARA_All_Registrants.csv"
PRINCIPALS = "FARA_All_ForeignPrincipals.csv"
MIME = "text/x-fara"
# Words that make a name an organisation even without a legal form (a principal can be a
# ministry, an embassy, a party or a person).
_ORG_WORDS = re.compile(
    r"\b(ministry|embassy|government|republic|kingdom|party|council|office|agency|bank|association|"
    r"foundation|institute|company|corporation|corp|group|partners|committee|chamber|union|authority|"
    r"university|center|centre|fund|federation|state|province|city|department|board|commission|"
    r"organization|organisation|trust|holding|holdings|media|news|services|consulting|international|"
    r"global|strategies|strategy|affairs|tourism|national|people|movement|coalition|society|church|"
    r"the|of|and|&|llc|inc|ltd|lp|llp|plc)\b",
    re.I,
)


@dataclass
class Registrant:
    number: str
    name: str
    row: int
    source: str
    registered: str = ""
    terminated: str = ""
    address: str = ""
    principals: list[dict[str, str]] = field(default_factory=list)


def _iso(date: str) -> str:
    date = (date or "").strip()
    try:
        return datetime.strptime(date, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return ""


def name_label(name: str) -> str:
    """PERSON for a personal name ("Wiles, Lanny", "Alexander Machkevich"), else ORG."""
    if extract_org_types(name.lower()) or _ORG_WORDS.search(name) or re.search(r"\d", name):
        return "ORG"
    words = invert_comma_name(name).split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() and re.fullmatch(r"[A-Za-z.'-]+", w) for w in words):
        return "PERSON"
    return "ORG"


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _register_files(path: Path) -> tuple[Path | None, Path | None]:
    """(registrants CSV, foreign principals CSV) from a folder holding them or one of them."""
    if path.is_dir():
        reg, fp = path / REGISTRANTS, path / PRINCIPALS
        if not reg.exists() and not fp.exists():
            raise IngestError(str(path), f"neither {REGISTRANTS} nor {PRINCIPALS} found")
        return (reg if reg.exists() else None), (fp if fp.exists() else None)
    header = next(iter(_decode_lines(path)), "")
    if "Foreign Principal" in header:
        return None, path
    if "Registration Number" in header and "Name" in header:
        return path, None
    raise IngestError(str(path), "not a FARA registrants or foreign principals CSV (unknown header)")


def read_register(folder: Path) -> list[Registrant]:
    reg_path, fp_path = _register_files(folder)
    registrants: dict[str, Registrant] = {}
    if reg_path is not None:
        for i, row in enumerate(_rows(reg_path), start=1):
            number = _clean(row.get("Registration Number"))
            name = _clean(row.get("Name"))
            if not number or not name:
                continue
            address = ", ".join(
                p
                for p in (_clean(row.get(k)) for k in ("Address 1", "Address 2", "City", "State", "Zip"))
                if p
            )
            registrants.setdefault(
                number,
                Registrant(
                    number,
                    name,
                    i,
                    f"{reg_path}#row={i}",
                    _iso(row.get("Registration Date", "")),
                    _iso(row.get("Termination Date", "")),
                    address,
                ),
            )
    if fp_path is not None:
        for i, row in enumerate(_rows(fp_path), start=1):
            number = _clean(row.get("Registration Number"))
            principal = _clean(row.get("Foreign Principal"))
            if not number or not principal:
                continue
            reg = registrants.get(number)
            if reg is None:
                name = _clean(row.get("Registrant Name")) or f"FARA registrant {number}"
                reg = registrants[number] = Registrant(
                    number, name, i, f"{fp_path}#row={i}", _iso(row.get("Registrant Date", ""))
                )
            reg.principals.append(
                {
                    "name": principal,
                    "country": _clean(row.get("Country/Location Represented")),
                    "registered": _iso(row.get("Foreign Principal Registration Date", "")),
                    "terminated": _iso(row.get("Foreign Principal Termination Date", "")),
                    "row": str(i),
                }
            )
    return list(registrants.values())


def _decode_lines(path: Path) -> Iterator[str]:
    """The bulk files mix encodings line by line (UTF-8 and Windows-1252): decode each line
    as UTF-8, else as Windows-1252, so that "Société" survives either way."""
    with path.open("rb") as f:
        for raw in f:
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace")


def read_csv_rows(path: Path) -> Iterator[dict[str, str]]:
    lines = _decode_lines(path)
    first = next(lines, "")
    yield from csv.DictReader(_chain(first.lstrip("\ufeff"), lines))


def _chain(first: str, rest: Any) -> Iterator[str]:
    yield first
    yield from rest


_rows = read_csv_rows


class _Text:
    """Builds the rendered text while recording the offsets of the names written into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.lines: list[tuple[int, int]] = []
        self._line_start = 0

    def write(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def end_line(self) -> tuple[int, int]:
        span = (self._line_start, self.length)
        self.lines.append(span)
        self.write("\n")
        self._line_start = self.length
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def render(reg: Registrant) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[tuple[int, int]]]:
    """(text, mentions, relations, lines) of one registrant. Mentions carry a local key that
    relations refer to; offsets are into the text."""
    out = _Text()
    mentions: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    reg_label = name_label(reg.name)

    def mention(text: str, label: str, cluster: str) -> int:
        start, end = out.write(text)
        mentions.append({"start": start, "end": end, "text": text, "label": label, "cluster": cluster})
        return len(mentions) - 1

    out.write(f"FARA registration {reg.number}: ")
    mention(reg.name, reg_label, f"fara:{reg.number}")
    dates = f", registered {reg.registered}" if reg.registered else ""
    dates += f", terminated {reg.terminated}" if reg.terminated else ""
    out.write(f" is registered as a foreign agent{dates}.")
    out.end_line()
    if reg.address:
        out.write(f"Address: {reg.address}.")
        out.end_line()
    for k, p in enumerate(reg.principals):
        line_start = out.length
        subject = mention(reg.name, reg_label, f"fara:{reg.number}")
        out.write(" represents ")
        obj = mention(p["name"], name_label(p["name"]), f"fara:{reg.number}:p{k}")
        country = None
        if p["country"]:
            out.write(" (")
            country = mention(p["country"], "GPE", f"fara:country:{p['country']}")
            out.write(")")
        out.write(" as a foreign principal")
        if p["registered"]:
            out.write(f" since {p['registered']}")
        if p["terminated"]:
            out.write(f" until {p['terminated']}")
        out.write(".")
        start, end = out.end_line()
        assert start == line_start
        relations.append(
            {
                "subject": subject,
                "object": obj,
                "kind": "represents",
                "predicate": "represents",
                "start": start,
                "end": end,
                "meta": {"register": "FARA", "registration": reg.number, "row": p["row"]},
            }
        )
        if country is not None:
            relations.append(
                {
                    "subject": subject,
                    "object": country,
                    "kind": "lobbied",
                    "predicate": "is a foreign agent for",
                    "start": start,
                    "end": end,
                    "meta": {"register": "FARA", "registration": reg.number, "row": p["row"]},
                }
            )
    return out.text, mentions, relations, out.lines


def register_documents(folder: Path) -> Iterator[Document]:
    """One source document per registrant, with its register reading in `meta`."""
    for reg in read_register(folder):
        text, mentions, relations, lines = render(reg)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        segments = [Segment("paragraph", s, e, number=i) for i, (s, e) in enumerate(lines)]
        segments += [Segment("sentence", s, e, number=i) for i, (s, e) in enumerate(lines)]
        yield Document(
            id=sha[:16],
            sha256=sha,
            kind="source",
            path=reg.source,
            text=text,
            title=f"FARA registration {reg.number}: {reg.name}",
            date=reg.registered or None,
            custodian="U.S. Department of Justice, FARA",
            mime=MIME,
            lang="en",
            meta={
                "register": "FARA",
                "fara_registration": reg.number,
                "registrant": reg.name,
                "principals": len(reg.principals),
                "register_reading": {"mentions": mentions, "relations": relations},
            },
            segments=segments,
        )


def ingest_register(store: CaseStore, folder: Path) -> RegisterStored:
    """Store the register's documents; returns counts and the ids of every registrant's
    document (new or already present), for the register annotator."""
    added = present = 0
    doc_ids = []
    for doc in register_documents(folder):
        if store.add_document(doc, size=len(doc.text.encode("utf-8"))):
            added += 1
            doc_ids.append(doc.id)
        else:
            present += 1
            doc_ids.append(store.document_id_for_sha256(doc.sha256) or doc.id)
    return RegisterStored(
        registrants=added + present,
        documents_added=added,
        documents_already_present=present,
        documents=doc_ids,
    )

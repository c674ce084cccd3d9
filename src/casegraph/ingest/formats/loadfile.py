"""Production load files (Concordance/Relativity-style CSV exports such as
HOUSE_OVERSIGHT_009_REPORT.csv): one row per produced document, keyed by Bates number.

A load file is not a document: its rows are kept in the store and attached to the documents
they name (matched by the Bates number in their file name), whichever comes first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from casegraph.errors import CorruptFile
from casegraph.ingest.normalize import decode
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.sniff import head_text
from casegraph.ingest.source import Source
from casegraph.models import LoadRow

# column → key; columns not named here are kept under their snake_case name
COLUMNS = {
    "bates begin": "bates_begin",
    "begbates": "bates_begin",
    "bates_number": "bates_begin",
    "bates number": "bates_begin",
    "bates end": "bates_end",
    "endbates": "bates_end",
    "pages": "pages",
    "opt_page_count": "pages",
    "document title": "document_title",
    "email subject/title": "email_subject",
    "original filename": "original_filename",
    "custodian/source": "custodian",
    "custodian": "custodian",
    "author": "author",
    "date created": "date_created",
    "date last modified": "date_last_modified",
    "date sent": "date_sent",
    "date received": "date_received",
    "time sent": "time_sent",
    "time zone": "time_zone",
    "email from": "email_from",
    "email to": "email_to",
    "email cc": "email_cc",
    "email bcc": "email_bcc",
    "document extension": "extension",
    "file size": "file_size",
    "md5 hash": "md5",
    "parent document id": "parent_bates",
    "attachment document": "attachment_bates",
    "bates begin attach": "family_begin",
    "bates end attach": "family_end",
    "original folder path": "original_folder",
    "opt_volume_id": "volume",
}
# image and text link columns say where the vendor's files were; nothing about the document
IGNORED = {
    "text link",
    "native link",
    "opt_first_image_path",
    "opt_image_range",
    "opt_bates_end",
    "opt_actual_page_count",
}
_BATES_HEADER = re.compile(r"^\W*\"?(?:bates|begbates|beginbates|prodbeg)", re.I)


@register
class LoadFileIngestor(Ingestor):
    name = "loadfile"
    mime = "text/csv+loadfile"
    is_load_file = True

    def score(self, source: Source) -> int:
        first_line = head_text(source.head()).split("\n", 1)[0]
        if _BATES_HEADER.match(first_line) and ("," in first_line or "\x14" in first_line):
            return 95
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        raise CorruptFile(source.path, "a load file has rows, not text")  # the pipeline calls rows()

    def rows(self, source: Source, ctx: Context) -> Iterator[LoadRow]:
        """Rows keyed as in COLUMNS, empty cells left out; each has a bates_begin."""
        text, _ = decode(source.read(ctx.limits.max_file_size))
        delimiter = "\x14" if "\x14" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0] else ","
        reader = csv.reader(
            io.StringIO(text), delimiter=delimiter, quotechar="\u00fe" if "\u00fe" in text[:200] else '"'
        )
        try:
            header = next(reader)
        except StopIteration:
            return
        keys = [_key(h) for h in header]
        try:
            for values in reader:
                row = {k: v.strip() for k, v in zip(keys, values, strict=False) if k and v and v.strip()}
                if row.get("bates_begin"):
                    yield row
        except csv.Error as exc:
            raise CorruptFile(source.path, f"malformed CSV at line {reader.line_num}: {exc}") from exc


def _key(header: str) -> str:
    h = header.strip().strip("\ufeff").lower()
    if not h or h in IGNORED or not any(c.isalnum() for c in h):
        return ""
    return COLUMNS.get(h) or re.sub(r"\W+", "_", h).strip("_")


def document_fields(row: LoadRow) -> dict[str, Any]:
    """What a load-file row sets on its document: columns and promoted meta keys."""
    out: dict[str, Any] = {"bates_begin": row["bates_begin"], "load_file": dict(row)}
    for key in ("bates_end", "original_filename", "parent_bates"):
        if row.get(key):
            out[key] = row[key]
    if row.get("pages", "").isdigit():
        out["pages"] = int(row["pages"])
    if row.get("custodian"):
        out["custodian"] = row["custodian"]
    if row.get("author"):
        out["author"] = row["author"]
    date = _iso_date(row.get("date_sent"), row.get("time_sent")) or _iso_date(row.get("date_created"))
    if date:
        out["date"] = date
    title = row.get("email_subject") or row.get("document_title") or ""
    if not title and row.get("original_filename"):
        title = re.sub(r"\.\w{1,5}$", "", row["original_filename"])
    if title:
        out["title"] = title
    return out


def _iso_date(date: str | None, time: str | None = None) -> str | None:
    if not date:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y"):
        try:
            day = datetime.strptime(date.strip(), fmt)
        except ValueError:
            continue
        if time:
            for tfmt in ("%I:%M:%S %p", "%H:%M:%S", "%I:%M %p"):
                try:
                    t = datetime.strptime(time.strip(), tfmt)
                    return day.replace(hour=t.hour, minute=t.minute, second=t.second).isoformat()
                except ValueError:
                    continue
        return day.date().isoformat()
    return None

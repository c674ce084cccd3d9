"""iMessage transcripts as exported in the estate (Markdown: a metadata list, then a table
of messages). Each message becomes one line "[timestamp] sender: message", one paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.errors import EmptyFile
from casegraph.ingest.normalize import decode
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.sniff import head_text
from casegraph.ingest.source import Source

_FIELD = re.compile(r"^-\s+\*\*(?P<key>[^*]+?):\*\*\s*(?P<value>.*)$", re.M)
_ROW = re.compile(r"^\|\s*`?(?P<ts>[^|`]*?)`?\s*\|\s*(?P<sender>[^|]*?)\s*\|\s*(?P<msg>.*?)\s*\|?\s*$")
_BATES = re.compile(r"[A-Z][A-Z]+(?:_[A-Z]+)*_\d{5,}")


@register
class IMessageIngestor(Ingestor):
    name = "imessage-transcript"
    mime = "text/x-imessage-transcript"

    def score(self, source: Source) -> int:
        head = head_text(source.head())
        if "# Chat Transcript" in head[:200] and "| Timestamp | Sender | Message |" in head:
            return 80
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        text, _ = decode(source.read(ctx.limits.max_file_size))
        fields = {
            m["key"].strip().lower().replace(" ", "_"): m["value"].strip().rstrip(",")
            for m in _FIELD.finditer(text)
        }
        title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), "")
        messages = []
        in_table = False
        for line in text.splitlines():
            if line.startswith("| Timestamp"):
                in_table = True
                continue
            if not in_table or not line.startswith("|") or line.startswith("| ---"):
                continue
            m = _ROW.match(line)
            if m:
                msg = m["msg"].replace("<br>", "\n").strip()
                messages.append(f"[{m['ts']}] {m['sender'] or 'Unknown'}: {msg}")
        if not messages:
            raise EmptyFile(source.path, "chat transcript without messages")
        head = [title] + [
            f"{k.replace('_', ' ').capitalize()}: {fields[k]}"
            for k in ("service", "participants", "presentity_ids", "start_time", "end_time")
            if k in fields
        ]
        meta = {k: v for k, v in fields.items()}
        meta["messages"] = len(messages)
        bates = _BATES.search(fields.get("original_file", ""))
        if bates:
            meta["bates_begin"] = bates.group(0)
        start = fields.get("start_time", "")
        date = start.replace(" ", "T") if re.match(r"\d{4}-\d\d-\d\d", start) else None
        yield Extracted(
            text="\n".join(head) + "\n\n" + "\n\n".join(messages),
            mime=self.mime,
            title=title,
            date=date,
            meta=meta,
        )

"""Plain text and Markdown (and any other text in an 8-bit or UTF encoding)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.errors import EmptyFile
from casegraph.ingest.formats.ocr_email import ocr_email_meta
from casegraph.ingest.normalize import decode_report
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.sniff import looks_textual
from casegraph.ingest.source import Source

TEXT_EXTENSIONS = {".txt", ".text", ".md", ".markdown", ".csv", ".tsv", ".log", ".rst"}


@register
class TextIngestor(Ingestor):
    name = "text"
    mime = "text/plain"

    def score(self, source: Source) -> int:
        if not looks_textual(source.head()):
            return 0
        return 30 if source.suffix in TEXT_EXTENSIONS else 15

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        data = source.read(ctx.limits.max_file_size)
        if not data.strip():
            raise EmptyFile(source.path, "empty file")
        text, encoding, replaced = decode_report(data)
        mime = "text/markdown" if source.suffix in (".md", ".markdown") else self.mime
        meta, date = ocr_email_meta(text)  # ({}, None) unless the text begins with an e-mail header
        subject = meta.get("subject", "")
        # "Re:" alone says nothing: then the file name or Bates number makes the title
        title = (
            subject if len(re.sub(r"^\W*((re|fw|fwd|aw|wg)\s*:\s*)*", "", subject, flags=re.I)) >= 4 else ""
        )
        if replaced:  # a mostly-UTF-8 file with stray bytes: say that it was repaired
            meta = {**meta, "encoding_repaired": f"{replaced} invalid byte(s) replaced with U+FFFD"}
        yield Extracted(text=text, mime=mime, meta={"encoding": encoding, **meta}, date=date, title=title)

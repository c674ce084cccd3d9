"""Word .docx through python-docx: paragraphs and tables in order, core properties."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from casegraph.errors import CorruptFile, EmptyFile
from casegraph.ingest.formats.archive import check_zip
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.source import Source


@register
class DocxIngestor(Ingestor):
    name = "docx"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def score(self, source: Source) -> int:
        head = source.head()
        if not head.startswith(b"PK\x03\x04"):
            return 0
        if b"word/" in head:
            return 90
        return 85 if source.suffix in (".docx", ".docm", ".dotx") else 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            with source.open() as fh, zipfile.ZipFile(fh) as zf:
                check_zip(source, zf, ctx.limits)  # a .docx is a zip: the same bomb checks apply
                if "word/document.xml" not in zf.namelist():
                    raise CorruptFile(source.path, "a zip without word/document.xml is not a .docx")
            with source.open() as fh:
                document = docx.Document(fh)
        except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
            raise CorruptFile(source.path, f"damaged .docx ({type(exc).__name__}: {exc})"[:200]) from exc
        except Exception as exc:  # lxml errors on broken XML parts
            if type(exc).__name__ == "XMLSyntaxError":
                raise CorruptFile(source.path, f"damaged .docx XML: {exc}"[:200]) from exc
            raise
        blocks: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = _local(child)
            if tag == "p":
                blocks.append("".join(t.text or "" for t in child.iter() if _local(t) == "t"))
            elif tag == "tbl":
                for row in child.iter():
                    if _local(row) == "tr":
                        cells = []
                        for cell in row.iterchildren():
                            if _local(cell) == "tc":
                                cells.append(
                                    " ".join(
                                        "".join(t.text or "" for t in cell.iter() if _local(t) == "t").split()
                                    )
                                )
                        blocks.append(" | ".join(cells))
        text = "\n\n".join(b.strip() for b in blocks if b.strip())
        if not text:
            raise EmptyFile(source.path, ".docx without text")
        props = document.core_properties
        yield Extracted(
            text=text,
            mime=self.mime,
            title=props.title or "",
            author=props.author or "",
            date=props.created.isoformat() if props.created else None,
            meta={
                k: v
                for k, v in {
                    "last_modified_by": props.last_modified_by,
                    "modified": props.modified.isoformat() if props.modified else None,
                }.items()
                if v
            },
        )


def _local(element: Any) -> str:
    """The local name of an XML element; "" for comments and processing instructions, whose
    `tag` is not a string (lxml gives them a function there)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

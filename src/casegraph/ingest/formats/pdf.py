"""PDF through pypdf: text per page; scanned pages (no text layer) through OCR when
--ocr is given (Debian's pdftoppm renders the page, tesseract reads it)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casegraph.errors import CorruptFile, EmptyFile, EncryptedFile, FileTooLarge
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.source import Source

MIN_PAGE_CHARS = 20  # below this a page counts as scanned (no text layer)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd object


@register
class PdfIngestor(Ingestor):
    name = "pdf"
    mime = "application/pdf"

    def score(self, source: Source) -> int:
        head = source.head()
        if head.startswith(b"%PDF-"):
            return 100
        if b"%PDF-" in head[:1024]:
            return 80  # junk before the header is common and tolerated by readers
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

        try:
            with source.open() as fh:
                reader = PdfReader(fh)
                if reader.is_encrypted:
                    try:
                        if not reader.decrypt(""):
                            raise EncryptedFile(source.path, "password-protected PDF")
                    except (FileNotDecryptedError, NotImplementedError) as exc:
                        raise EncryptedFile(source.path, "password-protected PDF") from exc
                    except DependencyError as exc:  # AES needs the `cryptography` package
                        raise EncryptedFile(
                            source.path, f"encrypted PDF: cannot decrypt it here ({exc})"[:200]
                        ) from exc
                count = len(reader.pages)
                if count > ctx.limits.max_pdf_pages:
                    raise FileTooLarge(
                        source.path, f"{count} pages is above the limit of {ctx.limits.max_pdf_pages}"
                    )
                pages = [_page_text(page) for page in reader.pages]
                info = _info(reader)
        except (EncryptedFile, FileTooLarge):
            raise
        except FileNotDecryptedError as exc:
            raise EncryptedFile(source.path, "password-protected PDF") from exc
        except (
            PdfReadError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            AssertionError,
            RecursionError,
            OSError,
        ) as exc:
            raise CorruptFile(
                source.path, f"damaged or truncated PDF ({type(exc).__name__}: {exc})"[:200]
            ) from exc
        scanned = [i for i, text in enumerate(pages) if len(text.strip()) < MIN_PAGE_CHARS]
        meta: dict[str, object] = {"pages": len(pages)}
        if scanned and ctx.ocr:
            for i, text in ocr_pages(source, [n + 1 for n in scanned], ctx).items():
                pages[i - 1] = text
            meta["ocr_pages"] = len(scanned)
            meta["ocr_lang"] = ctx.ocr_lang
        elif scanned:
            meta["pages_without_text"] = len(scanned)
        if not any(p.strip() for p in pages):
            hint = "" if ctx.ocr else "; it looks scanned: run with --ocr"
            raise EmptyFile(source.path, f"PDF without a text layer{hint}")
        yield Extracted(text="", pages=pages, mime=self.mime, meta={**meta, **info.pop("meta", {})}, **info)


def _page_text(page: Any) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # one bad page must not lose the others
        return ""


def _info(reader: Any) -> dict[str, Any]:
    try:
        md = reader.metadata
    except Exception:
        md = None
    if not md:
        return {}
    out: dict[str, Any] = {"title": str(md.title or ""), "author": str(md.author or "")}
    try:
        created = md.creation_date
        if created:
            out["date"] = created.isoformat()
    except (ValueError, TypeError):
        pass
    return out


def ocr_available() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


def ocr_pages(source: Source, numbers: list[int], ctx: Context) -> dict[int, str]:
    """Text of the given 1-based pages by OCR. Missing tools raise a clear error."""
    if not ocr_available():
        raise EmptyFile(
            source.path, "scanned PDF but OCR tools are missing (apt-get install tesseract-ocr poppler-utils)"
        )
    out: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="casegraph-ocr-") as tmp:
        pdf_path = source.fs_path
        if pdf_path is None:
            pdf_path = Path(tmp) / "in.pdf"
            pdf_path.write_bytes(source.data or b"")
        for n in numbers:
            prefix = Path(tmp) / f"p{n}"
            try:
                subprocess.run(
                    [
                        "pdftoppm",
                        "-f",
                        str(n),
                        "-l",
                        str(n),
                        "-r",
                        "300",
                        "-gray",
                        "-png",
                        "-singlefile",
                        str(pdf_path),
                        str(prefix),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=ctx.limits.ocr_timeout_s,
                )
                result = subprocess.run(
                    ["tesseract", f"{prefix}.png", "stdout", "-l", ctx.ocr_lang],
                    check=True,
                    capture_output=True,
                    timeout=ctx.limits.ocr_timeout_s,
                )
            except subprocess.TimeoutExpired as exc:
                raise CorruptFile(source.path, f"OCR of page {n} timed out") from exc
            except subprocess.CalledProcessError as exc:
                err = exc.stderr.decode("utf-8", "replace").strip().splitlines()
                raise CorruptFile(source.path, f"OCR of page {n} failed: {err[-1] if err else exc}") from exc
            out[n] = result.stdout.decode("utf-8", "replace")
    return out

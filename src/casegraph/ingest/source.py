"""A file to ingest: on disk or in memory (an archive member, an attachment, a message).

Reads are bounded: `read()` refuses anything above the configured limit, and hashing
streams, so memory stays flat whatever the file size.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from casegraph.errors import FileTooLarge

HEAD_BYTES = 8192
CHUNK = 1 << 20


@dataclass
class Limits:
    """Safety limits. Sizes in bytes."""

    max_file_size: int = 256 << 20  # a single file we are willing to read into memory
    max_text_chars: int = 50_000_000  # extracted text per document
    max_member_size: int = 256 << 20  # one archive member, uncompressed
    max_archive_total: int = 2 << 30  # all members of one archive, uncompressed
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    max_members: int = 100_000
    max_depth: int = 4  # archives within archives, attachments within messages
    max_pdf_pages: int = 5000
    ocr_timeout_s: int = 120


@dataclass
class Source:
    """`path` is the path as ingested and shown to users: for members, the container's path
    then '!' then the member's path. Exactly one of `fs_path` and `data` is set."""

    path: str
    name: str
    fs_path: Path | None = None
    data: bytes | None = None
    depth: int = 0
    hints: dict[str, Any] = field(default_factory=dict)  # what a container knows (e.g. MIME type)
    _head: bytes | None = None
    _sha256: str | None = None

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.fs_path is not None
        return self.fs_path.stat().st_size

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.fs_path is not None
        return open(self.fs_path, "rb")

    def head(self) -> bytes:
        if self._head is None:
            if self.data is not None:
                self._head = self.data[:HEAD_BYTES]
            else:
                with self.open() as fh:
                    self._head = fh.read(HEAD_BYTES)
        return self._head

    def read(self, limit: int) -> bytes:
        """The whole content, refusing files above `limit` bytes."""
        if self.size > limit:
            raise FileTooLarge(self.path, f"{self.size} bytes is above the limit of {limit}")
        if self.data is not None:
            return self.data
        with self.open() as fh:
            return fh.read()

    def chunks(self) -> Iterator[bytes]:
        with self.open() as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            digest = hashlib.sha256()
            if self.data is not None:
                digest.update(self.data)
            else:
                for chunk in self.chunks():
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256

    def member(self, name: str, data: bytes, sep: str = "!", **hints: Any) -> Source:
        """A source inside this one (archive member, message, attachment)."""
        name = printable(name)
        return Source(
            path=f"{self.path}{sep}{name}",
            name=PurePosixPath(name).name or name,
            data=data,
            depth=self.depth + 1,
            hints=hints,
        )


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by Python as a lone surrogate
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(name: str) -> str:
    """A file or member name as it is stored and shown: bytes that are not UTF-8 become
    `\\xNN` (the byte's value, so nothing is lost), and control characters (terminal escape
    sequences) and bidirectional overrides are written the same way instead of reaching a
    terminal. Other names are returned unchanged."""
    return _UNPRINTABLE.sub(_escape, name)


def doc_id_for(sha256: str) -> str:
    """Document ids derive from the content hash: the same bytes anywhere are one document."""
    return sha256[:16]

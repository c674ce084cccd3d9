"""Zip and tar archives: each member becomes a document whose path is the archive's path,
'!', then the member's path, with the archive as its parent.

Members are untrusted: absolute paths and '../' escapes are refused (never written to
disk anyway: members are read into memory within size limits), and zip bombs are refused
by compression ratio, member size and total size, checked both on the declared sizes and
while actually decompressing.
"""

from __future__ import annotations

import lzma
import posixpath
import tarfile
import zipfile
import zlib
from collections.abc import Iterator

from casegraph.errors import CorruptFile, UnsafeArchive
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.source import Limits, Source, printable

_TAR_NAMES = (".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_MIN_RATIO_SIZE = 1 << 20  # tiny members may compress extremely well without being bombs


def unsafe_member_name(name: str) -> str | None:
    """Why a member name is unsafe, or None."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        return f"absolute member path {name!r} refused"
    if ".." in clean.split("/"):
        return f"member path {name!r} escapes the archive folder ('..') and was refused"
    return None


def check_zip(source: Source, zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse the whole archive when its declared sizes say 'bomb'."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise UnsafeArchive(source.path, f"{len(infos)} members is above the limit of {limits.max_members}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_archive_total:
        raise UnsafeArchive(source.path, f"zip bomb refused: {total} bytes uncompressed is above the limit")
    # many small members can make a bomb too: the per-member rule below skips members under
    # 1 MiB, so the ratio is also checked over the whole archive
    packed = sum(i.compress_size for i in infos)
    if total > _MIN_RATIO_SIZE and total > limits.max_ratio * max(packed, 1):
        raise UnsafeArchive(
            source.path,
            f"zip bomb refused: {len(infos)} members expand {total // max(packed, 1)}x"
            f" (to {total} bytes; the limit is {limits.max_ratio:g}x)",
        )
    for info in infos:
        if info.file_size > _MIN_RATIO_SIZE and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise UnsafeArchive(
                source.path,
                f"zip bomb refused: member {info.filename!r} expands {info.file_size // max(info.compress_size, 1)}x",
            )


@register
class ZipIngestor(Ingestor):
    name = "zip"
    mime = "application/zip"

    def score(self, source: Source) -> int:
        return 50 if source.head().startswith((b"PK\x03\x04", b"PK\x05\x06")) else 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        try:
            with source.open() as fh, zipfile.ZipFile(fh) as zf:
                check_zip(source, zf, ctx.limits)
                names = [i.filename for i in zf.infolist() if not i.is_dir()]
        except zipfile.BadZipFile as exc:
            raise CorruptFile(source.path, f"damaged zip: {exc}") from exc
        yield Extracted(
            text="\n".join(printable(n) for n in names),
            mime=self.mime,
            container=True,
            title=source.name,
            meta={"members": len(names)},
            children=_zip_members(source, ctx.limits),
        )


def _zip_members(source: Source, limits: Limits) -> Iterator[Source]:
    total = packed = 0
    with source.open() as fh, zipfile.ZipFile(fh) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            why = unsafe_member_name(info.filename)
            if why:
                yield _refused(source, info.filename, why)
                continue
            if info.flag_bits & 0x1:
                yield _refused(source, info.filename, "encrypted zip member")
                continue
            try:
                with zf.open(info) as member:
                    data = member.read(limits.max_member_size + 1)  # the declared size may lie
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                yield _refused(source, info.filename, f"damaged member: {exc}", corrupt=True)
                continue
            total += len(data)
            packed += info.compress_size
            if len(data) > limits.max_member_size or total > limits.max_archive_total:
                yield _refused(source, info.filename, "zip bomb refused: member larger than the size limit")
                return
            if total > _MIN_RATIO_SIZE and total > limits.max_ratio * max(packed, 1):  # sizes lied
                yield _refused(source, info.filename, "zip bomb refused: the members expand too much")
                return
            yield source.member(info.filename, data)


def _refused(source: Source, name: str, reason: str, corrupt: bool = False) -> Source:
    """A placeholder child whose processing raises the error: reported like any bad file."""
    return source.member(name.replace("\\", "/").lstrip("/"), b"", refused=reason, corrupt=corrupt)


@register
class TarIngestor(Ingestor):
    name = "tar"
    mime = "application/x-tar"

    def score(self, source: Source) -> int:
        head = source.head()
        if head[257:262] == b"ustar":
            return 60
        compressed = head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"))
        if compressed and source.name.lower().endswith(_TAR_NAMES):
            return 60
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        try:
            with source.open() as fh, tarfile.open(fileobj=fh, mode="r:*") as tf:
                files = [m for m in tf.getmembers() if m.isfile()]
        except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            raise CorruptFile(source.path, f"damaged tar archive: {exc}") from exc
        names = [m.name for m in files]
        if len(names) > ctx.limits.max_members:
            raise UnsafeArchive(source.path, f"{len(names)} members is above the limit")
        total = sum(m.size for m in files)
        if total > _MIN_RATIO_SIZE and total > ctx.limits.max_ratio * max(source.size, 1):
            raise UnsafeArchive(
                source.path,
                f"archive bomb refused: it expands {total // max(source.size, 1)}x (to {total} bytes)",
            )
        yield Extracted(
            text="\n".join(printable(n) for n in names),
            mime=self.mime,
            container=True,
            title=source.name,
            meta={"members": len(names)},
            children=_tar_members(source, ctx.limits),
        )


def _tar_members(source: Source, limits: Limits) -> Iterator[Source]:
    total = 0
    with source.open() as fh, tarfile.open(fileobj=fh, mode="r:*") as tf:
        for info in tf:
            if not info.isfile():
                continue  # links, devices, folders: nothing to read, and links could escape
            why = unsafe_member_name(info.name)
            if why:
                yield _refused(source, info.name, why)
                continue
            if info.size > limits.max_member_size:
                yield _refused(source, info.name, f"member of {info.size} bytes is above the size limit")
                continue
            total += info.size
            if total > limits.max_archive_total:
                yield _refused(source, info.name, "archive bomb refused: total size above the limit")
                return
            member = tf.extractfile(info)
            if member is None:
                continue
            yield source.member(posixpath.normpath(info.name), member.read(limits.max_member_size))

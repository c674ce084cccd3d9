"""The ingest run: walk the inputs, detect each file's type, extract, normalise, segment,
store (one transaction per input file), then a corpus-level pass for near-duplicates and
boilerplate. Bad files are reported on stderr as "path: reason" and the run goes on.

Resumable: each input file is logged in the `files` table in the same transaction as its
documents, so after a crash (even kill -9) the next run skips what was committed
(same path, size and mtime) and redoes the rest.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from casegraph.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    FileTooLarge,
    IngestError,
    StoreError,
    UnsafeArchive,
    UnsupportedFormat,
)

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore
from casegraph.ingest import email_header
from casegraph.ingest.document import build_document, merge_load_fields
from casegraph.ingest.formats.loadfile import LoadFileIngestor, document_fields
from casegraph.ingest.progress import Progress
from casegraph.ingest.registry import Context, Extracted, detect
from casegraph.ingest.source import Limits, Source, printable
from casegraph.models import CorpusPassSummary, DocKind, FileProblem, IngestSummary, LoadRow
from casegraph.store.base import raise_fault

SKIPPED = (UnsupportedFormat, EmptyFile, EncryptedFile, UnsafeArchive, FileTooLarge)
STATUSES = ("ingested", "duplicate", "skipped", "failed")
LOAD_FILE_SUFFIXES = {".csv", ".dat", ".tsv", ".txt"}


def ingest_paths(
    store: CaseStore,
    paths: list[str],
    kind: str = "source",
    ocr: bool = False,
    ocr_lang: str = "eng",
    progress: bool | None = None,
    max_files: int | None = None,
    limits: Limits | None = None,
    corpus_pass: bool = True,
    stderr: TextIO | None = None,
    **opts: Any,
) -> IngestSummary:
    """Ingest files and folders (recursively, in sorted order). Load files found among them
    are always applied first, even when `max_files` takes only a sample of the other files."""
    if kind not in ("source", "article"):
        raise ValueError(f"kind must be 'source' or 'article', not {kind!r}")
    doc_kind: DocKind = "source" if kind == "source" else "article"
    run = _Run(store, Context(limits or Limits(), ocr, ocr_lang, opts), doc_kind, stderr or sys.stderr)
    run.named = set(paths)
    started = time.monotonic()
    own = _own_files(store)
    files = [f for f in walk(paths) if os.path.realpath(f) not in own or os.path.islink(f)]
    load_files = [f for f in files if _is_load_file(f)]
    is_load = set(load_files)
    others = [f for f in files if f not in is_load]
    if max_files is not None:
        others = others[: max(0, max_files)]
    todo = load_files + others
    total_bytes = sum(_size(f) for f in todo)
    with Progress(len(todo), total_bytes, enabled=progress, stream=run.stderr) as bar:
        run.bar = bar
        for path in todo:
            run.ingest_file(path)
            bar.advance(_size(path))
        if corpus_pass:
            from casegraph.ingest.dedup import corpus_pass as run_corpus_pass

            bar.message("ingest: near-duplicates and boilerplate", short="dedup")
            run.corpus = run_corpus_pass(store)
    summary = IngestSummary(
        counts=run.counts,
        errors=run.errors,
        documents=store.count_documents(),
        files=len(todo),
        elapsed_s=round(time.monotonic() - started, 3),
    )
    if run.corpus:
        summary["corpus"] = run.corpus
    return summary


def walk(paths: list[str]) -> Iterator[str]:
    """Files under `paths`, sorted, as paths the user would recognise. A symbolic link named
    on the command line is followed (the user chose it); links inside folders are not (one
    could point outside the folder being ingested): they are yielded, to be reported."""
    for given in paths:
        p = Path(given)
        if p.is_file() or not p.exists():  # a missing path or a dangling link is reported by ingest_file
            yield str(p)
        elif p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs.sort()
                links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                for name in sorted(names + links):
                    full = os.path.join(root, name)
                    if os.path.islink(full) or os.path.isfile(full):
                        yield full


def _own_files(store: CaseStore) -> set[str]:
    """The database's own files: never ingest the store into itself."""
    db = os.path.realpath(str(getattr(store, "path", "")))
    return {db + suffix for suffix in ("", "-wal", "-shm", "-journal")}


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _is_load_file(path: str) -> bool:
    if Path(path).suffix.lower() not in LOAD_FILE_SUFFIXES:
        return False
    try:
        return LoadFileIngestor().score(Source(path=path, name=Path(path).name, fs_path=Path(path))) > 0
    except OSError:
        return False


class _Run:
    def __init__(self, store: CaseStore, ctx: Context, kind: DocKind, stderr: TextIO):
        self.store, self.ctx, self.kind, self.stderr = store, ctx, kind, stderr
        self.counts = {s: 0 for s in (*STATUSES, "unchanged")}
        self.errors: list[FileProblem] = []
        self.bar: Any = None
        self.corpus: CorpusPassSummary | None = None
        self.named: set[str] = set()  # paths given by the user: links among them are followed
        self.own: set[str] = _own_files(store)
        self.refused = 0  # members and attachments of the current input file that were refused

    # -- one input file ---------------------------------------------------------------

    def ingest_file(self, given: str) -> None:
        path = printable(given)  # as stored and shown: lossless, and safe for a terminal
        if os.path.islink(given) and given not in self.named:
            self._fail(
                path,
                "skipped",
                "symbolic link not followed (it could point outside the folder)",
                os.lstat(given),
            )
            return
        try:
            st = os.stat(given)
        except OSError as exc:
            self._fail(path, "failed", f"cannot read: {exc.strerror}")
            return
        if not stat.S_ISREG(st.st_mode):
            self._fail(path, "skipped", "not a regular file (a device, pipe or socket)", st)
            return
        if os.path.realpath(given) in self.own:
            self._fail(path, "skipped", "the case database itself is never ingested", record=False)
            return
        done = self.store.file_record(path)
        if (
            done
            and done["size"] == st.st_size
            and done["mtime"] == st.st_mtime
            and done["status"] in ("ingested", "duplicate")
        ):
            self.counts["unchanged"] += 1
            return
        source = Source(path=path, name=Path(path).name, fs_path=Path(given))
        try:
            with self.store.transaction():
                self.refused = 0
                status, doc_id, reason = self._process(source, parent_id=None)
                if self.refused and not reason:
                    reason = f"{self.refused} of its members or attachments refused (see their rows in `log`)"
                self.store.record_file(path, st.st_size, st.st_mtime, status, reason, source.sha256, doc_id)
            self.counts[status] += 1
        except IngestError as exc:
            status = "skipped" if isinstance(exc, SKIPPED) else "failed"
            self._fail(path, status, exc.reason, st)
        except StoreError:
            raise  # the disk is full, the case read-only or damaged: stop, with what is committed kept
        except sqlite3.Error as exc:
            raise_fault(exc, self.store.path)
            self._fail(path, "failed", f"{type(exc).__name__}: {exc}"[:300], st)
        except Exception as exc:
            # a third-party parser choked on hostile or broken input (they raise anything:
            # zlib.error, struct.error, lxml errors...): report the file, never end the run
            self._fail(path, "failed", f"{type(exc).__name__}: {exc}"[:300], st)

    def _fail(
        self, path: str, status: str, reason: str, st: os.stat_result | None = None, record: bool = True
    ) -> None:
        self.counts[status] += 1
        self.errors.append(FileProblem(path=path, status=status, reason=reason))
        line = f"{path}: {reason}"
        if self.bar is not None:
            self.bar.write(line)
        else:
            print(line, file=self.stderr, flush=True)
        if record and st is not None:
            self.store.record_file(path, st.st_size, st.st_mtime, status, reason)

    # -- one source (file, member, message, attachment) ---------------------------------

    def _process(self, source: Source, parent_id: str | None) -> tuple[str, str | None, str]:
        """(status, document id, note). Raises IngestError for the caller to report."""
        if source.depth > self.ctx.limits.max_depth:
            raise UnsafeArchive(source.path, f"nested more than {self.ctx.limits.max_depth} levels deep")
        if source.hints.get("refused"):  # an archive member refused while listing (unsafe, damaged)
            cls = CorruptFile if source.hints.get("corrupt") else UnsafeArchive
            raise cls(source.path, source.hints["refused"])
        if source.size == 0:
            raise EmptyFile(source.path, "empty file")
        ingestor = detect(source)
        if isinstance(ingestor, LoadFileIngestor):
            return self._load_file(ingestor, source)
        extracted: Extracted | None = next(iter(ingestor.extract(source, self.ctx)), None)
        if extracted is None:
            raise EmptyFile(source.path, "no document found")
        doc = build_document(source, extracted, self.kind, parent_id, self.ctx.limits)
        if doc.meta.get("bates_begin"):
            row = self.store.load_row(doc.meta["bates_begin"])
            if row:
                _apply_to_document(doc, document_fields(row))
        if not self.store.add_document(doc, size=source.size):
            return "duplicate", self.store.document_id_for_sha256(doc.sha256), ""
        # e-mail header structure, parsed once here and read by every later stage
        self.store.replace_email_headers(doc.id, email_header.parse(doc.text, doc.meta), email_header.VERSION)
        for child in extracted.children:
            self._child(child, doc.id)
        return "ingested", doc.id, ""

    def _child(self, child: Source, parent_id: str) -> None:
        # runs inside the input file's transaction; a child fails before it writes anything,
        # and its refusal is logged under the container's path ("archive.zip!member")
        try:
            status, _, _ = self._process(child, parent_id)
            self.counts[status] += 1
            return
        except IngestError as exc:
            status, reason = ("skipped" if isinstance(exc, SKIPPED) else "failed"), exc.reason
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise_fault(exc, self.store.path)
            status, reason = "failed", f"{type(exc).__name__}: {exc}"[:300]
        except Exception as exc:
            status, reason = "failed", f"{type(exc).__name__}: {exc}"[:300]
        self.refused += 1
        self._fail(child.path, status, reason, record=False)
        self.store.record_file(child.path, child.size, 0.0, status, reason)

    def _load_file(self, ingestor: LoadFileIngestor, source: Source) -> tuple[str, None, str]:
        count, batch = 0, []
        for row in ingestor.rows(source, self.ctx):
            batch.append(row)
            if len(batch) >= 1000:
                count += self._save_rows(batch, source.path)
                batch = []
        count += self._save_rows(batch, source.path)
        if count == 0:
            raise CorruptFile(source.path, "load file without Bates numbers")
        return "ingested", None, f"load file: {count} rows"

    def _save_rows(self, rows: list[LoadRow], path: str) -> int:
        if not rows:
            return 0
        for row in self.store.save_load_rows(rows, path):  # documents ingested before their load file
            fields = document_fields(row)
            for existing in self.store.documents_by_bates(row["bates_begin"]):
                changes = merge_load_fields(existing, fields)
                if changes:
                    self.store.update_document_meta(existing["id"], **changes)
        return len(rows)


def _apply_to_document(doc: Any, fields: dict[str, Any]) -> None:
    current = {
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "custodian": doc.custodian,
        "meta": doc.meta,
    }
    for key, value in merge_load_fields(current, fields).items():
        if key in ("title", "author", "date", "custodian"):
            setattr(doc, key, value)
        else:
            doc.meta[key] = value

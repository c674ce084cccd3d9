"""Ingest on Dask: one task per input file.

Load files are applied first, here (they are few, and every document may need their rows).
PostgreSQL: a task runs the ingest pipeline on its file against the case itself (one
transaction per file; a document stored by two processes at once is stored once).
SQLite: a task runs the same pipeline against a private in-memory case holding the load
rows, and returns what it stored (documents with their segments, the file log's rows); this
process writes them in file order, so that the case is the one a single process would build.
The near-duplicate and boilerplate pass runs once at the end, here.
"""

from __future__ import annotations

import io
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from casegraph.ingest import email_header
from casegraph.models import Document, FileProblem, FileRecord, Segment, SegmentKind
from casegraph.scale.cluster import store_url, worker_store

if TYPE_CHECKING:
    from casegraph.api import Case
    from casegraph.store.interface import CaseStore

RETRIES = 2
STATUSES = ("ingested", "duplicate", "skipped", "failed", "unchanged")


@dataclass
class StoredDocument:
    document: Document
    size: int


@dataclass
class FileOutcome:
    """What one ingest task did with one input file: its counts and errors, and, when this
    process must write them (SQLite), the documents and file-log rows it produced."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[FileProblem] = field(default_factory=list)
    documents: list[StoredDocument] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)


def ingest_into_database(url: str, path: str, kind: str, options: dict[str, Any]) -> FileOutcome:
    """Task (PostgreSQL): ingest one file straight into the case."""
    from casegraph.ingest.pipeline import ingest_paths

    store = worker_store(url)
    summary = ingest_paths(
        store, [path], kind=kind, progress=False, corpus_pass=False, stderr=io.StringIO(), **options
    )
    return FileOutcome(path=path, counts=summary["counts"], errors=summary["errors"])


def ingest_in_memory(
    path: str, kind: str, load_rows: list[dict[str, Any]], options: dict[str, Any]
) -> FileOutcome:
    """Task (SQLite): ingest one file into a private in-memory case; return what it holds."""
    from casegraph.ingest.pipeline import ingest_paths
    from casegraph.store import SQLiteStore

    store = SQLiteStore(":memory:")
    try:
        if load_rows:
            store.save_load_rows(load_rows, "load files")
        summary = ingest_paths(
            store, [path], kind=kind, progress=False, corpus_pass=False, stderr=io.StringIO(), **options
        )
        outcome = FileOutcome(path=path, counts=summary["counts"], errors=summary["errors"])
        for doc_id, _ in store.iter_document_texts():  # in the order they were stored
            outcome.documents.append(_document(store, doc_id))
        outcome.files = store.file_log()
        return outcome
    finally:
        store.close()


def _document(store: CaseStore, doc_id: str) -> StoredDocument:
    record = store.get_document(doc_id)
    assert record is not None, doc_id
    segments = [
        Segment(
            kind=cast(SegmentKind, s["kind"]),
            start=s["start"],
            end=s["end"],
            number=s["number"],
            boilerplate=bool(s["boilerplate"]),
        )
        for s in store.segments(doc_id)
    ]
    document = Document(
        id=record["id"],
        sha256=record["sha256"],
        kind=record["kind"],
        path=record["path"],
        text=record["text"],
        title=record["title"],
        author=record["author"],
        date=record["date"],
        custodian=record["custodian"],
        mime=record["mime"],
        lang=record["lang"],
        parent_id=record["parent_id"],
        meta=record["meta"],
        segments=segments,
    )
    return StoredDocument(document, int(record["size"]))


def write_outcome(store: CaseStore, outcome: FileOutcome) -> dict[str, int]:
    """SQLite: store what a task found in one file, in one transaction, as the pipeline would
    have (a document already in the case is a duplicate, and its members are not stored)."""
    counts = dict(outcome.counts)
    with store.transaction():
        skipped: set[str] = set()
        replaced: dict[str, str] = {}
        for stored in outcome.documents:
            doc = stored.document
            if doc.parent_id in skipped:  # inside a duplicate: the pipeline never reads it
                skipped.add(doc.id)
                counts["ingested"] = counts.get("ingested", 0) - 1
                continue
            if not store.add_document(doc, size=stored.size):
                skipped.add(doc.id)
                replaced[doc.id] = store.document_id_for_sha256(doc.sha256) or doc.id
                counts["ingested"] = counts.get("ingested", 0) - 1
                counts["duplicate"] = counts.get("duplicate", 0) + 1
                continue
            # as the pipeline does: the e-mail header structure is stored with the document
            store.replace_email_headers(doc.id, email_header.parse(doc.text, doc.meta), email_header.VERSION)
        for row in outcome.files:
            status, doc_id = row["status"], row["doc_id"]
            if doc_id in replaced and status == "ingested":
                status, doc_id = "duplicate", replaced[doc_id]
            store.record_file(
                row["path"], row["size"], row["mtime"], status, row["reason"], row["sha256"], doc_id
            )
    return counts


def ingest_distributed(
    case: Case,
    client: Any,
    paths: list[str],
    *,
    kind: str = "source",
    progress: bool | None = None,
    max_files: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Ingest `paths` as Dask tasks on `client` (see the module); returns the summary
    `ingest --json` prints, with `workers` added."""
    import distributed
    from tqdm import tqdm

    from casegraph.ingest.pipeline import _is_load_file, _own_files, ingest_paths, walk

    store = case.store
    url = store_url(store)
    started = time.monotonic()
    own = _own_files(store)
    files = [f for f in walk(paths) if os.path.realpath(f) not in own or os.path.islink(f)]
    load_files = [f for f in files if _is_load_file(f)]
    others = [f for f in files if f not in set(load_files)]
    if max_files is not None:
        others = others[: max(0, max_files)]
    counts = dict.fromkeys(STATUSES, 0)
    errors: list[FileProblem] = []
    if load_files:  # here, first: every document may need their rows
        first = ingest_paths(store, load_files, kind=kind, progress=False, corpus_pass=False, **options)
        _add(counts, errors, first["counts"], first["errors"])
    load_rows = [] if url else store.load_rows()
    others = [f for f in others if not _unchanged(store, f, counts)]
    dask: Any = distributed  # partly annotated: called through Any
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(others), unit="file", desc="ingest", disable=not show, file=sys.stderr)
    if url:
        futures = [
            client.submit(ingest_into_database, url, f, kind, options, retries=RETRIES, pure=False)
            for f in others
        ]
    else:
        rows = client.scatter(load_rows, broadcast=True) if load_rows else []
        futures = [
            client.submit(ingest_in_memory, f, kind, rows, options, retries=RETRIES, pure=False)
            for f in others
        ]
    position = {future.key: i for i, future in enumerate(futures)}
    finished: dict[int, FileOutcome] = {}
    written = 0
    for future in dask.as_completed(futures):
        i = position[future.key]
        if future.status == "error":
            error = future.exception()
            reason = f"{type(error).__name__}: {error}"[:300]
            outcome = FileOutcome(
                path=others[i],
                counts={"failed": 1},
                errors=[{"path": others[i], "status": "failed", "reason": reason}],
            )
            _record_failure(store, others[i], reason)
        else:
            outcome = future.result()
        finished[i] = outcome
        bar.update(1)
        while written in finished:  # in file order, as one process would
            done = finished.pop(written)
            file_counts = done.counts if url else write_outcome(store, done)
            _add(counts, errors, file_counts, done.errors)
            written += 1
    bar.close()
    for error in errors:
        print(f"{error['path']}: {error['reason']}", file=sys.stderr)
    summary: dict[str, Any] = {
        "counts": counts,
        "errors": errors,
        "documents": store.count_documents(),
        "files": len(load_files) + len(others),
        "elapsed_s": 0.0,
        "workers": max(1, len(client.scheduler_info().get("workers", {}))),
    }
    from casegraph.ingest.dedup import corpus_pass

    exclusive = getattr(store, "exclusive", None)
    if exclusive is None:
        summary["corpus"] = corpus_pass(store)
    else:
        with exclusive("corpus:dedup"):
            summary["corpus"] = corpus_pass(store)
    summary["elapsed_s"] = round(time.monotonic() - started, 3)
    return summary


def _record_failure(store: CaseStore, path: str, reason: str) -> None:
    try:
        st = os.stat(path)
        store.record_file(path, st.st_size, st.st_mtime, "failed", reason)
    except OSError:
        store.record_file(path, 0, 0.0, "failed", reason)


def _unchanged(store: CaseStore, given: str, counts: dict[str, int]) -> bool:
    """Whether the file was ingested by an earlier run and has not changed since (the
    pipeline's own test, made here so that no task is sent for it)."""
    from casegraph.ingest.source import printable

    try:
        st = os.stat(given)
    except OSError:
        return False
    done = store.file_record(printable(given))
    if (
        done
        and done["size"] == st.st_size
        and done["mtime"] == st.st_mtime
        and done["status"] in ("ingested", "duplicate")
    ):
        counts["unchanged"] += 1
        return True
    return False


def _add(
    counts: dict[str, int],
    errors: list[FileProblem],
    more: dict[str, int],
    more_errors: list[FileProblem],
) -> None:
    for key, value in more.items():
        counts[key] = counts.get(key, 0) + value
    errors.extend(more_errors)

"""The part of the public API (casegraph.api.Case) for ingest, listing, showing and search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from casegraph.errors import InvalidInput, NotFoundError
from casegraph.ingest.source import printable
from casegraph.models import (
    DocumentRecord,
    DocumentView,
    FileRecord,
    IngestSummary,
    RegisterStored,
    SearchHit,
)
from casegraph.store import CaseStore


class IngestAPI:
    store: CaseStore

    def ingest(self, paths: Iterable[str | Path], kind: str = "source", **options: Any) -> IngestSummary:
        """Ingest files, folders and archives. Returns the run summary (counts by outcome and
        the list of files that were skipped or failed, each with its reason)."""
        from casegraph.ingest.pipeline import ingest_paths

        return ingest_paths(self.store, [str(p) for p in paths], kind=kind, **options)

    def docs(
        self, kind: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentRecord]:
        return self.store.list_documents(kind=kind, limit=limit, offset=offset)

    def show(self, key: str) -> DocumentView:
        """One document, by id, Bates number or path: metadata, text, segments' counts."""
        doc = self.store.find_document(printable(key))  # paths are stored printable (see ingest.source)
        if doc is None:
            raise NotFoundError(f"no document {key!a} (give an id, a Bates number or a path as ingested)")
        return DocumentView(
            **doc,
            paths=self.store.document_paths(doc["id"]),
            children=[d["id"] for d in self.store.list_documents(parent_id=doc["id"])],
            near_duplicates=self.store.near_duplicates(doc["id"]),
            pages=len(self.store.segments(doc["id"], "page")),
        )

    def ingest_register(self, path: str | Path) -> RegisterStored:
        """Store FARA bulk CSVs (registrants and foreign principals) as register documents,
        one per registrant, with the register's structure kept for the register annotator."""
        from casegraph.ingest.fara import ingest_register

        return ingest_register(self.store, Path(path))

    def search(self, query: str, **filters: Any) -> list[SearchHit]:
        """Full-text search with BM25 ranking and highlighted snippets, best first.
        Filters: kind, mime, date_from, date_to, custodian, limit. Queries are bounded (at most
        MAX_QUERY_CHARS characters and MAX_QUERY_TERMS words) and stopped after SEARCH_SECONDS."""
        check_query(query)
        with self.store.time_limit(SEARCH_SECONDS, "the search"):
            return self.store.search(query, **filters)

    def ingest_log(self, status: str | None = None) -> list[FileRecord]:
        """What happened to every input file: ingested, duplicate, skipped or failed, and why."""
        return self.store.file_log(status)


MAX_QUERY_CHARS = 2000  # a long quotation fits; a pasted page does not
MAX_QUERY_TERMS = 64  # measured: 100 OR-ed common words take 6 s on a 500-document case
SEARCH_SECONDS = 10.0


def check_query(query: str) -> None:
    """Refuse a search too large to run safely (a 30,000-word phrase took 916 MB)."""
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"the search is {len(query)} characters long; at most {MAX_QUERY_CHARS}: search for a few rare words"
        )
    terms = len(re.findall(r"\w+", query))
    if terms > MAX_QUERY_TERMS:
        raise InvalidInput(
            f"the search has {terms} words; at most {MAX_QUERY_TERMS}: search for fewer, rarer words"
        )

"""The store: one schema behind one interface. SQLite is the default backend.

Use `open_store(path)`; stages call the returned object's methods and never write SQL.
"""

from __future__ import annotations

import os
from pathlib import Path

from casegraph.store.annotations import AnnotationStore
from casegraph.store.checks import CheckStore
from casegraph.store.documents import DocumentStore, fts_query
from casegraph.store.entities import EntityStore
from casegraph.store.interface import CaseStore
from casegraph.store.resolution import ResolutionStore
from casegraph.store.vectors import EvidenceStore, VectorStore


class SQLiteStore(
    DocumentStore, AnnotationStore, EntityStore, ResolutionStore, CheckStore, VectorStore, EvidenceStore
):
    """The SQLite backend: a single file, WAL journal, FTS5 full-text index."""


def _conforms(store: SQLiteStore) -> CaseStore:
    return store  # mypy checks here that the SQLite backend implements the whole interface


def default_db_path() -> str:
    return os.environ.get("CASEGRAPH_DB") or "casegraph.db"


def open_store(path: str | Path | None = None) -> CaseStore:
    """The case at `path`: a SQLite file, or a PostgreSQL database given by its URL
    (postgresql://user@host/case; see casegraph.store.postgres)."""
    target = path or default_db_path()
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        from casegraph.store.postgres import PostgresStore

        return PostgresStore(target)
    return SQLiteStore(target)


__all__ = ["CaseStore", "SQLiteStore", "default_db_path", "fts_query", "open_store"]

"""The public Python API: what the CLI, the REST server and users call.

    from casegraph import open_case
    case = open_case("case.db")
    case.ingest(["../shared/corpus/seeds"], kind="article")
    case.search("Nobel Prize")

`Case` is assembled from one part per stage (each stage package's `api` module), so that
each stage owns its own entry points and the CLI stays thin.
"""

from __future__ import annotations

from pathlib import Path

from casegraph.analyze.api import AnalysisAPI
from casegraph.check.api import CheckAPI
from casegraph.graph.api import GraphAPI
from casegraph.ingest.api import IngestAPI
from casegraph.store import SQLiteStore, open_store


class Case(IngestAPI, AnalysisAPI, GraphAPI, CheckAPI):
    """One investigation: a database of documents and everything extracted from them."""

    def __init__(self, db: str | Path | None = None, store: SQLiteStore | None = None):
        self.store = store if store is not None else open_store(db)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_case(db: str | Path | None = None) -> Case:
    """Open (creating if needed) the case database at `db`, or $CASEGRAPH_DB, or ./casegraph.db."""
    return Case(db)


__all__ = ["Case", "open_case"]

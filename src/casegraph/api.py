"""The public Python API: what the CLI, the REST server and users call.

    from casegraph import open_case
    case = open_case("case.db")
    case.ingest(["../shared/corpus/seeds"], kind="article")
    case.search("Nobel Prize")

`Case` is assembled from one part per stage (each stage package's `api` module), so that
each stage owns its own entry points and the CLI stays thin.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from casegraph.analyze.api import AnalysisAPI
from casegraph.check.api import CheckAPI
from casegraph.errors import CasegraphError, NotFoundError
from casegraph.graph.api import GraphAPI
from casegraph.ingest.api import IngestAPI
from casegraph.models import AnalyzeSummary, CheckReport, FaraSummary, IngestSummary
from casegraph.store import CaseStore, open_store


class Case(IngestAPI, AnalysisAPI, GraphAPI, CheckAPI):
    """One investigation: a database of documents and everything extracted from them.

    Each stage's API (ingest, analyze, resolve and graph, check) works on the store alone and
    never calls another stage; the methods here are the pipeline, in its order:
    ingest → analyze → resolve → graph → check."""

    def __init__(self, db: str | Path | None = None, store: CaseStore | None = None):
        self.store = store if store is not None else open_store(db)

    def analyze(
        self, doc_ids: list[str] | None = None, *, resolve: bool = True, **options: Any
    ) -> AnalyzeSummary:
        """Analyze documents (see `analyze_documents`), then resolve entities and update the
        graph when anything new was analyzed (resolve=False leaves that for later): the new
        documents join the entities of the last resolve (`resolve_new`; a full resolve when
        there is none)."""
        summary = self.analyze_documents(doc_ids, **options)
        if resolve and summary["documents"]:
            summary["resolve"] = self.resolve_new()
        return summary

    def check(self, article: str | Path, *, save: bool = True, analyze: bool = True) -> CheckReport:
        """Check an article's quotes and check-worthy claims against the `source` documents.

        `article` is a stored document (id, id prefix, Bates number, path as ingested), or the
        path of a file not yet ingested: it is then ingested as an article, without the
        corpus-wide near-duplicate pass, and analyzed first. Returns the report (shape of
        `casegraph check --json`), stored in the `checks` table unless save=False."""
        key = str(article)
        try:
            doc = self.find_article(key)
        except NotFoundError:
            if not Path(key).is_file():
                raise
            result = self.ingest([key], kind="article", corpus_pass=False, progress=False)
            try:
                doc = self.find_article(key)
            except NotFoundError:
                raise CasegraphError(
                    f"{key}: could not be ingested as an article ({_failure(result)})"
                ) from None
        if analyze and not self.store.is_analyzed(doc["id"]):
            print(f"check: analyzing {doc['id']} first", file=sys.stderr)
            self.analyze([doc["id"]], progress=False)
        return self.check_stored(doc["id"], save=save)

    def ingest_fara(self, path: str | Path) -> FaraSummary:
        """FARA bulk CSVs as register documents (ingest), their names and `represents` /
        `lobbied` relations (the register annotator), then resolution and the graph."""
        stored = self.ingest_register(path)
        annotated = self.annotate_registers(stored["documents"])
        return FaraSummary(
            registrants=stored["registrants"],
            documents_added=stored["documents_added"],
            documents_already_present=stored["documents_already_present"],
            documents_restored=annotated["documents_restored"],
            mentions=annotated["mentions"],
            relations=annotated["relations"],
            resolve=self.resolve(),
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _failure(result: IngestSummary) -> str:
    """The first reason an ingest run gives for storing nothing."""
    for problem in result["errors"]:
        return problem["reason"]
    return "no document was stored"


def open_case(db: str | Path | None = None) -> Case:
    """Open (creating if needed) the case database at `db`, or $CASEGRAPH_DB, or ./casegraph.db."""
    return Case(db)


__all__ = ["Case", "open_case"]

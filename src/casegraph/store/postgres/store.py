"""The PostgreSQL case store: the store's methods over `PgBase`, with PostgreSQL's own
full-text search (tsvector, GIN, ts_rank, ts_headline) and locks for many writers.

Concurrency: every unit of work (a document with its segments; one document's annotations;
a corpus-wide replacement) is one transaction, and takes an advisory lock on what it
writes, so that processes on many machines writing one case at once never store a document
twice, never mix two runs' annotations of a document, and never interleave two resolves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from casegraph.models import Document, SearchHit
from casegraph.store.annotations import AnnotationStore
from casegraph.store.checks import CheckStore
from casegraph.store.documents import DocumentStore, _document_filters, fts_query
from casegraph.store.entities import EntityStore
from casegraph.store.postgres.base import PgBase
from casegraph.store.postgres.dialect import tsquery
from casegraph.store.postgres.snippet import snippet, tokens
from casegraph.store.resolution import ResolutionStore
from casegraph.store.vectors import EvidenceStore, VectorStore

# ts_rank's weights are {D, C, B, A}: the title is A, the body B (as bm25's 5.0 and 1.0)
SEARCH_WEIGHTS = "{0, 0, 0.2, 1.0}"
# check's candidate retrieval weighs the body above the title (bm25's 0.5 and 1.0)
SOURCE_WEIGHTS = "{0, 0, 1.0, 0.5}"


class PostgresStore(
    PgBase,
    DocumentStore,
    AnnotationStore,
    EntityStore,
    ResolutionStore,
    CheckStore,
    VectorStore,
    EvidenceStore,
):
    """A case on a PostgreSQL server: `PostgresStore("postgresql://user@host/case")`."""

    # -- full-text search -------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        mime: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        custodian: str | None = None,
        limit: int = 20,
    ) -> list[SearchHit]:
        """Full-text search, best first (ts_rank, title weighted above body), with the snippets
        FTS5 writes (casegraph.store.postgres.snippet)."""
        fts = fts_query(query)
        match = tsquery(fts)
        if not match:
            return []
        where, params = _document_filters(kind, mime, date_from, date_to, custodian, prefix="d.")
        inner = (
            "SELECT d.rowid, d.id AS doc_id, d.path, d.title, d.kind, d.date, d.text,"
            f" ts_rank('{SEARCH_WEIGHTS}', d.tsv, q, 1) AS score"
            " FROM documents d, to_tsquery('casegraph', ?) q WHERE d.tsv @@ q"
        )
        if where:
            inner += " AND " + " AND ".join(where)
        inner += " ORDER BY score DESC, d.rowid LIMIT ?"
        hits = []
        for row in self.query(inner, [match, *params, limit]):
            hits.append(
                SearchHit(
                    doc_id=row["doc_id"],
                    path=row["path"],
                    title=row["title"],
                    kind=row["kind"],
                    date=row["date"],
                    score=row["score"],
                    snippet=snippet(row["text"], fts),
                )
            )
        return hits

    def fts_sources(self, match: str, limit: int = 20, exclude: str | None = None) -> list[dict[str, Any]]:
        """Source documents matching an FTS5 expression (read as a tsquery), best first."""
        query = tsquery(match)
        if not query:
            return []
        return self.query(
            f"SELECT d.id AS doc_id, ts_rank('{SOURCE_WEIGHTS}', d.tsv, q, 1) AS score"
            " FROM documents d, to_tsquery('casegraph', ?) q"
            " WHERE d.tsv @@ q AND d.kind = 'source' AND d.id != ?"
            " ORDER BY score DESC, d.rowid LIMIT ?",
            (query, exclude or "", limit),
        )

    def term_document_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """In how many documents each word occurs (counted on the GIN index). As SQLite's
        index vocabulary, only a term that is one word as the index stores it (lower case,
        no accents, no punctuation: "congress's" is not) is found."""
        words = sorted({t for t in terms if t and [w for w, _, _ in tokens(t)] == [t]})
        if not words:
            return {}
        rows = self.query(
            "SELECT t AS term, (SELECT count(*) FROM documents d WHERE d.tsv @@ q) AS doc"
            " FROM unnest(?::text[]) AS t, plainto_tsquery('casegraph', t) AS q"
            " WHERE numnode(q) > 0",
            (words,),
        )
        return {r["term"]: int(r["doc"]) for r in rows if r["doc"]}

    def add_line_counts(self, doc_id: str, lines: dict[int, str]) -> None:
        """Count each distinct normalised line of one document once (by its 63-bit hash)."""
        with self.transaction() as conn:
            self.lock_in_transaction("lines:" + doc_id)
            if self.scalar("SELECT 1 FROM line_counted WHERE doc_id = ?", (doc_id,)):
                return  # counted by another process meanwhile
            conn.executemany(
                "INSERT INTO line_counts AS c (hash, documents, text) VALUES (?, 1, '')"
                " ON CONFLICT (hash) DO UPDATE SET documents = c.documents + 1,"
                " text = CASE WHEN c.text = '' THEN ? ELSE c.text END",
                [(h, text) for h, text in sorted(lines.items())],
            )
            conn.execute("INSERT OR IGNORE INTO line_counted(doc_id) VALUES (?)", (doc_id,))

    # -- one writer per unit of work ------------------------------------------------------

    def record_file(
        self,
        path: str,
        size: int,
        mtime: float,
        status: str,
        reason: str = "",
        sha256: str | None = None,
        doc_id: str | None = None,
    ) -> None:
        """As on SQLite, except that a file two processes read at once stays `ingested`:
        the second finds the document the first stored, from the same path, and would
        otherwise call the file a duplicate (of itself)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO files AS f (path, size, mtime, sha256, status, reason, doc_id)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size,"
                " mtime = EXCLUDED.mtime, sha256 = EXCLUDED.sha256, reason = EXCLUDED.reason,"
                " status = CASE WHEN f.status = 'ingested' AND EXCLUDED.status = 'duplicate'"
                " AND f.sha256 = EXCLUDED.sha256 AND f.doc_id = EXCLUDED.doc_id AND f.mtime = EXCLUDED.mtime"
                " THEN f.status ELSE EXCLUDED.status END, doc_id = EXCLUDED.doc_id,"
                " seen_at = casegraph_now()",
                (path, size, mtime, sha256, status, reason, doc_id),
            )

    def add_document(self, doc: Document, size: int = 0) -> bool:
        """As on SQLite; two processes storing the same bytes at once store them once."""
        with self.transaction():
            self.lock_in_transaction("document:" + doc.sha256)
            return super().add_document(doc, size)

    def save_analysis(self, result: Any, model: str, version: str) -> None:
        """As on SQLite; two processes analyzing one document at once leave one analysis."""
        with self.transaction():
            self.lock_in_transaction("analysis:" + result.doc_id)
            super().save_analysis(result, model, version)

    def record_analysis_failure(self, doc_id: str, model: str, version: str, error: str) -> None:
        with self.transaction():
            self.lock_in_transaction("analysis:" + doc_id)
            super().record_analysis_failure(doc_id, model, version, error)

    # -- corpus-wide replacements: one at a time in the whole cluster ----------------------

    def set_boilerplate(self, lines: list[tuple[str, str, int]]) -> None:
        with self.transaction():
            self.lock_in_transaction("corpus:boilerplate")
            super().set_boilerplate(lines)

    def replace_entities(
        self,
        entities: Sequence[dict[str, Any]],
        mention_links: Iterable[tuple[str | None, int]],
        party_links: Iterable[tuple[str | None, int]],
    ) -> None:
        with self.transaction():
            self.lock_in_transaction("corpus:resolve")
            super().replace_entities(entities, mention_links, party_links)

    def replace_graph(self, edges: Sequence[dict[str, Any]]) -> None:
        with self.transaction():
            self.lock_in_transaction("corpus:graph")
            super().replace_graph(edges)

"""The PostgreSQL case store: the store's methods over `PgBase`, with PostgreSQL's own
full-text search (tsvector and GIN, ranked by FTS5's bm25) and locks for many writers.

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
from casegraph.store.postgres import fts as fts5
from casegraph.store.postgres.base import PgBase
from casegraph.store.postgres.dialect import tsquery
from casegraph.store.postgres.snippet import snippet, tokens
from casegraph.store.resolution import ResolutionStore
from casegraph.store.vectors import EvidenceStore, VectorStore

# bm25's column weights (title, body), as the SQLite store passes them to FTS5: search weighs
# the title above the body, check's candidate retrieval the body above the title
SEARCH_WEIGHTS = (5.0, 1.0)
SOURCE_WEIGHTS = (0.5, 1.0)


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
        """Full-text search, best first (FTS5's bm25, title weighted above body: the same
        scores as SQLite's), with the snippets FTS5 writes (casegraph.store.postgres.snippet)."""
        fts = fts_query(query)
        match = tsquery(fts)
        if not match:
            return []
        where, params = _document_filters(kind, mime, date_from, date_to, custodian, prefix="d.")
        columns = "d.path, d.title, d.kind, d.date"
        found = self._matcher(fts).ranked(columns, where, params, SEARCH_WEIGHTS, limit)
        texts = {
            r["rowid"]: r["text"]
            for r in self.query(
                "SELECT rowid, text FROM documents WHERE rowid = ANY(?)", ([r["rowid"] for r in found],)
            )
        }
        return [
            SearchHit(
                doc_id=row["doc_id"],
                path=row["path"],
                title=row["title"],
                kind=row["kind"],
                date=row["date"],
                score=row["score"],
                snippet=snippet(texts[row["rowid"]], fts, counted=row["counted"]),
            )
            for row in found
        ]

    def fts_sources(self, match: str, limit: int = 20, exclude: str | None = None) -> list[dict[str, Any]]:
        """Source documents matching an FTS5 expression, best bm25 first (body weighted above
        title), as on SQLite."""
        if not tsquery(match):
            return []
        rows = self._matcher(match).ranked(
            "",
            ["d.kind = 'source'", "d.id != ?"],
            [exclude or ""],
            SOURCE_WEIGHTS,
            limit,
        )
        return [{"doc_id": r["doc_id"], "score": r["score"]} for r in rows]

    def _matcher(self, match: str) -> fts5.Matcher:
        """FTS5's matching and ranking of `match` (documents measured first, if need be)."""
        self._fill_sizes()
        return fts5.Matcher(self, match)

    def term_document_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """In how many documents each word occurs (on the GIN index; long documents on their
        postings). As SQLite's index vocabulary, only a term that is one word as the index
        stores it (lower case, no accents, no punctuation: "congress's" is not) is found."""
        words = sorted({t for t in terms if t and [w for w, _, _ in tokens(t)] == [t]})
        if not words:
            return {}
        self._fill_sizes()
        rows = self.query(
            "SELECT t AS term, (SELECT count(*) FROM documents d WHERE d.tsv @@ q AND NOT "
            + fts5.INEXACT
            + ") + (SELECT count(DISTINCT rowid) FROM fts_postings p WHERE p.lexeme = t) AS doc"
            " FROM unnest(?::text[]) AS t, plainto_tsquery('casegraph', t) AS q"
            " WHERE numnode(q) > 0",
            (words,),
        )
        return {r["term"]: int(r["doc"]) for r in rows if r["doc"]}

    def _fill_sizes(self) -> None:
        """Once per process: measure the documents a version before fts_sizes stored."""
        if not self._sizes_filled:
            fts5.fill(self)
            self._sizes_filled = True

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

    _sizes_filled = False  # whether this process made sure every document has its fts_sizes

    def add_document(self, doc: Document, size: int = 0) -> bool:
        """As on SQLite, with the token counts bm25 needs; two processes storing the same
        bytes at once store them once."""
        with self.transaction() as conn:
            self.lock_in_transaction("document:" + doc.sha256)
            if not super().add_document(doc, size):
                return False
            rowid = self.scalar("SELECT rowid FROM documents WHERE id = ?", (doc.id,))
            fts5.store_document(conn, rowid, doc.title, doc.text)
            return True

    def update_document_meta(self, doc_id: str, **fields: Any) -> None:
        with self.transaction() as conn:
            super().update_document_meta(doc_id, **fields)
            row = self.query_one("SELECT rowid, title, text FROM documents WHERE id = ?", (doc_id,))
            if "title" in fields and row is not None:  # the title's tokens count in bm25
                fts5.store_document(conn, row["rowid"], row["title"], row["text"])

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

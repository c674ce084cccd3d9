"""Store methods of the check stage: what an article says (its quotes, claims, mentions,
rhetoric), candidate evidence among source documents (full text, term rarity, resolved
entities, quotes in sources), cached sentence embeddings, and stored check reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from casegraph.models import (
    ArticleClaimRow,
    ArticleQuoteRow,
    CheckListing,
    CheckReport,
    CheckStamp,
    RhetoricSpan,
    SourceQuoteRow,
    SpanMention,
)
from casegraph.store.base import StoreBase, dumps, loads

_SPEAKER_COLUMNS = (
    "m.id AS speaker_mention, m.text AS speaker_text, m.start AS speaker_start, m.end AS speaker_end,"
    " m.entity_id AS speaker_entity, e.name AS speaker_name"
)


class CheckStore(StoreBase):
    # -- the article --------------------------------------------------------------------

    def article_quotes(self, doc_id: str) -> list[ArticleQuoteRow]:
        """The article's quotes with their speaker mention and its resolved entity, if any."""
        return self.records(
            ArticleQuoteRow,
            f"SELECT q.id, q.start, q.end, q.text, q.cue, q.direct, {_SPEAKER_COLUMNS}"
            " FROM quotes q LEFT JOIN mentions m ON m.id = q.speaker_mention"
            " LEFT JOIN entities e ON e.id = m.entity_id WHERE q.doc_id = ? ORDER BY q.start",
            (doc_id,),
        )

    def article_claims(self, doc_id: str) -> list[ArticleClaimRow]:
        rows = self.query(
            f"SELECT c.id, c.start, c.end, c.text, c.type, c.hedges, c.boosters, c.checkworthiness,"
            f" {_SPEAKER_COLUMNS}"
            " FROM claims c LEFT JOIN mentions m ON m.id = c.attributed_mention"
            " LEFT JOIN entities e ON e.id = m.entity_id WHERE c.doc_id = ? ORDER BY c.start",
            (doc_id,),
        )
        for row in rows:
            row["hedges"] = loads(row["hedges"], [])
            row["boosters"] = loads(row["boosters"], [])
        return cast(list[ArticleClaimRow], rows)

    def article_rhetoric(self, doc_id: str) -> list[RhetoricSpan]:
        return self.records(
            RhetoricSpan,
            "SELECT start, end, text, technique, score FROM rhetoric WHERE doc_id = ? ORDER BY start",
            (doc_id,),
        )

    def mentions_in_span(self, doc_id: str, start: int, end: int) -> list[SpanMention]:
        """Mentions inside [start, end) with their resolved entity's name."""
        return self.records(
            SpanMention,
            "SELECT m.id, m.start, m.end, m.text, m.label, m.entity_id, e.name AS entity_name"
            " FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id"
            " WHERE m.doc_id = ? AND m.start >= ? AND m.end <= ? ORDER BY m.start",
            (doc_id, start, end),
        )

    def is_analyzed(self, doc_id: str) -> bool:
        return self.scalar("SELECT 1 FROM analyses WHERE doc_id = ?", (doc_id,)) is not None

    def entity_aliases(self, entity_ids: Iterable[str]) -> dict[str, list[str]]:
        """Every name an entity goes by: its canonical name and aliases."""
        ids = sorted(set(entity_ids))
        found: dict[str, list[str]] = {}
        for chunk in _chunks(ids):
            for row in self.query(
                f"SELECT id, name, aliases FROM entities WHERE id IN ({_marks(chunk)})", chunk
            ):
                found[row["id"]] = [row["name"], *loads(row["aliases"], [])]
        return found

    # -- candidate evidence ---------------------------------------------------------------

    def source_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM documents WHERE kind = 'source'") or 0)

    def document_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM documents") or 0)

    def term_document_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """In how many documents each word occurs (full-text index vocabulary)."""
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            for row in self.query(
                f"SELECT term, doc FROM documents_fts_vocab WHERE term IN ({_marks(chunk)})", chunk
            ):
                found[row["term"]] = int(row["doc"])
        return found

    def fts_sources(self, match: str, limit: int = 20, exclude: str | None = None) -> list[dict[str, Any]]:
        """Source documents matching an FTS5 expression, best BM25 first (body text only)."""
        if not match:
            return []
        return self.query(
            "SELECT d.id AS doc_id, -bm25(documents_fts, 0.5, 1.0) AS score"
            " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH ? AND d.kind = 'source' AND d.id != ?"
            " ORDER BY bm25(documents_fts, 0.5, 1.0), d.id LIMIT ?",
            (match, exclude or "", limit),
        )

    def sources_mentioning(self, entity_ids: Sequence[str], limit: int = 20) -> list[dict[str, Any]]:
        """Source documents that mention the most of these entities (then the most often, then
        by id)."""
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        return self.query(
            "SELECT m.doc_id, count(DISTINCT m.entity_id) AS entities, count(*) AS hits"
            " FROM mentions m JOIN documents d ON d.id = m.doc_id"
            f" WHERE m.entity_id IN ({_marks(ids)}) AND d.kind = 'source'"
            " GROUP BY m.doc_id ORDER BY entities DESC, hits DESC, m.doc_id LIMIT ?",  # ties: one order everywhere
            (*ids, limit),
        )

    def documents_for_check(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """id, path, title, date, author, meta and text of each document."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(doc_ids))):
            for row in self.query(
                "SELECT id, path, title, date, author, custodian, meta, text FROM documents"
                f" WHERE id IN ({_marks(chunk)})",
                chunk,
            ):
                row["meta"] = loads(row["meta"], {})
                found[row["id"]] = row
        return found

    def sentence_spans(self, doc_id: str) -> list[tuple[int, int]]:
        """Sentence segments stored at ingest (empty when ingest stored none)."""
        return [
            (r["start"], r["end"])
            for r in self.query(
                "SELECT start, end FROM segments WHERE doc_id = ? AND kind = 'sentence' AND boilerplate = 0"
                " ORDER BY start",
                (doc_id,),
            )
        ]

    def source_quotes_overlapping(self, doc_id: str, start: int, end: int) -> list[SourceQuoteRow]:
        """Quotes of a source document that overlap [start, end), with their speakers."""
        return self.records(
            SourceQuoteRow,
            f"SELECT q.start, q.end, q.text, q.cue, {_SPEAKER_COLUMNS}"
            " FROM quotes q LEFT JOIN mentions m ON m.id = q.speaker_mention"
            " LEFT JOIN entities e ON e.id = m.entity_id"
            " WHERE q.doc_id = ? AND q.start < ? AND q.end > ? ORDER BY q.start",
            (doc_id, end, start),
        )

    def email_senders(self, doc_id: str) -> list[dict[str, Any]]:
        """Who sent an e-mail document, by where their header is (stored at ingest; a sender
        read from metadata has no place and comes first; entity_id and entity_name once resolved)."""
        try:
            return self.query(
                "SELECT p.name, p.address, p.start, p.entity_id, e.name AS entity_name FROM email_parties p"
                " LEFT JOIN entities e ON e.id = p.entity_id WHERE p.doc_id = ? AND p.role = 'from'"
                " ORDER BY p.start, p.id",
                (doc_id,),
            )
        except Exception:
            return []

    # -- embeddings -----------------------------------------------------------------------

    def get_embeddings(
        self, keys: Sequence[tuple[str, int, int]], model: str
    ) -> dict[tuple[str, int, int], bytes]:
        """Stored vectors for (doc_id, start, end) spans; missing spans are left out."""
        found: dict[tuple[str, int, int], bytes] = {}
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for doc_id, start, end in keys:
            by_doc.setdefault(doc_id, []).append((start, end))
        for doc_id, spans in by_doc.items():
            wanted = set(spans)
            for row in self.conn.execute(
                "SELECT start, end, vector FROM embeddings WHERE doc_id = ? AND model = ?", (doc_id, model)
            ):
                if (row[0], row[1]) in wanted:
                    found[(doc_id, row[0], row[1])] = row[2]
        return found

    def put_embeddings(self, rows: Sequence[tuple[str, int, int, bytes]], model: str) -> None:
        if self.read_only:  # a cache: a read-only case is checked without keeping the vectors
            return
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(doc_id, start, end, model, vector) VALUES (?,?,?,?,?)",
                [(d, s, e, model, v) for d, s, e, v in rows],
            )

    # -- reports --------------------------------------------------------------------------

    def save_check(self, article_id: str, report: CheckReport) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO checks(article_id, report) VALUES (?, ?)", (article_id, dumps(report))
            )
            return int(cursor.lastrowid or 0)

    def latest_check(self, article_id: str) -> CheckReport | None:
        row = self.query_one(
            "SELECT id, created_at, report FROM checks WHERE article_id = ? ORDER BY id DESC LIMIT 1",
            (article_id,),
        )
        if row is None:
            return None
        report: CheckReport = loads(row["report"], {})
        report["check"] = CheckStamp(id=row["id"], created_at=row["created_at"])
        return report

    def recent_checks(self, limit: int = 20) -> list[CheckListing]:
        """The latest check of each article, newest first: id, article_id, created_at, title, summary."""
        rows = self.query(
            "SELECT c.id, c.article_id, c.created_at, d.title,"
            " json_extract(c.report, '$.summary') AS summary FROM checks c"
            " JOIN documents d ON d.id = c.article_id"
            " WHERE c.id = (SELECT max(id) FROM checks WHERE article_id = c.article_id)"
            " ORDER BY c.id DESC LIMIT ?",
            (limit,),
        )
        for row in rows:
            row["summary"] = loads(row["summary"], {})
        return cast(list[CheckListing], rows)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]

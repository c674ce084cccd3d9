"""Store methods for mentions, quotes, claims, relations, rhetoric and the analyses log (analysis stage).

Annotations of one document are written together: `save_analysis` replaces everything the
analysis stage stored for the document in one transaction, so a re-analysis never leaves a
mix of old and new rows. Mention references in the analysis result are list indexes; they
become row ids here.
"""

from __future__ import annotations

from typing import Any, cast

from casegraph.models import (
    AnalysisFailure,
    AnalysisRun,
    AnalysisState,
    AttributionRow,
    ClaimRow,
    DocumentToAnalyze,
    MentionRow,
    QuoteRow,
    RelationRow,
    RhetoricRow,
    Segment,
)
from casegraph.store.base import StoreBase, dumps, loads

# A mention's id for output: its resolved entity, else "<doc_id>:<cluster>" (document-local).
_ENTITY_ID = "COALESCE({m}.entity_id, {m}.doc_id || ':' || {m}.cluster)"
_NAME = (
    "COALESCE((SELECT e.name FROM entities e WHERE e.id = {m}.entity_id),"
    " (SELECT x.text FROM mentions x WHERE x.doc_id = {m}.doc_id AND x.cluster = {m}.cluster"
    " ORDER BY length(x.text) DESC, x.start LIMIT 1))"
)


def _ref(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE json_object('id', {_ENTITY_ID.format(m=alias)},"
        f" 'name', {_NAME.format(m=alias)}, 'start', {alias}.start, 'end', {alias}.end) END"
    )


class AnnotationStore(StoreBase):
    # -- what to analyze ----------------------------------------------------------------

    def documents_to_analyze(
        self, after_rowid: int = 0, limit: int = 50, force: bool = False, doc_ids: list[str] | None = None
    ) -> list[DocumentToAnalyze]:
        """Documents not yet analyzed (all with force, or just doc_ids), by rowid, with text."""
        where, params = _to_analyze(force, doc_ids)
        rows = self.query(
            "SELECT d.rowid AS rowid, d.id AS id, d.text AS text, d.meta AS meta FROM documents d"
            " LEFT JOIN analyses a ON a.doc_id = d.id WHERE d.rowid > ? AND "
            + where
            + " ORDER BY d.rowid LIMIT ?",
            [after_rowid, *params, limit],
        )
        for row in rows:
            row["meta"] = loads(row["meta"], {})
        return cast(list[DocumentToAnalyze], rows)

    def count_documents_to_analyze(
        self, force: bool = False, doc_ids: list[str] | None = None
    ) -> tuple[int, int]:
        """(documents, characters) that an analysis run would process."""
        where, params = _to_analyze(force, doc_ids)
        row = self.conn.execute(
            "SELECT count(*), coalesce(sum(length(d.text)), 0) FROM documents d"
            " LEFT JOIN analyses a ON a.doc_id = d.id WHERE " + where,
            params,
        ).fetchone()
        return int(row[0]), int(row[1])

    # -- writing ------------------------------------------------------------------------

    def _clear_analysis(self, conn: Any, doc_id: str) -> None:
        # relations without mentions (structured data such as registers) are not ours to delete
        conn.execute(
            "DELETE FROM relations WHERE doc_id = ? AND (subject_mention IS NOT NULL OR object_mention IS NOT NULL)",
            (doc_id,),
        )
        for table in ("quotes", "claims", "rhetoric", "mentions", "text_roles"):
            conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM analyses WHERE doc_id = ?", (doc_id,))

    def save_analysis(self, result: Any, model: str, version: str) -> None:
        """Replace a document's annotations with `result` (an analyze.analyzer.DocAnalysis)."""
        doc_id = result.doc_id
        with self.transaction() as conn:
            self._clear_analysis(conn, doc_id)
            ids: list[int] = []
            for m in result.mentions:
                cur = conn.execute(
                    "INSERT INTO mentions(doc_id, start, end, text, label, cluster) VALUES (?,?,?,?,?,?)",
                    (doc_id, m.start, m.end, m.text, m.label, m.cluster),
                )
                ids.append(int(cur.lastrowid or 0))

            def ref(k: int | None) -> int | None:
                return ids[k] if k is not None and 0 <= k < len(ids) else None

            conn.executemany(
                "INSERT INTO quotes(doc_id, start, end, text, speaker_mention, cue, direct, source_start, source_end,"
                " source_text, cue_start, cue_end, form, score, speaker_how) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc_id,
                        q.span.start,
                        q.span.end,
                        q.span.text,
                        ref(q.speaker_mention),
                        q.cue,
                        int(q.direct),
                        q.source.start if q.source else None,
                        q.source.end if q.source else None,
                        q.source.text if q.source else "",
                        q.cue_span.start if q.cue_span else None,
                        q.cue_span.end if q.cue_span else None,
                        q.form,
                        q.score,
                        q.speaker_how,
                    )
                    for q in result.quotes
                ],
            )
            conn.executemany(
                "INSERT INTO text_roles(doc_id, number, start, end, role, author) VALUES (?,?,?,?,?,?)",
                [(doc_id, b.number, b.start, b.end, b.role, b.author) for b in getattr(result, "blocks", [])],
            )
            conn.executemany(
                "INSERT INTO claims(doc_id, start, end, text, type, hedges, boosters, attributed_mention,"
                " checkworthiness) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc_id,
                        c.span.start,
                        c.span.end,
                        c.span.text,
                        c.type,
                        dumps([_span(s) for s in c.hedges]),
                        dumps([_span(s) for s in c.boosters]),
                        ref(c.attributed_to_mention),
                        c.checkworthiness,
                    )
                    for c in result.claims
                ],
            )
            rows = []
            for r in result.relations:
                meta = dict(r.meta)
                if "amount_mention" in meta:
                    meta["amount_mention"] = ref(meta["amount_mention"])
                rows.append(
                    (
                        doc_id,
                        ref(r.subject_mention),
                        ref(r.object_mention),
                        r.kind,
                        r.predicate,
                        r.evidence.start,
                        r.evidence.end,
                        r.evidence.text,
                        r.confidence,
                        int(r.negated),
                        int(r.hedged),
                        dumps(meta),
                    )
                )
            conn.executemany(
                "INSERT INTO relations(doc_id, subject_mention, object_mention, kind, predicate, start, end, text,"
                " confidence, negated, hedged, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            conn.executemany(
                "INSERT INTO rhetoric(doc_id, start, end, text, technique, score) VALUES (?,?,?,?,?,?)",
                [
                    (doc_id, r.span.start, r.span.end, r.span.text, r.technique, r.score)
                    for r in result.rhetoric
                ],
            )
            conn.execute(
                "INSERT INTO analyses(doc_id, model, version, status, error, words) VALUES (?,?,?,?,?,?)",
                (doc_id, model, version, "ok", "", result.words),
            )

    def record_analysis_failure(self, doc_id: str, model: str, version: str, error: str) -> None:
        with self.transaction() as conn:
            self._clear_analysis(conn, doc_id)
            conn.execute(
                "INSERT INTO analyses(doc_id, model, version, status, error) VALUES (?,?,?,?,?)",
                (doc_id, model, version, "failed", error[:1000]),
            )

    # -- reading ------------------------------------------------------------------------

    def mention_rows(
        self, doc_id: str | None = None, label: str | None = None, limit: int | None = None
    ) -> list[MentionRow]:
        where, params = _filters(doc_id=doc_id, label=label, alias="m")
        sql = (
            "SELECT m.id, m.doc_id, m.start, m.end, m.text, m.label, m.cluster, "
            + _ENTITY_ID.format(m="m")
            + " AS entity_id, m.entity_id AS resolved_entity FROM mentions m"
            + where
            + " ORDER BY m.doc_id, m.start, m.end, m.label, m.text"
            + _limit(limit)
        )
        return self.records(MentionRow, sql, params)

    def text_roles(self, doc_id: str, start: int | None = None, end: int | None = None) -> list[Segment]:
        """Role blocks of a document (text inside text), those overlapping [start, end) if given."""
        if start is None or end is None:
            rows = self.query("SELECT * FROM text_roles WHERE doc_id = ? ORDER BY start, number", (doc_id,))
        else:
            rows = self.query(
                "SELECT * FROM text_roles WHERE doc_id = ? AND start < ? AND end > ? ORDER BY start, number",
                (doc_id, end, start),
            )
        return [
            Segment(
                "block", int(r["start"]), int(r["end"]), int(r["number"]), role=r["role"], author=r["author"]
            )
            for r in rows
        ]

    def attributions_overlapping(self, doc_id: str, start: int, end: int) -> list[AttributionRow]:
        """Quotes (statements) of a document that overlap [start, end), with the source as the
        text names it, how the speaker was found, and the speaker's mention and entity."""
        return self.records(
            AttributionRow,
            "SELECT q.start, q.end, q.text, q.cue, q.form, q.direct, q.source_start, q.source_end, q.source_text,"
            " q.speaker_how, q.score, m.id AS speaker_mention, m.text AS speaker_text, m.entity_id AS speaker_entity,"
            " e.name AS speaker_name FROM quotes q LEFT JOIN mentions m ON m.id = q.speaker_mention"
            " LEFT JOIN entities e ON e.id = m.entity_id"
            " WHERE q.doc_id = ? AND q.start < ? AND q.end > ? ORDER BY q.start",
            (doc_id, end, start),
        )

    def quote_rows(self, doc_id: str | None = None, limit: int | None = None) -> list[QuoteRow]:
        where, params = _filters(doc_id=doc_id, alias="q")
        sql = (
            "SELECT q.id, q.doc_id, q.start, q.end, q.text, " + _ref("s") + " AS speaker, q.cue, q.direct"
            " FROM quotes q LEFT JOIN mentions s ON s.id = q.speaker_mention"
            + where
            + " ORDER BY q.doc_id, q.start"
            + _limit(limit)
        )
        rows = self.query(sql, params)
        for row in rows:
            row["speaker"] = loads(row["speaker"], None)
            row["direct"] = bool(row["direct"])
        return cast(list[QuoteRow], rows)

    def claim_rows(
        self, doc_id: str | None = None, type: str | None = None, limit: int | None = None
    ) -> list[ClaimRow]:
        where, params = _filters(doc_id=doc_id, type=type, alias="c")
        sql = (
            "SELECT c.id, c.doc_id, c.start, c.end, c.text, c.type, c.hedges, c.boosters, "
            + _ref("s")
            + " AS attributed_to, c.checkworthiness"
            " FROM claims c LEFT JOIN mentions s ON s.id = c.attributed_mention"
            + where
            + " ORDER BY c.doc_id, c.start"
            + _limit(limit)
        )
        rows = self.query(sql, params)
        for row in rows:
            row["hedges"] = loads(row["hedges"], [])
            row["boosters"] = loads(row["boosters"], [])
            row["attributed_to"] = loads(row["attributed_to"], None)
        return cast(list[ClaimRow], rows)

    def relation_rows(
        self,
        doc_id: str | None = None,
        kind: str | None = None,
        typed_only: bool = False,
        limit: int | None = None,
    ) -> list[RelationRow]:
        """One row per stored relation with its subject and object (id, name, span)."""
        where, params = _filters(doc_id=doc_id, kind=kind, alias="r")
        if typed_only:
            where += (" AND " if where else " WHERE ") + "r.kind != 'mentioned_with'"
        sql = (
            "SELECT r.id, r.doc_id, r.kind, r.predicate, r.start, r.end, r.text, r.confidence, r.negated, r.hedged,"
            " r.meta, r.subject_entity, r.object_entity, "
            + _ref("s")
            + " AS subject, "
            + _ref("o")
            + " AS object"
            " FROM relations r LEFT JOIN mentions s ON s.id = r.subject_mention"
            " LEFT JOIN mentions o ON o.id = r.object_mention"
            + where
            + " ORDER BY r.doc_id, r.start, r.id"
            + _limit(limit)
        )
        rows = self.query(sql, params)
        for row in rows:
            row["subject"] = loads(row["subject"], None)
            row["object"] = loads(row["object"], None)
            row["meta"] = loads(row["meta"], {})
        return cast(list[RelationRow], rows)

    def rhetoric_rows(
        self, doc_id: str | None = None, technique: str | None = None, limit: int | None = None
    ) -> list[RhetoricRow]:
        where, params = _filters(doc_id=doc_id, technique=technique, alias="r")
        sql = (
            "SELECT r.id, r.doc_id, r.start, r.end, r.text, r.technique, r.score FROM rhetoric r"
            + where
            + " ORDER BY r.doc_id, r.start"
            + _limit(limit)
        )
        return self.records(RhetoricRow, sql, params)

    def analysis_summary(self) -> AnalysisState:
        """Analyzed documents by model, version and status, and failures with their errors."""
        runs = self.records(
            AnalysisRun,
            "SELECT model, version, status, count(*) AS documents, sum(words) AS words FROM analyses"
            " GROUP BY model, version, status ORDER BY model, version, status",
        )
        failed = self.records(
            AnalysisFailure,
            "SELECT doc_id, error FROM analyses WHERE status = 'failed' ORDER BY doc_id LIMIT 100",
        )
        return AnalysisState(runs=runs, failed=failed)


def _span(s: Any) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text}


def _filters(alias: str, **fields: Any) -> tuple[str, list[Any]]:
    where, params = [], []
    for key, value in fields.items():
        if value is not None:
            where.append(f"{alias}.{key} = ?")
            params.append(value)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


# Structured importers (e.g. the FARA register, model "casegraph-fara") write their own
# annotations and record them under a model named "casegraph-...": NLP must not overwrite
# them, even with force, unless the documents are named explicitly.
STRUCTURED_MODEL_PREFIX = "casegraph-"


def _to_analyze(force: bool, doc_ids: list[str] | None) -> tuple[str, list[Any]]:
    """SQL condition (over documents d LEFT JOIN analyses a) for the documents a run analyses."""
    if doc_ids:
        clause = f"d.id IN ({','.join('?' * len(doc_ids))})"
        return (clause if force else f"a.doc_id IS NULL AND {clause}"), list(doc_ids)
    if force:
        return "(a.doc_id IS NULL OR a.model NOT LIKE ? || '%')", [STRUCTURED_MODEL_PREFIX]
    return "a.doc_id IS NULL", []

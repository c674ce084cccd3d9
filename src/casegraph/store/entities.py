"""Store methods for entities, mention-to-entity links, human corrections and the graph
(resolve and graph stages). Only this module speaks SQL for those tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from casegraph.models import (
    CorrectionRecord,
    DocumentBrief,
    EdgeEvidence,
    EdgeEvidenceRow,
    EdgeRow,
    EmailHeaders,
    EmailParty,
    EntityMention,
    EntityRecord,
    QuoteSpan,
    Segment,
)
from casegraph.store.base import StoreBase, dumps, loads

# Labels that name a thing worth resolving (numbers, dates and amounts are not entities).
NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EMAIL")

# Relations (except co-occurrence) with both ends resolved to entities (a, b): for all of
# the case (typed_relations) or some documents (store/resolution.typed_relations_in).
TYPED_RELATIONS = (
    "SELECT r.id, r.doc_id, r.kind, r.predicate, r.start, r.end, r.text, r.confidence,"
    " r.negated, r.hedged,"
    " coalesce(r.subject_entity, ms.entity_id) AS a, coalesce(r.object_entity, mo.entity_id) AS b"
    " FROM relations r"
    " LEFT JOIN mentions ms ON ms.id = r.subject_mention"
    " LEFT JOIN mentions mo ON mo.id = r.object_mention"
    " WHERE r.kind != 'mentioned_with'"
)

# One edge and its evidence as rows: the full rebuild (replace_graph) and the incremental
# update (store/resolution.py) write them alike.
INSERT_EDGE = (
    "INSERT INTO graph_edges(id, a, b, kind, predicate, directed, count, documents, strength,"
    " evidence) VALUES (?,?,?,?,?,?,?,?,?,?)"
)
INSERT_EVIDENCE = (
    "INSERT INTO edge_evidence(edge_id, doc_id, start, end, text, relation_id, confidence)"
    " VALUES (?,?,?,?,?,?,?)"
)


def edge_row(edge_id: int, e: dict[str, Any]) -> tuple[Any, ...]:
    return (
        edge_id,
        e["a"],
        e["b"],
        e["kind"],
        e.get("predicate", ""),
        int(e.get("directed", 0)),
        e["count"],
        e["documents"],
        e["strength"],
        e.get("evidence_kind", "source"),
    )


def evidence_rows(edge_id: int, evidence: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            edge_id,
            ev["doc_id"],
            ev["start"],
            ev["end"],
            ev.get("text", ""),
            ev.get("relation_id"),
            ev.get("confidence", 0.5),
        )
        for ev in evidence
    ]


def _entity_row(row: dict[str, Any]) -> EntityRecord:
    row["aliases"] = loads(row.get("aliases"), [])
    if "meta" in row:
        row["meta"] = loads(row.get("meta"), {})
    return cast(EntityRecord, row)


class EntityStore(StoreBase):
    # -- input of resolution ------------------------------------------------------------

    def iter_name_mentions(self, batch: int = 20000) -> Iterator[dict[str, Any]]:
        """Mentions that name a person, organisation or place, streamed in id order."""
        labels = ",".join("?" * len(NAME_LABELS))
        last = -1
        while True:
            rows = self.query(
                f"SELECT id, doc_id, start, end, text, label, cluster FROM mentions"
                f" WHERE id > ? AND label IN ({labels}) ORDER BY id LIMIT ?",
                (last, *NAME_LABELS, batch),
            )
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    # -- e-mail header structure (written at ingest: ingest/email_header.py) --------------

    def replace_email_headers(self, doc_id: str, headers: EmailHeaders, version: int) -> None:
        """Store a document's header structure and e-mail parties, replacing what it had."""
        with self.transaction() as conn:
            for table in ("email_headers", "email_parties", "email_headers_parsed"):
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO email_headers(doc_id, kind, block, start, end, field, role, author)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [
                    (doc_id, s.kind, s.number, s.start, s.end, s.field, s.role, s.author)
                    for s in headers.segments
                ],
            )
            conn.executemany(
                "INSERT INTO email_parties(doc_id, role, name, address, start, end, text, block)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [
                    (doc_id, p.role, p.name, p.address, p.start, p.end, p.text, p.block)
                    for p in headers.parties
                ],
            )
            conn.execute("INSERT INTO email_headers_parsed(doc_id, version) VALUES (?, ?)", (doc_id, version))

    def email_headers(self, doc_id: str) -> EmailHeaders | None:
        """A document's stored header structure; None when it was never parsed."""
        if self.query_one("SELECT version FROM email_headers_parsed WHERE doc_id = ?", (doc_id,)) is None:
            return None
        rows = self.query(
            "SELECT kind, block, start, end, field, role, author FROM email_headers WHERE doc_id = ?"
            " ORDER BY start, kind, end, block",
            (doc_id,),
        )
        segments = [
            Segment(
                r["kind"],
                r["start"],
                r["end"],
                r["block"],
                role=r["role"],
                author=r["author"],
                field=r["field"],
            )
            for r in rows
        ]
        parties = [
            EmailParty(p["role"], p["name"], p["address"], p["start"], p["end"], p["text"], p["block"])
            for p in self.email_parties(doc_id)
        ]
        return EmailHeaders(segments, parties)

    def documents_without_email_headers(self, version: int, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Documents (id, text, meta) whose header structure is not stored, or was stored by
        an older parser, streamed in batches."""
        last = 0
        while True:
            rows = self.query(
                "SELECT d.rowid, d.id, d.text, d.meta FROM documents d"
                " LEFT JOIN email_headers_parsed p ON p.doc_id = d.id"
                " WHERE d.rowid > ? AND (p.doc_id IS NULL OR p.version < ?) ORDER BY d.rowid LIMIT ?",
                (last, version, batch),
            )
            if not rows:
                return
            for row in rows:
                row["meta"] = loads(row["meta"], {})
            yield from rows
            last = rows[-1]["rowid"]

    def email_parties(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        if doc_id:
            return self.query("SELECT * FROM email_parties WHERE doc_id = ? ORDER BY id", (doc_id,))
        return self.query("SELECT * FROM email_parties ORDER BY doc_id, id")  # as written, by document

    # -- output of resolution -----------------------------------------------------------

    def replace_entities(
        self,
        entities: Sequence[dict[str, Any]],
        mention_links: Iterable[tuple[str | None, int]],
        party_links: Iterable[tuple[str | None, int]],
    ) -> None:
        """Replace all machine entities and links in one transaction: readers never see half."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entities")
            conn.executemany(
                "INSERT INTO entities(id, name, type, aliases, meta) VALUES (?,?,?,?,?)",
                [
                    (e["id"], e["name"], e["type"], dumps(e["aliases"]), dumps(e.get("meta", {})))
                    for e in entities
                ],
            )
            conn.execute("UPDATE mentions SET entity_id = NULL WHERE entity_id IS NOT NULL")
            conn.executemany("UPDATE mentions SET entity_id = ? WHERE id = ?", mention_links)
            conn.executemany("UPDATE email_parties SET entity_id = ? WHERE id = ?", party_links)

    # -- reading entities ---------------------------------------------------------------

    def list_entities(self, type: str | None = None, limit: int | None = None) -> list[EntityRecord]:
        """Entities with their mention and document counts, most mentioned first."""
        sql = (
            "SELECT e.id, e.name, e.type, e.aliases,"
            " coalesce(m.mentions, 0) AS mentions, coalesce(m.documents, 0) AS documents"
            " FROM entities e LEFT JOIN (SELECT entity_id, count(*) AS mentions,"
            " count(DISTINCT doc_id) AS documents FROM mentions WHERE entity_id IS NOT NULL"
            " GROUP BY entity_id) m ON m.entity_id = e.id"
        )
        params: list[Any] = []
        if type:
            sql += " WHERE e.type = ?"
            params.append(type)
        sql += " ORDER BY mentions DESC, e.name, e.id"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [_entity_row(r) for r in self.query(sql, params)]

    def entity_by_id_or_name(self, key: str) -> EntityRecord | None:
        """The entity with this id, else the most mentioned one with exactly this name
        (case-insensitive); None when neither exists. The fast path of name lookup."""
        row = self.query_one("SELECT id FROM entities WHERE id = ?", (key,))
        if row is None:
            row = self.query_one(
                "SELECT e.id FROM entities e WHERE e.name = ? COLLATE NOCASE ORDER BY"
                " (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) DESC, e.id LIMIT 1",
                (key,),
            )
        if row is None:
            return None
        return self.entity_summary(row["id"])

    def entity_summary(self, entity_id: str) -> EntityRecord | None:
        """id, name, type, aliases, mentions, documents of one entity."""
        row = self.query_one(
            "SELECT e.id, e.name, e.type, e.aliases,"
            " (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,"
            " (SELECT count(DISTINCT doc_id) FROM mentions m WHERE m.entity_id = e.id) AS documents"
            " FROM entities e WHERE e.id = ?",
            (entity_id,),
        )
        return _entity_row(row) if row else None

    # -- the name index (graph/lookup.py) ------------------------------------------------

    def replace_name_keys(self, rows: Sequence[tuple[str, str, int, str, str, int]]) -> None:
        """(key, entity id, person, surname, sound, mentions) for every name of every entity."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entity_keys")
            conn.executemany("INSERT INTO entity_keys VALUES (?,?,?,?,?,?)", rows)

    def entity_ids_by_key(self, keys: Sequence[str]) -> list[str]:
        """Entities with exactly one of these name keys, most mentioned first."""
        marks = ",".join("?" * len(keys))
        return [
            r["entity_id"]
            for r in self.query(
                f"SELECT entity_id, max(mentions) AS n FROM entity_keys WHERE key IN ({marks})"
                " GROUP BY entity_id ORDER BY n DESC, entity_id",
                list(keys),
            )
        ]

    def person_keys_like(self, surname: str, sound: str) -> list[tuple[str, str]]:
        """(key, entity id) of person names with this surname or one that sounds alike."""
        rows = self.query(
            "SELECT key, entity_id FROM entity_keys WHERE person = 1 AND (surname = ? OR sound = ?)"
            " ORDER BY mentions DESC, entity_id",
            (surname, sound),
        )
        return [(r["key"], r["entity_id"]) for r in rows]

    def all_name_keys(self) -> list[tuple[str, str]]:
        """(key, entity id) of every name, most mentioned entities first."""
        rows = self.query("SELECT key, entity_id FROM entity_keys ORDER BY mentions DESC, entity_id")
        return [(r["key"], r["entity_id"]) for r in rows]

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        row = self.query_one("SELECT * FROM entities WHERE id = ?", (entity_id,))
        return _entity_row(row) if row else None

    def entity_names(self) -> list[EntityRecord]:
        """(id, name, type, aliases, mentions) of every entity: the lookup table for names."""
        return self.list_entities()

    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]:
        sql = (
            "SELECT m.id, m.doc_id, m.start, m.end, m.text, m.label, d.title, d.date, d.path"
            " FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = ?"
            " ORDER BY d.date, m.doc_id, m.start"
        )
        params: list[Any] = [entity_id]
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return self.records(EntityMention, sql, params)

    def entity_quotes(self, entity_id: str, limit: int = 200) -> list[QuoteSpan]:
        """Quotes whose speaker resolved to the entity."""
        return self.records(
            QuoteSpan,
            "SELECT q.doc_id, q.start, q.end, q.text, q.cue, q.direct FROM quotes q"
            " JOIN mentions m ON m.id = q.speaker_mention WHERE m.entity_id = ?"
            " ORDER BY q.doc_id, q.start LIMIT ?",
            (entity_id, limit),
        )

    def quotes_about(self, entity_id: str, limit: int = 200) -> list[QuoteSpan]:
        """Quotes whose text contains a mention of the entity."""
        return self.records(
            QuoteSpan,
            "SELECT DISTINCT q.doc_id, q.start, q.end, q.text, q.cue, q.direct FROM quotes q"
            " JOIN mentions m ON m.doc_id = q.doc_id AND m.start >= q.start AND m.end <= q.end"
            " WHERE m.entity_id = ? ORDER BY q.doc_id, q.start LIMIT ?",
            (entity_id, limit),
        )

    def documents_meta(self, doc_ids: Sequence[str]) -> dict[str, DocumentBrief]:
        out: dict[str, DocumentBrief] = {}
        ids = list(doc_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.records(
                DocumentBrief,
                f"SELECT id, title, date, path, kind, mime FROM documents WHERE id IN ({marks})",
                chunk,
            ):
                out[row["id"]] = row
        return out

    def document_text(self, doc_id: str) -> str:
        return self.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,)) or ""

    def sentence_segments(self, doc_id: str) -> list[tuple[int, int]]:
        return [
            (r["start"], r["end"])
            for r in self.query(
                "SELECT start, end FROM segments WHERE doc_id = ? AND kind = 'sentence' ORDER BY start",
                (doc_id,),
            )
        ]

    def resolved_mentions(self) -> Iterator[tuple[int, str, int, int, str]]:
        """(id, doc_id, start, end, entity_id) of resolved mentions, by document, offsets and
        entity: an order that does not depend on the order the rows were written in."""
        for row in self.conn.execute(
            "SELECT id, doc_id, start, end, entity_id FROM mentions WHERE entity_id IS NOT NULL"
            " ORDER BY doc_id, start, end, entity_id"
        ):
            yield row[0], row[1], row[2], row[3], row[4]

    def typed_relations(self) -> Iterator[dict[str, Any]]:
        """Relations (except co-occurrence) with both ends resolved to entities."""
        for row in self.conn.execute(TYPED_RELATIONS + " ORDER BY r.doc_id, r.id"):
            yield dict(row)

    # -- structured registers (FARA) -----------------------------------------------------

    def add_register_annotations(
        self,
        doc_id: str,
        mentions: Sequence[dict[str, Any]],
        relations: Sequence[dict[str, Any]],
        model: str,
        version: str,
        replace: bool = False,
    ) -> None:
        """Mentions and relations read from a register rather than found by NLP; the document
        is marked analyzed by `model` so that `analyze` does not run the NLP pipeline on it.
        Relations refer to mentions by their index in `mentions`. With `replace`, whatever
        the document had (an NLP run forced over it) is replaced by the register's reading."""
        with self.transaction() as conn:
            if replace:
                conn.execute("DELETE FROM relations WHERE doc_id = ?", (doc_id,))
                for table in ("quotes", "claims", "rhetoric", "mentions"):
                    conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            ids = []
            for m in mentions:
                cur = conn.execute(
                    "INSERT INTO mentions(doc_id, start, end, text, label, cluster) VALUES (?,?,?,?,?,?)",
                    (doc_id, m["start"], m["end"], m["text"], m["label"], m.get("cluster", "")),
                )
                ids.append(cur.lastrowid)
            conn.executemany(
                "INSERT INTO relations(doc_id, subject_mention, object_mention, kind, predicate, start, end, text,"
                " confidence, meta) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc_id,
                        ids[r["subject"]],
                        ids[r["object"]],
                        r["kind"],
                        r.get("predicate", ""),
                        r["start"],
                        r["end"],
                        r["text"],
                        r.get("confidence", 0.95),
                        dumps(r.get("meta", {})),
                    )
                    for r in relations
                ],
            )
            conn.execute(
                "INSERT OR REPLACE INTO analyses(doc_id, model, version) VALUES (?, ?, ?)",
                (doc_id, model, version),
            )

    def analysis_model(self, doc_id: str) -> str | None:
        model: str | None = self.scalar("SELECT model FROM analyses WHERE doc_id = ?", (doc_id,))
        return model

    # -- corrections ----------------------------------------------------------------------

    def add_correction(self, action: str, payload: dict[str, Any]) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO corrections(action, payload) VALUES (?, ?)", (action, dumps(payload))
            )
            return int(cur.lastrowid or 0)

    def corrections(self, include_undone: bool = False) -> list[CorrectionRecord]:
        sql = "SELECT * FROM corrections"
        if not include_undone:
            sql += " WHERE undone = 0"
        rows = self.query(sql + " ORDER BY id")
        for row in rows:
            row["payload"] = loads(row["payload"], {})
            row["undone"] = bool(row["undone"])
        return cast(list[CorrectionRecord], rows)

    def set_correction_undone(self, correction_id: int, undone: bool = True) -> bool:
        with self.transaction() as conn:
            cur = conn.execute("UPDATE corrections SET undone = ? WHERE id = ?", (int(undone), correction_id))
            return cur.rowcount > 0

    # -- the materialised graph -------------------------------------------------------------

    def replace_graph(self, edges: Sequence[dict[str, Any]]) -> None:
        """Replace all edges; each edge dict has a, b, kind, predicate, directed, count,
        documents, strength and `evidence` (list of dicts doc_id, start, end, text, relation_id)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM edge_evidence")
            conn.execute("DELETE FROM graph_edges")
            conn.execute("DELETE FROM graph_index_cache")
            conn.execute("DELETE FROM graph_index_cache_by_evidence")
            conn.executemany(INSERT_EDGE, (edge_row(i, e) for i, e in enumerate(edges, start=1)))
            conn.executemany(
                INSERT_EVIDENCE,
                (row for i, e in enumerate(edges, start=1) for row in evidence_rows(i, e["evidence"])),
            )
            conn.execute(
                "INSERT INTO graph_state(key, value) VALUES ('version', '1')"
                " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )

    def graph_version(self) -> int:
        return int(self.scalar("SELECT value FROM graph_state WHERE key = 'version'") or 0)

    def graph_edge_rows(self) -> list[tuple[int, str, str, str, int, int, float, int]]:
        """(id, a, b, kind, count, documents, strength, directed) of every edge."""
        return [
            tuple(r)
            for r in self.conn.execute(
                "SELECT id, a, b, kind, count, documents, strength, directed FROM graph_edges ORDER BY id"
            )
        ]

    def graph_link_rows(self) -> list[tuple[str, str, str, float]]:
        """(a, b, kind, strength) of every edge: what routing needs, nothing more."""
        return self.conn.execute("SELECT a, b, kind, strength FROM graph_edges").fetchall()

    def edges_between(self, a: str, b: str) -> list[EdgeRow]:
        return self.records(
            EdgeRow,
            "SELECT * FROM graph_edges WHERE (a = ? AND b = ?) OR (a = ? AND b = ?) ORDER BY strength DESC",
            (a, b, b, a),
        )

    def edges_of(self, entity_id: str) -> list[EdgeRow]:
        return self.records(
            EdgeRow,
            "SELECT * FROM graph_edges WHERE a = ? OR b = ? ORDER BY strength DESC",
            (entity_id, entity_id),
        )

    def edge_evidence(self, edge_ids: Sequence[int], per_edge: int = 5) -> dict[int, list[EdgeEvidence]]:
        """Up to `per_edge` evidence spans for each edge, most confident first."""
        out: dict[int, list[EdgeEvidence]] = {int(i): [] for i in edge_ids}
        ids = list(out)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.query(
                "SELECT edge_id, doc_id, start, end, text, relation_id, confidence FROM ("
                " SELECT *, row_number() OVER (PARTITION BY edge_id ORDER BY confidence DESC, doc_id, start) AS rn"
                f" FROM edge_evidence WHERE edge_id IN ({marks})) WHERE rn <= ?",
                (*chunk, per_edge),
            )
            for row in rows:
                out[row.pop("edge_id")].append(cast(EdgeEvidence, row))
        return out

    def entity_types(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.conn.execute("SELECT id, type FROM entities")}

    def entities_by_id(self, entity_ids: Sequence[str]) -> list[EntityRecord]:
        out: list[EntityRecord] = []
        ids = sorted(set(entity_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += [
                _entity_row(r)
                for r in self.query(
                    f"SELECT id, name, type, aliases FROM entities WHERE id IN ({marks})", chunk
                )
            ]
        return out

    def iter_graph_edges(self) -> Iterator[EdgeRow]:
        for row in self.conn.execute("SELECT * FROM graph_edges ORDER BY id"):
            yield cast(EdgeRow, dict(row))

    def all_edge_evidence(self) -> Iterator[EdgeEvidenceRow]:
        for row in self.conn.execute("SELECT * FROM edge_evidence ORDER BY edge_id"):
            yield cast(EdgeEvidenceRow, dict(row))

    def save_graph_index(self, version: int, ids: list[str], arrays: dict[str, Any]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM graph_index_cache")
            conn.execute(
                "INSERT INTO graph_index_cache(version, ids, pa, pb, cost, strength) VALUES (?,?,?,?,?,?)",
                (
                    version,
                    dumps(ids),
                    arrays["pa"].tobytes(),
                    arrays["pb"].tobytes(),
                    arrays["cost"].tobytes(),
                    arrays["strength"].tobytes(),
                ),
            )

    def load_graph_index(self, version: int) -> tuple[list[str], dict[str, Any]] | None:
        """(ids, arrays) cached for this graph version, or None. Arrays are read as plain
        numbers (numpy.frombuffer): nothing in the database is ever unpickled or executed."""
        import numpy as np

        row = self.query_one("SELECT * FROM graph_index_cache WHERE version = ?", (version,))
        if row is None:
            return None
        arrays = {
            "pa": np.frombuffer(row["pa"], dtype="<i8"),
            "pb": np.frombuffer(row["pb"], dtype="<i8"),
            "cost": np.frombuffer(row["cost"], dtype="<f8"),
            "strength": np.frombuffer(row["strength"], dtype="<f8"),
        }
        ids = loads(row["ids"], [])
        sizes = {len(a) for a in arrays.values()}
        if len(sizes) != 1 or (len(arrays["pa"]) and max(arrays["pa"].max(), arrays["pb"].max()) >= len(ids)):
            return None  # damaged: rebuild rather than trust it
        return ids, arrays

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO graph_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, dumps(value)),
            )

    def get_state(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM graph_state WHERE key = ?", (key,))
        return loads(value, default) if value is not None else default

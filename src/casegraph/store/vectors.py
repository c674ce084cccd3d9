"""Store methods of the sentence-embedding index (casegraph.search.index): which source
documents still lack vectors, their sentences, and the vectors themselves as blobs; and of
the graph's evidence kinds (source or article) with their routing-index caches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from casegraph.store.base import StoreBase, dumps, loads

# (doc_id, count, spans, vectors, scales): one document's part of the index, as stored
VectorRow = tuple[str, int, bytes, bytes, bytes]


class VectorStore(StoreBase):
    def sources_without_vectors(
        self, model: str, doc_ids: Sequence[str] | None = None, after: int = 0, limit: int = 200
    ) -> list[tuple[int, str]]:
        """(rowid, id) of source documents with no index row for `model`, by rowid after
        `after` (page through with the last rowid); only `doc_ids` when given."""
        sql = (
            "SELECT d.rowid, d.id FROM documents d WHERE d.kind = 'source' AND d.rowid > ?"
            " AND NOT EXISTS (SELECT 1 FROM sentence_vectors v WHERE v.doc_id = d.id AND v.model = ?)"
        )
        params: list[object] = [after, model]
        if doc_ids is not None:
            ids = sorted(set(doc_ids))
            if not ids:
                return []
            sql += f" AND d.id IN ({','.join('?' * len(ids))})"
            params += ids
        sql += " ORDER BY d.rowid LIMIT ?"
        params.append(limit)
        return [(int(r[0]), str(r[1])) for r in self.conn.execute(sql, params)]

    def count_sources_without_vectors(self, model: str, doc_ids: Sequence[str] | None = None) -> int:
        sql = (
            "SELECT count(*) FROM documents d WHERE d.kind = 'source'"
            " AND NOT EXISTS (SELECT 1 FROM sentence_vectors v WHERE v.doc_id = d.id AND v.model = ?)"
        )
        params: list[object] = [model]
        if doc_ids is not None:
            ids = sorted(set(doc_ids))
            if not ids:
                return 0
            sql += f" AND d.id IN ({','.join('?' * len(ids))})"
            params += ids
        return int(self.scalar(sql, params) or 0)

    def indexable_sentences(self, doc_id: str) -> tuple[str, list[tuple[int, int]]]:
        """A document's text and its sentence segments outside boilerplate (ingest's)."""
        text = self.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,)) or ""
        spans = [
            (int(r[0]), int(r[1]))
            for r in self.conn.execute(
                "SELECT start, end FROM segments WHERE doc_id = ? AND kind = 'sentence' AND boilerplate = 0"
                " ORDER BY start",
                (doc_id,),
            )
        ]
        return str(text), spans

    def put_sentence_vectors(self, model: str, rows: Sequence[VectorRow]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO sentence_vectors(doc_id, model, count, spans, vectors, scales)"
                " VALUES (?,?,?,?,?,?)",
                [(d, model, n, s, v, c) for d, n, s, v, c in rows],
            )

    def sentence_vector_rows(self, model: str) -> Iterator[VectorRow]:
        """Every document's part of the index for `model` that holds sentences, by doc id."""
        for r in self.conn.execute(
            "SELECT doc_id, count, spans, vectors, scales FROM sentence_vectors"
            " WHERE model = ? AND count > 0 ORDER BY doc_id",
            (model,),
        ):
            yield (str(r[0]), int(r[1]), bytes(r[2]), bytes(r[3]), bytes(r[4]))

    def sentence_vector_stamp(self, model: str) -> tuple[int, int, int]:
        """(documents, sentences, last rowid) of the index: changes whenever the index does."""
        row = self.conn.execute(
            "SELECT count(*), coalesce(sum(count), 0), coalesce(max(rowid), 0) FROM sentence_vectors"
            " WHERE model = ?",
            (model,),
        ).fetchone()
        return (int(row[0]), int(row[1]), int(row[2]))


class EvidenceStore(StoreBase):
    """What the graph needs to keep source evidence apart from article evidence."""

    def document_kinds(self) -> dict[str, str]:
        """id -> 'source' | 'article' of every document."""
        return {str(r[0]): str(r[1]) for r in self.conn.execute("SELECT id, kind FROM documents")}

    def graph_link_rows_by_evidence(self, evidence: str) -> list[tuple[str, str, str, float]]:
        """(a, b, kind, strength) of the edges whose evidence is of this kind."""
        return [
            (str(r[0]), str(r[1]), str(r[2]), float(r[3]))
            for r in self.conn.execute(
                "SELECT a, b, kind, strength FROM graph_edges WHERE evidence = ?", (evidence,)
            )
        ]

    def save_graph_index_by_evidence(
        self, version: int, evidence: str, ids: list[str], arrays: dict[str, npt.NDArray[Any]]
    ) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM graph_index_cache_by_evidence WHERE version != ?", (version,))
            conn.execute(
                "INSERT OR REPLACE INTO graph_index_cache_by_evidence"
                "(version, evidence, ids, pa, pb, cost, strength) VALUES (?,?,?,?,?,?,?)",
                (
                    version,
                    evidence,
                    dumps(ids),
                    arrays["pa"].astype("<i8").tobytes(),
                    arrays["pb"].astype("<i8").tobytes(),
                    arrays["cost"].astype("<f8").tobytes(),
                    arrays["strength"].astype("<f8").tobytes(),
                ),
            )

    def load_graph_index_by_evidence(
        self, version: int, evidence: str
    ) -> tuple[list[str], dict[str, npt.NDArray[Any]]] | None:
        """(ids, arrays) cached for this graph version and evidence kind, or None. Read as
        plain numbers: nothing stored is unpickled or executed."""
        row = self.conn.execute(
            "SELECT ids, pa, pb, cost, strength FROM graph_index_cache_by_evidence"
            " WHERE version = ? AND evidence = ?",
            (version, evidence),
        ).fetchone()
        if row is None:
            return None
        arrays = {
            "pa": np.frombuffer(row[1], dtype="<i8"),
            "pb": np.frombuffer(row[2], dtype="<i8"),
            "cost": np.frombuffer(row[3], dtype="<f8"),
            "strength": np.frombuffer(row[4], dtype="<f8"),
        }
        ids = [str(x) for x in loads(row[0], [])]
        if len({len(a) for a in arrays.values()}) != 1 or (
            len(arrays["pa"]) and max(int(arrays["pa"].max()), int(arrays["pb"].max())) >= len(ids)
        ):
            return None  # damaged: rebuild rather than trust it
        return ids, arrays

"""Store methods for incremental resolution (resolve/incremental.py): the keys new names are
blocked against, the documents the entities account for, and changes to part of the
entities, their links, their name index and their edges. Only this module speaks SQL for
`resolve_keys` and `resolved_documents`; the graph tables are those of store/entities.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from casegraph.models import ResolveKey
from casegraph.store.base import StoreBase, dumps
from casegraph.store.entities import (
    INSERT_EDGE,
    INSERT_EVIDENCE,
    NAME_LABELS,
    TYPED_RELATIONS,
    edge_row,
    evidence_rows,
)

_CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _key_row(row: dict[str, Any]) -> ResolveKey:
    return ResolveKey(row["entity_id"], row["kind"], row["key"], row["surname"], row["given"], row["data"])


class ResolutionStore(StoreBase):
    # -- what the entities account for ----------------------------------------------------

    def unresolved_documents(self) -> list[str]:
        """Analyzed documents that no resolve has seen yet, by id."""
        return [
            r["doc_id"]
            for r in self.query(
                "SELECT a.doc_id FROM analyses a LEFT JOIN resolved_documents r ON r.doc_id = a.doc_id"
                " WHERE r.doc_id IS NULL ORDER BY a.doc_id"
            )
        ]

    def reanalyzed_documents(self, watermark: int) -> list[str]:
        """Documents seen by a resolve whose mentions were written again since (ids above
        `watermark`, the largest mention id at that resolve)."""
        return [
            r["doc_id"]
            for r in self.query(
                "SELECT DISTINCT m.doc_id FROM mentions m JOIN resolved_documents r ON r.doc_id = m.doc_id"
                " WHERE m.id > ? ORDER BY m.doc_id",
                (watermark,),
            )
        ]

    def entity_and_edge_counts(self) -> tuple[int, int]:
        """(entities, graph edges) of the case."""
        entities = int(self.scalar("SELECT count(*) FROM entities") or 0)
        return entities, int(self.scalar("SELECT count(*) FROM graph_edges") or 0)

    def max_mention_id(self) -> int:
        return int(self.scalar("SELECT max(id) FROM mentions") or 0)

    def max_party_id(self) -> int:
        return int(self.scalar("SELECT max(id) FROM email_parties") or 0)

    def documents_with_parties_after(self, watermark: int) -> list[str]:
        """Documents with e-mail parties written after the last resolve (ids above `watermark`)."""
        return [
            r["doc_id"]
            for r in self.query(
                "SELECT DISTINCT doc_id FROM email_parties WHERE id > ? ORDER BY doc_id", (watermark,)
            )
        ]

    def reparsed_party_documents(self, watermark: int) -> list[str]:
        """Documents seen by a resolve whose e-mail parties were written again since (ids
        above `watermark`, the largest party id at that resolve)."""
        return [
            r["doc_id"]
            for r in self.query(
                "SELECT DISTINCT p.doc_id FROM email_parties p JOIN resolved_documents r ON r.doc_id = p.doc_id"
                " WHERE p.id > ? ORDER BY p.doc_id",
                (watermark,),
            )
        ]

    def name_mentions_of(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Mentions naming a person, organisation or place in these documents, by id."""
        out: list[dict[str, Any]] = []
        labels = ",".join("?" * len(NAME_LABELS))
        for chunk in _chunks(list(doc_ids)):
            marks = ",".join("?" * len(chunk))
            out += self.query(
                f"SELECT id, doc_id, start, end, text, label, cluster FROM mentions"
                f" WHERE doc_id IN ({marks}) AND label IN ({labels})",
                (*chunk, *NAME_LABELS),
            )
        out.sort(key=lambda m: m["id"])
        return out

    # -- resolve keys -----------------------------------------------------------------------

    def replace_resolve_keys(self, rows: Sequence[ResolveKey]) -> None:
        """All keys anew (a full resolve); every analyzed document is then accounted for."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM resolve_keys")
            conn.executemany(
                "INSERT INTO resolve_keys(entity_id, kind, key, surname, given, data) VALUES (?,?,?,?,?,?)",
                [tuple(r) for r in rows],
            )
            conn.execute("DELETE FROM resolved_documents")
            conn.execute("INSERT INTO resolved_documents(doc_id) SELECT doc_id FROM analyses")

    def add_resolve_keys(self, rows: Sequence[ResolveKey], doc_ids: Sequence[str]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO resolve_keys(entity_id, kind, key, surname, given, data) VALUES (?,?,?,?,?,?)",
                [tuple(r) for r in rows],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO resolved_documents(doc_id) VALUES (?)", [(d,) for d in doc_ids]
            )

    def replace_resolve_keys_of(self, entity_ids: Sequence[str], rows: Sequence[ResolveKey]) -> None:
        """These entities' keys, replaced by `rows`."""
        with self.transaction() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM resolve_keys WHERE entity_id IN ({marks})", tuple(chunk))
            conn.executemany(
                "INSERT INTO resolve_keys(entity_id, kind, key, surname, given, data) VALUES (?,?,?,?,?,?)",
                [tuple(r) for r in rows],
            )

    def resolve_keys(self, kind: str, keys: Sequence[str]) -> list[ResolveKey]:
        """Rows of this kind with one of these keys."""
        out: list[ResolveKey] = []
        for chunk in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(chunk))
            out += [
                _key_row(r)
                for r in self.query(
                    f"SELECT * FROM resolve_keys WHERE kind = ? AND key IN ({marks}) ORDER BY id",
                    (kind, *chunk),
                )
            ]
        return out

    def resolve_keys_by_surname(self, kind: str, surnames: Sequence[str]) -> list[ResolveKey]:
        out: list[ResolveKey] = []
        for chunk in _chunks(sorted(set(surnames))):
            marks = ",".join("?" * len(chunk))
            out += [
                _key_row(r)
                for r in self.query(
                    f"SELECT * FROM resolve_keys WHERE kind = ? AND surname IN ({marks}) ORDER BY id",
                    (kind, *chunk),
                )
            ]
        return out

    def resolve_key_counts(self, kind: str, keys: Sequence[str]) -> dict[str, int]:
        """How many rows of this kind carry each key (block sizes)."""
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(chunk))
            for r in self.query(
                f"SELECT key, count(*) AS n FROM resolve_keys WHERE kind = ? AND key IN ({marks}) GROUP BY key",
                (kind, *chunk),
            ):
                out[r["key"]] = int(r["n"])
        return out

    def count_resolve_keys(self, kind: str, column: str, value: str) -> int:
        """Rows of this kind whose `surname` or `given` is `value`."""
        if column not in ("surname", "given"):
            raise ValueError(f"no column {column!r} to count resolve keys by")
        return int(
            self.scalar(f"SELECT count(*) FROM resolve_keys WHERE kind = ? AND {column} = ?", (kind, value))
            or 0
        )

    def resolve_keys_of(self, entity_ids: Sequence[str]) -> list[ResolveKey]:
        out: list[ResolveKey] = []
        for chunk in _chunks(sorted(set(entity_ids))):
            marks = ",".join("?" * len(chunk))
            out += [
                _key_row(r)
                for r in self.query(
                    f"SELECT * FROM resolve_keys WHERE entity_id IN ({marks}) ORDER BY id", tuple(chunk)
                )
            ]
        return out

    def retarget_resolve_keys(
        self, from_ids: Sequence[str], to_id: str, keys: Sequence[str] | None = None
    ) -> None:
        """Give these entities' keys (only those in `keys` when given) to another entity."""
        with self.transaction() as conn:
            for chunk in _chunks(sorted(set(from_ids))):
                marks = ",".join("?" * len(chunk))
                if keys is None:
                    conn.execute(
                        f"UPDATE resolve_keys SET entity_id = ? WHERE entity_id IN ({marks})", (to_id, *chunk)
                    )
                    continue
                for kchunk in _chunks(sorted(set(keys))):
                    kmarks = ",".join("?" * len(kchunk))
                    conn.execute(
                        f"UPDATE resolve_keys SET entity_id = ? WHERE entity_id IN ({marks}) AND key IN ({kmarks})",
                        (to_id, *chunk, *kchunk),
                    )

    # -- part of the entities ------------------------------------------------------------

    def existing_entity_ids(self, entity_ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(set(entity_ids))):
            marks = ",".join("?" * len(chunk))
            out |= {
                r["id"] for r in self.query(f"SELECT id FROM entities WHERE id IN ({marks})", tuple(chunk))
            }
        return out

    def save_entities(self, entities: Sequence[dict[str, Any]]) -> None:
        """Write these entities (id, name, type, aliases, meta), replacing those of the same id."""
        with self.transaction() as conn:
            for e in entities:
                values = (e["name"], e["type"], dumps(e["aliases"]), dumps(e.get("meta", {})), e["id"])
                cur = conn.execute(
                    "UPDATE entities SET name = ?, type = ?, aliases = ?, meta = ? WHERE id = ?", values
                )
                if cur.rowcount == 0:
                    conn.execute(
                        "INSERT INTO entities(name, type, aliases, meta, id) VALUES (?,?,?,?,?)", values
                    )

    def delete_entities(self, entity_ids: Sequence[str]) -> None:
        """Remove entities; their mentions and e-mail parties are left unlinked."""
        with self.transaction() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                marks = ",".join("?" * len(chunk))
                conn.execute(
                    f"UPDATE mentions SET entity_id = NULL WHERE entity_id IN ({marks})", tuple(chunk)
                )
                conn.execute(
                    f"UPDATE email_parties SET entity_id = NULL WHERE entity_id IN ({marks})", tuple(chunk)
                )
                conn.execute(f"DELETE FROM entities WHERE id IN ({marks})", tuple(chunk))

    def link_mentions(
        self, mention_links: Iterable[tuple[str | None, int]], party_links: Iterable[tuple[str | None, int]]
    ) -> None:
        with self.transaction() as conn:
            conn.executemany("UPDATE mentions SET entity_id = ? WHERE id = ?", list(mention_links))
            conn.executemany("UPDATE email_parties SET entity_id = ? WHERE id = ?", list(party_links))

    def entity_mention_rows(self, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
        """id, doc_id, start, end, text, label, cluster, entity_id of these entities' mentions."""
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(entity_ids))):
            marks = ",".join("?" * len(chunk))
            out += self.query(
                "SELECT id, doc_id, start, end, text, label, cluster, entity_id FROM mentions"
                f" WHERE entity_id IN ({marks})",
                tuple(chunk),
            )
        out.sort(key=lambda m: m["id"])
        return out

    def entity_party_ids(self, entity_ids: Sequence[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for chunk in _chunks(sorted(set(entity_ids))):
            marks = ",".join("?" * len(chunk))
            for r in self.query(
                f"SELECT id, entity_id FROM email_parties WHERE entity_id IN ({marks}) ORDER BY id",
                tuple(chunk),
            ):
                out.setdefault(r["entity_id"], []).append(int(r["id"]))
        return out

    def entities_sharing_documents(self, entity_id: str, others: Sequence[str]) -> set[str]:
        """Those of `others` named in at least one document that also names `entity_id`."""
        out: set[str] = set()
        for chunk in _chunks(sorted(set(others))):
            marks = ",".join("?" * len(chunk))
            out |= {
                r["entity_id"]
                for r in self.query(
                    "SELECT DISTINCT m2.entity_id FROM mentions m2 WHERE m2.entity_id IN"
                    f" ({marks}) AND m2.doc_id IN (SELECT m1.doc_id FROM mentions m1 WHERE m1.entity_id = ?)",
                    (*chunk, entity_id),
                )
            }
        return out

    def documents_naming(self, entity_ids: Sequence[str]) -> list[str]:
        """Documents with a mention or an e-mail party linked to one of these entities."""
        out: set[str] = set()
        for chunk in _chunks(sorted(set(entity_ids))):
            marks = ",".join("?" * len(chunk))
            for table in ("mentions", "email_parties"):
                out |= {
                    r["doc_id"]
                    for r in self.query(
                        f"SELECT DISTINCT doc_id FROM {table} WHERE entity_id IN ({marks})", tuple(chunk)
                    )
                }
        return sorted(out)

    def replace_name_keys_of(
        self, entity_ids: Sequence[str], rows: Sequence[tuple[str, str, int, str, str, int]]
    ) -> None:
        """The name index rows of these entities, replaced (see replace_name_keys)."""
        with self.transaction() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM entity_keys WHERE entity_id IN ({marks})", tuple(chunk))
            conn.executemany("INSERT INTO entity_keys VALUES (?,?,?,?,?,?)", list(rows))

    # -- inputs of the graph for part of the case -----------------------------------------------

    def resolved_mentions_in(self, doc_ids: Sequence[str]) -> list[tuple[int, str, int, int, str]]:
        """(id, doc_id, start, end, entity_id) of resolved mentions of these documents, by
        document, offsets and entity (as resolved_mentions)."""
        out: list[tuple[int, str, int, int, str]] = []
        for chunk in _chunks(sorted(set(doc_ids))):
            marks = ",".join("?" * len(chunk))
            out += [
                (r["id"], r["doc_id"], r["start"], r["end"], r["entity_id"])
                for r in self.query(
                    "SELECT id, doc_id, start, end, entity_id FROM mentions"
                    f" WHERE entity_id IS NOT NULL AND doc_id IN ({marks})",
                    tuple(chunk),
                )
            ]
        out.sort(key=lambda t: (t[1], t[2], t[3], t[4]))
        return out

    def typed_relations_in(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """As typed_relations, for the relations of these documents."""
        out: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(set(doc_ids))):
            marks = ",".join("?" * len(chunk))
            out += self.query(f"{TYPED_RELATIONS} AND r.doc_id IN ({marks})", tuple(chunk))
        out.sort(key=lambda r: (r["doc_id"], r["id"]))
        return out

    def document_kinds_of(self, doc_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(set(doc_ids))):
            marks = ",".join("?" * len(chunk))
            out.update(
                {
                    r["id"]: r["kind"]
                    for r in self.query(f"SELECT id, kind FROM documents WHERE id IN ({marks})", tuple(chunk))
                }
            )
        return out

    # -- part of the graph --------------------------------------------------------------------

    def add_edges(self, edges: Sequence[dict[str, Any]], max_evidence: int) -> None:
        """Add evidence from documents new to the graph: an edge that exists (same a, b,
        kind and evidence kind) adds the counts and strength and keeps up to `max_evidence`
        spans; others are new edges. Rows have the shape replace_graph takes."""
        with self.transaction() as conn:
            next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM graph_edges").fetchone()[0]) + 1
            for e in edges:
                kind_of_evidence = e.get("evidence_kind", "source")
                row = conn.execute(
                    "SELECT id FROM graph_edges WHERE a = ? AND b = ? AND kind = ? AND evidence = ?",
                    (e["a"], e["b"], e["kind"], kind_of_evidence),
                ).fetchone()
                if row is not None:
                    edge_id = int(row[0])
                    conn.execute(
                        "UPDATE graph_edges SET count = count + ?, documents = documents + ?,"
                        " strength = strength + ?, predicate = CASE WHEN predicate = '' THEN ? ELSE predicate END"
                        " WHERE id = ?",
                        (e["count"], e["documents"], e["strength"], e.get("predicate", ""), edge_id),
                    )
                    held = int(
                        conn.execute(
                            "SELECT count(*) FROM edge_evidence WHERE edge_id = ?", (edge_id,)
                        ).fetchone()[0]
                    )
                else:
                    edge_id, held = next_id, 0
                    next_id += 1
                    self._insert_edge(conn, edge_id, e)
                self._insert_evidence(conn, edge_id, e["evidence"][: max(0, max_evidence - held)])
            self._graph_changed(conn)

    def adjust_edges(self, changes: Sequence[dict[str, Any]], max_evidence: int) -> None:
        """Add differences (count, documents, strength) to edges; an edge left with no
        evidence goes, one that did not exist is added with the change's evidence."""
        with self.transaction() as conn:
            next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM graph_edges").fetchone()[0]) + 1
            for e in changes:
                key = (e["a"], e["b"], e["kind"], e.get("evidence_kind", "source"))
                row = conn.execute(
                    "SELECT id, count FROM graph_edges WHERE a = ? AND b = ? AND kind = ? AND evidence = ?",
                    key,
                ).fetchone()
                if row is None:
                    if e["count"] > 0:
                        self._insert_edge(conn, next_id, e)
                        self._insert_evidence(conn, next_id, e["evidence"][:max_evidence])
                        next_id += 1
                    continue
                edge_id = int(row[0])
                if int(row[1]) + e["count"] <= 0:
                    conn.execute("DELETE FROM edge_evidence WHERE edge_id = ?", (edge_id,))
                    conn.execute("DELETE FROM graph_edges WHERE id = ?", (edge_id,))
                    continue
                conn.execute(
                    "UPDATE graph_edges SET count = count + ?, documents = documents + ?, strength = strength + ?"
                    " WHERE id = ?",
                    (e["count"], e["documents"], e["strength"], edge_id),
                )
            self._graph_changed(conn)

    def replace_edges_of(self, entity_ids: Sequence[str], edges: Sequence[dict[str, Any]]) -> None:
        """Every edge touching one of these entities, replaced by `edges`."""
        with self.transaction() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                marks = ",".join("?" * len(chunk))
                ids = f"SELECT id FROM graph_edges WHERE a IN ({marks}) OR b IN ({marks})"
                conn.execute(f"DELETE FROM edge_evidence WHERE edge_id IN ({ids})", (*chunk, *chunk))
                conn.execute(
                    f"DELETE FROM graph_edges WHERE a IN ({marks}) OR b IN ({marks})", (*chunk, *chunk)
                )
            next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM graph_edges").fetchone()[0]) + 1
            for i, e in enumerate(edges, start=next_id):
                self._insert_edge(conn, i, e)
                self._insert_evidence(conn, i, e["evidence"])
            self._graph_changed(conn)

    @staticmethod
    def _insert_edge(conn: Any, edge_id: int, e: dict[str, Any]) -> None:
        conn.execute(INSERT_EDGE, edge_row(edge_id, e))

    @staticmethod
    def _insert_evidence(conn: Any, edge_id: int, evidence: Sequence[dict[str, Any]]) -> None:
        conn.executemany(INSERT_EVIDENCE, evidence_rows(edge_id, evidence))

    @staticmethod
    def _graph_changed(conn: Any) -> None:
        """A new graph version: the routing caches of the old one go."""
        conn.execute("DELETE FROM graph_index_cache")
        conn.execute("DELETE FROM graph_index_cache_by_evidence")
        conn.execute(
            "INSERT INTO graph_state(key, value) VALUES ('version', '1')"
            " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

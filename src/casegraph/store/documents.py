"""Documents, their segments, the ingest log, duplicates and full-text search."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from casegraph.models import (
    BoilerplateLine,
    Document,
    DocumentRecord,
    FileRecord,
    LoadRow,
    NearDuplicate,
    SearchHit,
    Segment,
    SegmentRecord,
)
from casegraph.store.base import StoreBase, dumps, loads

DOC_COLUMNS = "id, sha256, kind, path, title, author, date, custodian, mime, lang, parent_id, meta, size"


def _doc_row(row: dict[str, Any]) -> DocumentRecord:
    row["meta"] = loads(row.get("meta"), {})
    return cast(DocumentRecord, row)


class DocumentStore(StoreBase):
    # -- writing ----------------------------------------------------------------------

    def add_document(self, doc: Document, size: int = 0) -> bool:
        """Store a document with its segments. Returns False, storing nothing new, when a
        document with the same content hash exists (its other path is remembered)."""
        with self.transaction() as conn:
            existing = self.document_id_for_sha256(doc.sha256)
            if existing is not None:
                conn.execute(
                    "INSERT OR IGNORE INTO document_paths(doc_id, path) VALUES (?, ?)", (existing, doc.path)
                )
                return False
            conn.execute(
                "INSERT INTO documents(id, sha256, kind, path, title, author, date, custodian, mime, lang,"
                " parent_id, meta, text, size) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id,
                    doc.sha256,
                    doc.kind,
                    doc.path,
                    doc.title,
                    doc.author,
                    doc.date,
                    doc.custodian,
                    doc.mime,
                    doc.lang,
                    doc.parent_id,
                    dumps(doc.meta),
                    doc.text,
                    size,
                ),
            )
            conn.execute(
                "INSERT OR IGNORE INTO document_paths(doc_id, path) VALUES (?, ?)", (doc.id, doc.path)
            )
            self.replace_segments(doc.id, doc.segments)
            return True

    def replace_segments(self, doc_id: str, segments: list[Segment]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM segments WHERE doc_id = ?", (doc_id,))
            conn.executemany(
                "INSERT INTO segments(doc_id, kind, number, start, end, boilerplate) VALUES (?,?,?,?,?,?)",
                [(doc_id, s.kind, s.number, s.start, s.end, int(s.boilerplate)) for s in segments],
            )

    def update_document_meta(self, doc_id: str, **fields: Any) -> None:
        """Merge fields into a document: known columns are set, anything else goes into meta."""
        columns = {"title", "author", "date", "custodian", "lang", "mime"}
        with self.transaction() as conn:
            row = self.query_one("SELECT meta FROM documents WHERE id = ?", (doc_id,))
            if row is None:
                return
            meta = loads(row["meta"], {})
            for key, value in fields.items():
                if key in columns:
                    conn.execute(f"UPDATE documents SET {key} = ? WHERE id = ?", (value, doc_id))
                else:
                    meta[key] = value
            conn.execute("UPDATE documents SET meta = ? WHERE id = ?", (dumps(meta), doc_id))

    def link_near_duplicate(self, a: str, b: str, similarity: float) -> None:
        a, b = sorted((a, b))
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO near_duplicates(a, b, similarity) VALUES (?, ?, ?)",
                (a, b, similarity),
            )

    def set_boilerplate(self, lines: list[tuple[str, str, int]]) -> None:
        """Replace the production's boilerplate lines: (hash, text, number of documents)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM boilerplate")
            conn.executemany("INSERT INTO boilerplate(hash, text, documents) VALUES (?,?,?)", lines)

    def mark_boilerplate_segments(self, doc_id: str, numbers: list[int], kind: str = "paragraph") -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE segments SET boilerplate = 0 WHERE doc_id = ? AND kind = ?", (doc_id, kind))
            conn.executemany(
                "UPDATE segments SET boilerplate = 1 WHERE doc_id = ? AND kind = ? AND number = ?",
                [(doc_id, kind, n) for n in numbers],
            )

    # -- the ingest log -----------------------------------------------------------------

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
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO files(path, size, mtime, sha256, status, reason, doc_id)"
                " VALUES (?,?,?,?,?,?,?)",
                (path, size, mtime, sha256, status, reason, doc_id),
            )

    def file_record(self, path: str) -> FileRecord | None:
        return cast(FileRecord | None, self.query_one("SELECT * FROM files WHERE path = ?", (path,)))

    def file_log(self, status: str | None = None) -> list[FileRecord]:
        if status:
            return self.records(FileRecord, "SELECT * FROM files WHERE status = ? ORDER BY path", (status,))
        return self.records(FileRecord, "SELECT * FROM files ORDER BY path")

    # -- load files (production metadata by Bates number) -------------------------------

    def save_load_rows(self, rows: list[LoadRow], source: str) -> list[LoadRow]:
        """Store load-file rows by Bates number, merged into what earlier load files said
        (a later file adds fields, it does not erase them). Returns the merged rows."""
        merged = []
        with self.transaction() as conn:
            for row in rows:
                old = self.load_row(row["bates_begin"]) or {}
                both = {**old, **row}
                conn.execute(
                    "INSERT OR REPLACE INTO loadfile_rows(bates, row, source) VALUES (?, ?, ?)",
                    (row["bates_begin"], dumps(both), source),
                )
                merged.append(both)
        return merged

    def load_row(self, bates: str) -> LoadRow | None:
        row: LoadRow | None = loads(self.scalar("SELECT row FROM loadfile_rows WHERE bates = ?", (bates,)))
        return row

    def load_rows(self) -> list[LoadRow]:
        """Every load-file row of the case, by Bates number (the rows workers of a
        distributed ingest need to apply to the documents they read)."""
        return [loads(r["row"], {}) for r in self.query("SELECT row FROM loadfile_rows ORDER BY bates")]

    def documents_by_bates(self, bates: str) -> list[DocumentRecord]:
        return [
            _doc_row(r)
            for r in self.query(
                f"SELECT {DOC_COLUMNS} FROM documents WHERE json_extract(meta, '$.bates_begin') = ? ORDER BY rowid",
                (bates,),
            )
        ]

    # -- near-duplicates (MinHash bands) and boilerplate line counts ---------------------

    def documents_without_minhash(self, batch: int = 200) -> Iterator[tuple[str, str]]:
        """(id, text) of documents not yet MinHashed, in batches (bounded memory)."""
        return self._stream_texts(
            "m.doc_id IS NULL", join="LEFT JOIN minhashes m ON m.doc_id = d.id", batch=batch
        )

    def minhash_candidates(self, bands: list[tuple[int, int]]) -> list[str]:
        if not bands:
            return []
        clause = " OR ".join(["(band = ? AND key = ?)"] * len(bands))
        params = [v for pair in bands for v in pair]
        return [
            r[0]
            for r in self.conn.execute(f"SELECT DISTINCT doc_id FROM minhash_bands WHERE {clause}", params)
        ]

    def minhash_signature(self, doc_id: str) -> bytes | None:
        signature: bytes | None = self.scalar("SELECT signature FROM minhashes WHERE doc_id = ?", (doc_id,))
        return signature

    def save_minhash(self, doc_id: str, signature: bytes, bands: list[tuple[int, int]]) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO minhashes(doc_id, signature) VALUES (?, ?)", (doc_id, signature)
            )
            conn.executemany(
                "INSERT OR IGNORE INTO minhash_bands(band, key, doc_id) VALUES (?, ?, ?)",
                [(b, k, doc_id) for b, k in bands],
            )

    def documents_without_line_counts(self, batch: int = 200) -> Iterator[tuple[str, str]]:
        return self._stream_texts(
            "c.doc_id IS NULL", join="LEFT JOIN line_counted c ON c.doc_id = d.id", batch=batch
        )

    def add_line_counts(self, doc_id: str, lines: dict[int, str]) -> None:
        """Count each distinct normalised line of one document once (by its 63-bit hash)."""
        with self.transaction() as conn:
            # the text is kept from a line's second document on: most lines occur once, and
            # storing all of them would double the database
            conn.executemany(
                "INSERT INTO line_counts(hash, documents, text) VALUES (?1, 1, '')"
                " ON CONFLICT(hash) DO UPDATE SET documents = documents + 1,"
                " text = CASE WHEN text = '' THEN ?2 ELSE text END",
                list(lines.items()),
            )
            conn.execute("INSERT OR IGNORE INTO line_counted(doc_id) VALUES (?)", (doc_id,))

    def frequent_lines(self, min_documents: int) -> list[tuple[int, str, int]]:
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                "SELECT hash, text, documents FROM line_counts WHERE documents >= ? ORDER BY documents DESC",
                (min_documents,),
            )
        ]

    def count_documents(self) -> int:
        return int(self.scalar("SELECT count(*) FROM documents"))

    # -- reading ------------------------------------------------------------------------

    def document_id_for_sha256(self, sha256: str) -> str | None:
        doc_id: str | None = self.scalar("SELECT id FROM documents WHERE sha256 = ?", (sha256,))
        return doc_id

    def get_document(self, doc_id: str, with_text: bool = True) -> DocumentRecord | None:
        columns = DOC_COLUMNS + (", text" if with_text else "")
        row = self.query_one(f"SELECT {columns} FROM documents WHERE id = ?", (doc_id,))
        return _doc_row(row) if row else None

    def find_document(self, key: str) -> DocumentRecord | None:
        """By id, id prefix, Bates number or path as ingested."""
        row = self.get_document(key)
        if row:
            return row
        doc_id = (
            self.scalar("SELECT doc_id FROM document_paths WHERE path = ? LIMIT 1", (key,))
            or self.scalar(
                "SELECT id FROM documents WHERE json_extract(meta, '$.bates_begin') = ? LIMIT 1", (key,)
            )
            or (
                self.scalar("SELECT id FROM documents WHERE id LIKE ? || '%' LIMIT 1", (key,))
                if len(key) >= 6
                else None
            )
        )
        return self.get_document(doc_id) if doc_id else None

    def list_documents(
        self, kind: str | None = None, parent_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentRecord]:
        where, params = _document_filters(kind=kind)
        if parent_id is not None:
            where.append("parent_id = ?")
            params.append(parent_id)
        sql = f"SELECT {DOC_COLUMNS} FROM documents"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY path, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [_doc_row(r) for r in self.query(sql, params)]

    def iter_document_texts(self, kind: str | None = None, batch: int = 200) -> Iterator[tuple[str, str]]:
        """(id, text) of every document, streamed in batches to keep memory bounded."""
        if kind:
            return self._stream_texts("d.kind = ?", (kind,), batch=batch)
        return self._stream_texts(batch=batch)

    def _stream_texts(
        self, where: str = "1", params: tuple[Any, ...] = (), join: str = "", batch: int = 200
    ) -> Iterator[tuple[str, str]]:
        """(id, text) of the documents `d` matching `where`, in rowid order, `batch` rows at a time."""
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT d.rowid, d.id, d.text FROM documents d {join}"
                f" WHERE ({where}) AND d.rowid > ? ORDER BY d.rowid LIMIT ?",
                (*params, last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row["id"], row["text"]
            last = rows[-1]["rowid"]

    def document_paths(self, doc_id: str) -> list[str]:
        return [
            r["path"]
            for r in self.query("SELECT path FROM document_paths WHERE doc_id = ? ORDER BY path", (doc_id,))
        ]

    def segments(self, doc_id: str, kind: str | None = None) -> list[SegmentRecord]:
        if kind:
            return self.records(
                SegmentRecord,
                "SELECT * FROM segments WHERE doc_id = ? AND kind = ? ORDER BY start",
                (doc_id, kind),
            )
        return self.records(
            SegmentRecord, "SELECT * FROM segments WHERE doc_id = ? ORDER BY kind, start", (doc_id,)
        )

    def near_duplicates(self, doc_id: str) -> list[NearDuplicate]:
        return self.records(
            NearDuplicate,
            "SELECT CASE WHEN a = ? THEN b ELSE a END AS doc_id, similarity FROM near_duplicates"
            " WHERE a = ? OR b = ? ORDER BY similarity DESC",
            (doc_id, doc_id, doc_id),
        )

    def boilerplate_lines(self) -> list[BoilerplateLine]:
        return self.records(
            BoilerplateLine, "SELECT hash, text, documents FROM boilerplate ORDER BY documents DESC"
        )

    # -- search -------------------------------------------------------------------------

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
        """Full-text search, best first (BM25, title weighted above body), with snippets."""
        match = fts_query(query)
        if not match:
            return []
        where, params = _document_filters(kind, mime, date_from, date_to, custodian, prefix="d.")
        sql = (
            "SELECT d.id AS doc_id, d.path, d.title, d.kind, d.date,"
            " -bm25(documents_fts, 5.0, 1.0) AS score,"
            " snippet(documents_fts, 1, '[', ']', ' … ', 24) AS snippet"
            " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH ?"
        )
        if where:
            sql += " AND " + " AND ".join(where)
        sql += (
            " ORDER BY bm25(documents_fts, 5.0, 1.0), d.id LIMIT ?"  # ties by id: one order on both backends
        )
        return self.records(SearchHit, sql, [match, *params, limit])


# what people type for --type, as part of the MIME type
MIME_ALIASES = {
    "email": "message/",
    "mail": "message/",
    "eml": "message/rfc822",
    "docx": "wordprocessingml",
    "word": "wordprocessingml",
    "text": "text/plain",
    "txt": "text/plain",
    "markdown": "text/markdown",
    "imessage": "imessage",
    "chat": "imessage",
    "zip": "application/zip",
    "tar": "x-tar",
    "mbox": "mbox",
}


def _document_filters(
    kind: str | None = None,
    mime: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    custodian: str | None = None,
    prefix: str = "",
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if kind:
        where.append(f"{prefix}kind = ?")
        params.append(kind)
    if mime:
        where.append(f"{prefix}mime LIKE ?")
        params.append(f"%{MIME_ALIASES.get(mime.lower(), mime)}%")
    if date_from:
        where.append(f"{prefix}date >= ?")
        params.append(date_from)
    if date_to:
        # "2016" or "2016-12" as an upper bound includes the whole period
        where.append(f"substr({prefix}date, 1, ?) <= ?")
        params += [len(date_to), date_to]
    if custodian:
        where.append(f"{prefix}custodian LIKE ?")
        params.append(f"%{custodian}%")
    return where, params


_TOKEN = re.compile(r'"[^"]*"|\S+')
_OPERATORS = {"AND", "OR", "NOT"}


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: "quoted phrases", words (all
    required), OR / NOT / AND between them, and a trailing * for a prefix. Nothing the user
    types can produce an FTS5 syntax error."""
    parts: list[str] = []
    for token in _TOKEN.findall(text):
        if token in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(token)
            continue
        prefix = token.endswith("*") and not token.startswith('"')
        words = re.findall(r"\w+", token)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        parts.append(phrase + ("*" if prefix else ""))
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return " ".join(parts)

"""Connection, transactions and migrations for the SQLite backend.

The store is the one place that speaks SQL. Stages call its methods (grouped by concern in
sibling modules: documents, annotations, entities, checks) and never write SQL themselves,
so that a PostgreSQL backend can implement the same methods without touching them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import quote

from casegraph.errors import (
    DatabaseCorrupt,
    DatabaseReadOnly,
    InvalidInput,
    NotADatabase,
    StorageFull,
    StoreError,
)

R = TypeVar("R")


def _migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("casegraph.store").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class StoreBase:
    """An open SQLite database: WAL journal, one writer transaction at a time."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        # A file that is not a database, or a truncated one, is refused before SQLite opens it;
        # a damaged one is found by a quick check before the first write (`_verify`).
        existing = inspect_file(self.path)
        self.read_only = existing and not _writable(self.path)
        self._verified = not existing
        try:
            if self.path != ":memory:" and not existing:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = _connect(self.path, self.read_only)
        except (sqlite3.Error, OSError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise StoreError(
                f"cannot open the case database {self.path} ({why}): check the path given to --db"
                " and that its folder exists and can be written"
            ) from exc
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self._tables()
        try:
            for pragma in (
                "journal_mode=WAL",  # readers never block the writer; a killed writer loses only its open transaction
                "synchronous=NORMAL",  # durable at checkpoints; WAL keeps the file valid after kill -9
                "foreign_keys=ON",
                "busy_timeout=60000",
            ):
                if pragma.startswith("journal_mode"):
                    if self.read_only or self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                        continue
                    self._verify()  # switching the journal writes to the file: check it first
                self.conn.execute(f"PRAGMA {pragma}")
        except StoreError:
            self.conn.close()
            raise
        except sqlite3.Error as exc:
            self.conn.close()
            raise storage_error(exc, self.path) or StoreError(f"cannot open {self.path}: {exc}") from exc
        self._migrate()

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all. Nested blocks are savepoints:
        an inner block that fails is rolled back alone, and the outer one decides."""
        with self._lock:
            depth = self._depth
            if depth == 0:
                self._verify()
            try:
                self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
            except sqlite3.Error as exc:
                raise_fault(exc, self.path)
                raise
            self._depth += 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth -= 1
                try:
                    if depth == 0:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO sp{depth}")
                        self.conn.execute(f"RELEASE sp{depth}")
                except sqlite3.Error:
                    pass  # SQLite already rolled back (a full disk or I/O error does that)
                if isinstance(exc, sqlite3.Error):
                    translated = storage_error(exc, self.path)
                    if translated is not None:
                        raise translated from exc
                raise
            self._depth -= 1
            try:
                self.conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
            except sqlite3.Error as exc:
                if depth == 0 and self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise_fault(exc, self.path)
                raise

    def _verify(self) -> None:
        """Before the first write: refuse a read-only case, and check that the file is sound
        (PRAGMA quick_check, about 0.5 s per 100 MB), so that a damaged case is never written to."""
        if self.read_only:
            raise DatabaseReadOnly(
                f"the case database {self.path} is read-only (the file or its folder cannot be"
                " written): commands that only read it work; to change it, make it writable or"
                " copy it to a writable place and give that to --db"
            )
        if self._verified:
            return
        try:
            problems = [row[0] for row in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.Error as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise DatabaseCorrupt(
                f"the case database {self.path} is damaged ({' '.join('; '.join(problems).split())[:200]}): nothing was"
                f" written to it. Run `casegraph --db {self.path} doctor`, and restore it from a backup"
            )
        self._verified = True

    @contextmanager
    def time_limit(self, seconds: float, what: str = "the query") -> Iterator[None]:
        """Interrupt the SQL run inside the block once it has taken `seconds`: raises
        InvalidInput saying so (a query too broad to answer in reasonable time)."""
        deadline = time.monotonic() + seconds
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            raise InvalidInput(
                f"{what} was stopped after {seconds:g} s: make it narrower (fewer, rarer words)"
            ) from exc
        finally:
            self.conn.set_progress_handler(None, 0)

    def close(self) -> None:
        self.conn.close()

    # -- small query helpers ----------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            return [dict(row) for row in self.conn.execute(sql, params)]
        except sqlite3.DatabaseError as exc:
            raise_fault(exc, self.path)
            raise

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise_fault(exc, self.path)
            raise
        return dict(row) if row is not None else None

    def records(self, shape: type[R], sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[R]:
        """Rows typed as one of the record shapes of `casegraph.models`. The SQL names its
        columns after the shape's keys; the contract tests check that every backend does."""
        del shape  # the shape is for the type checker: a TypedDict is a dict at run time
        return cast(list[R], self.query(sql, params))

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        try:
            row = self.conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise_fault(exc, self.path)
            raise
        return row[0] if row is not None else None

    def counts(self) -> dict[str, int]:
        """Rows per main table: what the database holds."""
        tables = ["documents", "mentions", "quotes", "claims", "relations", "rhetoric", "entities"]
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in tables}

    # -- migrations -------------------------------------------------------------------

    def _tables(self) -> set[str]:
        """The tables of the database; refuses (before anything is written, even the journal
        mode) a SQLite database of another program."""
        try:
            tables = {
                row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.Error as exc:
            self.conn.close()
            raise storage_error(exc, self.path) or StoreError(f"cannot read {self.path}: {exc}") from exc
        if tables and "schema_migrations" not in tables:
            self.conn.close()
            raise NotADatabase(
                f"{self.path} is a SQLite database of another program, not a casegraph case:"
                " casegraph will not write into it; give another file name to --db"
            )
        return tables

    def _migrate(self) -> None:
        tables = self._tables()
        if self.read_only and "schema_migrations" in tables:
            done = {row[0] for row in self.conn.execute("SELECT number FROM schema_migrations")}
            if all(number in done for number, _, _ in _migrations()):
                return  # nothing to upgrade: a read-only case is read as it is
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
            )
            done = {row[0] for row in self.conn.execute("SELECT number FROM schema_migrations")}
            for number, name, sql in _migrations():
                if number in done:
                    continue
                # executescript commits implicitly, so run the statements inside one explicit
                # transaction: a migration is applied whole or not at all.
                with self.transaction():
                    for statement in _split_sql(sql):
                        self.conn.execute(statement)
                    self.conn.execute(
                        "INSERT INTO schema_migrations(number, name) VALUES (?, ?)", (number, name)
                    )
        except sqlite3.DatabaseError as exc:
            raise storage_error(exc, self.path) or StoreError(
                f"cannot prepare database {self.path}: {exc}"
            ) from exc


# -- storage faults: open safely, say what went wrong and what to do ----------------------------

SQLITE_HEADER = b"SQLite format 3\x00"


def inspect_file(path: str) -> bool:
    """Whether `path` is an existing, non-empty database file. Raises NotADatabase for a
    folder, a file of another kind, or a database cut short (fewer bytes than its header
    declares, with no write-ahead log that could hold the rest)."""
    if path == ":memory:" or path.startswith("file:"):
        return False
    if os.path.isdir(path):
        raise NotADatabase(f"{path} is a folder: give --db the name of a case file (e.g. case.db)")
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot read the case database {path} ({exc.strerror})") from exc
    if size == 0:
        return False
    if not head.startswith(SQLITE_HEADER[: len(head)]) or len(head) < 100:
        what = "a database cut short" if head.startswith(SQLITE_HEADER[: len(head)]) else "not a SQLite file"
        raise NotADatabase(
            f"{path} is not a casegraph case database ({what}): give --db the right file, or a new"
            " file name to start a case; if it was a case, restore it from a backup"
        )
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]
    wal = path + "-wal"
    if header_valid and size < pages * page_size and not (os.path.exists(wal) and os.path.getsize(wal)):
        raise DatabaseCorrupt(
            f"the case database {path} is truncated ({size} bytes, its header says {pages * page_size}):"
            f" nothing was written to it. Run `casegraph --db {path} doctor`, and restore it from a backup"
        )
    return True


def _writable(path: str) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    if not read_only:
        return sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    uri = "file:" + quote(os.path.abspath(path))
    try:
        conn = sqlite3.connect(
            uri + "?mode=ro", uri=True, timeout=60, isolation_level=None, check_same_thread=False
        )
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # a read-only folder without the WAL's shared-memory file: read the file as it is
        return sqlite3.connect(
            uri + "?immutable=1", uri=True, timeout=60, isolation_level=None, check_same_thread=False
        )


def storage_error(exc: sqlite3.Error, path: str) -> StoreError | None:
    """The storage fault behind a SQLite error, as one line saying what to do; None when the
    error is not a storage fault (a bug: let it show)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    message = str(exc)
    if code == sqlite3.SQLITE_FULL:
        return StorageFull(
            f"the disk is full while writing {path} ({message}): free some space and run the command"
            " again; everything committed before is kept"
        )
    if code == sqlite3.SQLITE_IOERR:
        return StorageFull(
            f"cannot write or read {path} ({message}): the disk may be full, the file too large for"
            " its file system, or the disk failing; free space and run the command again (everything"
            " committed before is kept), then `casegraph doctor`"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return DatabaseReadOnly(
            f"the case database {path} is read-only ({message}): commands that only read it work; to"
            " change it, make the file and its folder writable or copy it to a writable place"
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "Could not decode to UTF-8" in message:
        message = message.split(" with text ")[0]  # not the damaged text itself
        return DatabaseCorrupt(
            f"the case database {path} is damaged ({message}): run `casegraph --db {path} doctor`,"
            " and restore it from a backup"
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"the case database {path} is busy ({message}): another casegraph command is writing"
            " to it; run this one again when it has finished"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return StoreError(f"cannot open the case database {path} ({message}): check the path and permissions")
    return None


def raise_fault(exc: sqlite3.Error, path: str) -> None:
    """Raise the storage fault behind `exc` (see storage_error), if it is one."""
    fault = storage_error(exc, path)
    if fault is not None:
        raise fault from exc


@dataclass
class Health:
    """What `casegraph doctor` found: sound or not, and each problem with what to do."""

    path: str
    sound: bool
    read_only: bool = False
    size_bytes: int = 0
    schema_version: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def diagnose(path: str) -> Health:
    """Check a case database without changing it (read-only connection, no migrations):
    header, PRAGMA integrity_check, foreign keys, the full-text index, schema version."""
    started = time.monotonic()
    health = Health(path=path, sound=False)
    if not os.path.exists(path):
        health.problems.append(f"there is no case database at {path}: check --db or $CASEGRAPH_DB")
        return health
    health.size_bytes = os.path.getsize(path) if os.path.isfile(path) else 0
    health.read_only = not _writable(path)
    try:
        inspect_file(path)
        conn = _connect(path, read_only=True)
    except (StoreError, sqlite3.Error, OSError) as exc:
        health.problems += [str(exc), "restore the case from a backup"]
        return health
    try:
        checks = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if checks != ["ok"]:
            health.problems += [f"integrity: {c}" for c in checks]
        bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_keys:
            health.problems.append(f"{len(bad_keys)} rows point to rows that do not exist (foreign keys)")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_migrations" not in tables:
            health.problems.append("not a casegraph case (no schema_migrations table)")
        else:
            health.schema_version = int(
                conn.execute("SELECT max(number) FROM schema_migrations").fetchone()[0] or 0
            )
            for table in ("documents", "mentions", "quotes", "claims", "relations", "entities", "files"):
                if table in tables:
                    health.counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        if "documents_fts" in tables and not health.read_only and not health.problems:
            # FTS5's integrity-check compares the index with the documents and changes nothing,
            # but it is spelled as an INSERT, so it needs a connection that may write
            rw = sqlite3.connect(path, timeout=60, isolation_level=None)
            try:
                rw.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.Error as exc:
                health.problems.append(f"the full-text index does not match the documents ({exc})")
            finally:
                rw.close()
    except sqlite3.Error as exc:
        health.problems.append(f"cannot read it: {exc}")
    finally:
        conn.close()
    if health.problems:
        health.problems.append(
            "restore the case from a backup, or copy what can be read with `sqlite3 .recover`"
        )
    health.sound = not health.problems
    health.seconds = round(time.monotonic() - started, 3)
    return health


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not current.strip():
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def loads(value: str | None, default: Any = None) -> Any:
    return json.loads(value) if value else default

"""Connection, transactions and migrations for the SQLite backend.

The store is the one place that speaks SQL. Stages call its methods (grouped by concern in
sibling modules: documents, annotations, entities, checks) and never write SQL themselves,
so that a PostgreSQL backend can implement the same methods without touching them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from casegraph.errors import StoreError


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
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        for pragma in (
            "journal_mode=WAL",  # readers never block the writer; a killed writer loses only its open transaction
            "synchronous=NORMAL",  # durable at checkpoints; WAL keeps the file valid after kill -9
            "foreign_keys=ON",
            "busy_timeout=60000",
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self._migrate()

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all. Nested blocks are savepoints:
        an inner block that fails is rolled back alone, and the outer one decides."""
        with self._lock:
            depth = self._depth
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self._depth -= 1
                if depth == 0:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO sp{depth}")
                    self.conn.execute(f"RELEASE sp{depth}")
                raise
            self._depth -= 1
            self.conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")

    def close(self) -> None:
        self.conn.close()

    # -- small query helpers ----------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, params)]

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def counts(self) -> dict[str, int]:
        """Rows per main table: what the database holds."""
        tables = ["documents", "mentions", "quotes", "claims", "relations", "rhetoric", "entities"]
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in tables}

    # -- migrations -------------------------------------------------------------------

    def _migrate(self) -> None:
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
            raise StoreError(f"cannot prepare database {self.path}: {exc}") from exc


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

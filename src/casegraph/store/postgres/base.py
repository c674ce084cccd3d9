"""Connection, transactions, migrations and locks of the PostgreSQL backend (psycopg 3).

The backend reuses the store's methods (`casegraph.store.documents`, `annotations`, ...):
they call `self.conn.execute` / `self.query` with SQLite's SQL, and `PgConnection` here
runs it through `casegraph.store.postgres.dialect.translate`. Rows answer by index and by
column name, as `sqlite3.Row` does. Transactions nest as savepoints; every statement
outside a transaction commits on its own (autocommit), as on SQLite.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader

from casegraph.errors import DatabaseReadOnly, InvalidInput, StorageFull, StoreError
from casegraph.store.base import StoreBase
from casegraph.store.postgres.dialect import Statement, translate

R = TypeVar("R")

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of the PostgreSQL migrations, in order. Their numbers are those
    of the SQLite migrations (`casegraph.store.migrations`): the same schema, step by step."""
    found = []
    for entry in resources.files("casegraph.store.postgres").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def lock_key(name: str) -> int:
    """A 63-bit advisory-lock key for a name (stable across processes and machines)."""
    return (
        zlib.crc32(b"casegraph:" + name.encode()) | (zlib.adler32(name.encode()) << 32) & 0x7FFFFFFFFFFFFFFF
    )


class Row(tuple[Any, ...]):
    """A result row that answers by index and by column name (like sqlite3.Row)."""

    _names: dict[str, int]

    def __new__(cls, names: dict[str, int], values: Sequence[Any]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # by index or by name
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = {col.name: i for i, col in enumerate(cursor.description or ())}
    return lambda values: Row(names, values)


class _TextLoader(Loader):
    """json values as their text, as SQLite returns them (the store's methods parse them)."""

    def load(self, data: Any) -> str:
        return bytes(data).decode("utf-8")


class _NumberLoader(Loader):
    """numeric (sums of integers) as int when whole, else float: what SQLite returns."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode("ascii")
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


class PgCursor:
    """What the store's methods use of a sqlite3 cursor: rows, rowcount, lastrowid."""

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None = None):
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """What the store's methods use of a sqlite3 connection, over a psycopg one: execute and
    executemany with SQLite's SQL (translated), and whether a transaction is open."""

    def __init__(self, conn: psycopg.Connection[Any], where: str):
        self.raw = conn
        self.where = where

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> PgCursor:
        statement = translate(sql)
        with fault(self.where):
            cursor = self.raw.cursor()
            cursor.execute(cast(Any, statement.sql), _params(statement, params), prepare=False)
            if statement.returns_id:
                row = cursor.fetchone()
                return PgCursor(cursor, int(row[0]) if row else None)
            return PgCursor(cursor)

    def executemany(self, sql: str, rows: Any) -> PgCursor:
        statement = translate(sql, with_returning=False)
        batch = [_params(statement, row) for row in rows]
        with fault(self.where):
            cursor = self.raw.cursor()
            if batch:
                cursor.executemany(cast(Any, statement.sql), batch)
            return PgCursor(cursor)

    def close(self) -> None:
        self.raw.close()


def _params(statement: Statement, params: Any) -> Any:
    if params is None:
        return None
    if not isinstance(params, dict):
        params = [_clean(v) for v in params]
    return statement.params(params)


def _clean(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL characters (SQLite's can): they are dropped
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    if isinstance(value, memoryview):
        return bytes(value)
    return value


@contextmanager
def fault(where: str) -> Iterator[None]:
    """A lost or refused connection, a full disk or a read-only server as one line saying
    what to do (StoreError, which stops a run with what is committed kept); other database
    errors (a bug, a constraint) pass through as they are."""
    try:
        yield
    except (pg_errors.DiskFull, pg_errors.OutOfMemory) as exc:
        raise StorageFull(
            f"the database server {where} is out of space ({exc}): free some and run the command"
            " again; everything committed before is kept"
        ) from exc
    except (pg_errors.ReadOnlySqlTransaction, pg_errors.InsufficientPrivilege) as exc:
        raise DatabaseReadOnly(f"the case database {where} cannot be written ({exc})") from exc
    except psycopg.OperationalError as exc:
        if isinstance(exc, pg_errors.QueryCanceled | pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
            raise
        raise StoreError(
            f"lost the connection to the case database {where} ({str(exc).strip()[:200]}): check that"
            " the server is up; everything committed before is kept, run the command again"
        ) from exc


class PgBase(StoreBase):
    """An open PostgreSQL case: one connection, autocommit outside `transaction()`.

    It takes the place of the SQLite base under the store's methods (their SQL is
    translated), so its connection and transactions are typed as PostgreSQL's where the
    SQLite base has sqlite3's: the two `type: ignore` below say so, nothing else differs."""

    conn: PgConnection  # type: ignore[assignment]  # stands in for sqlite3.Connection (same calls)

    def __init__(self, url: str):  # StoreBase.__init__ is not called: no file to open
        self.url = url
        self.path = redact(url)  # what messages and the stages show as the case's name
        self.read_only = False
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the case database {self.path} ({str(exc).strip()[:300]}):"
                " check the URL given to --db and that the server is up"
            ) from exc
        for name in ("json", "jsonb"):
            raw.adapters.register_loader(name, _TextLoader)
        raw.adapters.register_loader("numeric", _NumberLoader)
        self.conn = PgConnection(raw, self.path)
        self._lock = threading.RLock()
        self._migrate()

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[PgConnection]:  # type: ignore[override]  # see the class
        """All writes inside commit together or not at all. Nested blocks are savepoints:
        an inner block that fails is rolled back alone, and the outer one decides."""
        with self._lock, fault(self.path), self.conn.raw.transaction():
            yield self.conn

    @contextmanager
    def exclusive(self, name: str, wait: bool = True) -> Iterator[bool]:
        """Hold the case-wide advisory lock `name` (a corpus-wide pass: resolve, the graph,
        the near-duplicate pass) for the block: one process in the whole cluster at a time.
        With wait=False, yields False at once when another process holds it."""
        key = lock_key(name)
        with fault(self.path):
            if wait:
                self.conn.raw.execute("SELECT pg_advisory_lock(%s)", (key,))
                got = True
            else:
                got = bool(self.conn.raw.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0])  # type: ignore[index]
        try:
            yield got
        finally:
            if got:
                with fault(self.path):
                    self.conn.raw.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def lock_in_transaction(self, name: str) -> None:
        """Inside a transaction: wait for, and hold until it ends, the lock of `name` (one
        document, one file), so that two processes never write the same unit at once."""
        self.conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(name),))

    @contextmanager
    def time_limit(self, seconds: float, what: str = "the query") -> Iterator[None]:
        """Cancel the SQL run inside the block once it has taken `seconds`: raises
        InvalidInput saying so (a query too broad to answer in reasonable time)."""
        self.conn.raw.execute(f"SET statement_timeout = {max(1, int(seconds * 1000))}")
        try:
            yield
        except pg_errors.QueryCanceled as exc:
            raise InvalidInput(
                f"{what} was stopped after {seconds:g} s: make it narrower (fewer, rarer words)"
            ) from exc
        finally:
            try:
                self.conn.raw.execute("SET statement_timeout = 0")
            except psycopg.Error:
                pass  # inside a transaction the timeout aborted: its rollback resets the setting

    def close(self) -> None:
        self.conn.close()

    # -- small query helpers ----------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return [dict(zip(row.keys(), row, strict=True)) for row in self.conn.execute(sql, params)]

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(zip(row.keys(), row, strict=True)) if row is not None else None

    def records(self, shape: type[R], sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[R]:
        del shape  # for the type checker: a TypedDict is a dict at run time
        return cast(list[R], self.query(sql, params))

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def counts(self) -> dict[str, int]:
        """Rows per main table: what the database holds."""
        tables = ["documents", "mentions", "quotes", "claims", "relations", "rhetoric", "entities"]
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in tables}

    # -- migrations -------------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply the migrations not yet applied, each whole or not at all, under an advisory
        lock: many workers opening a new case at once migrate it once."""
        raw = self.conn.raw
        with self.exclusive("migrate"), fault(self.path):
            raw.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT"
                " to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
            )
            done = {row[0] for row in raw.execute("SELECT number FROM schema_migrations")}
            for number, name, sql in migrations():
                if number in done:
                    continue
                with raw.transaction():
                    raw.execute(cast(Any, sql), prepare=False)
                    raw.execute("INSERT INTO schema_migrations(number, name) VALUES (%s, %s)", (number, name))


def wait_for(url: str, seconds: float = 30.0) -> None:
    """Wait until the server at `url` accepts connections (a cluster just started)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

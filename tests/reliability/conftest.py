"""A small real case (two seed articles, eight estate documents), built once per session and
copied for each test; the CLI run as users run it (a separate process); and the check that a
case database is intact after whatever a test did to it. The case is a SQLite file, or a
PostgreSQL database with CASEGRAPH_TEST_DB=postgresql (tests about the SQLite file itself
are marked sqlite_only)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ESTATE, SEEDS, copy_case, new_case_db

ARTICLE = "000_91a462219fb05cc3.txt"  # the Kazakh seed: Nazarbayev, Aliyev, Epstein
SOURCES = 8
SEARCH = "Nazarbayev"
COUNTED = ("documents", "mentions", "quotes", "claims", "entities", "files")


def estate_sample(n: int = SOURCES) -> list[Path]:
    """The first `n` estate texts of 3-20 KB, in name order."""
    folder = ESTATE / "Merged Documents"
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and 3_000 < p.stat().st_size < 20_000)
    return files[:n]


def cli(
    db: Path | str | None,
    *args: str | bytes | os.PathLike[str],
    cwd: Path | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
    wrap: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `casegraph [--db DB] ARGS...` in a new process, as a user would (`wrap`: a command
    to run it under, e.g. setpriv)."""
    argv: list[Any] = [*wrap, sys.executable, "-c", "from casegraph.cli import run; run()"]
    if db is not None:
        argv += ["--db", str(db)]
    argv += list(args)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    env.pop("CASEGRAPH_DB", None)
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=timeout,
        preexec_fn=preexec,
        env=env,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stdout, result.stdout[-2000:]


@dataclass
class State:
    """What a case held: its counts and what a search found."""

    counts: dict[str, int]
    found: set[str]
    documents: set[str]


def is_postgres(db: Path | str) -> bool:
    return isinstance(db, str) and db.startswith("postgresql://")


def read(db: Path | str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one query (SQLite's SQL), read without writing: the SQLite file opened
    read-only, or the PostgreSQL database through the store's connection."""
    if is_postgres(db):
        from casegraph.store.postgres import PostgresStore

        store = PostgresStore(str(db))
        try:
            return [tuple(row) for row in store.conn.execute(sql, params).fetchall()]
        finally:
            store.close()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def state(db: Path | str) -> State:
    if is_postgres(db):
        from casegraph.store.postgres import PostgresStore

        store = PostgresStore(str(db))
        try:
            return State(
                {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in COUNTED},
                {hit["doc_id"] for hit in store.search(SEARCH, limit=100_000)},
                {r["id"] for r in store.query("SELECT id FROM documents")},
            )
        finally:
            store.close()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
        found = {
            r[0]
            for r in con.execute(
                "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
                " WHERE documents_fts MATCH ?",
                (SEARCH,),
            )
        }
        documents = {r[0] for r in con.execute("SELECT id FROM documents")}
    finally:
        con.close()
    return State(counts, found, documents)


def assert_intact(db: Path | str, before: State, same: bool = True) -> None:
    """The case database passes PRAGMA integrity_check (SQLite), still holds every earlier
    document, and the search that found documents before finds them again (through the CLI too)."""
    if not is_postgres(db):
        assert read(db, "PRAGMA integrity_check")[0][0] == "ok"
    after = state(db)
    assert before.documents <= after.documents
    assert before.found and before.found <= after.found
    if same:
        assert after.counts == before.counts
    result = cli(db, "search", SEARCH, "--json", "--limit", "100")
    assert result.returncode == 0, result.stderr
    import json

    assert before.found <= {hit["doc_id"] for hit in json.loads(result.stdout)}


@pytest.fixture(scope="session")
def built_case(tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A case with the seed articles and eight estate sources, analyzed and resolved."""
    from casegraph.api import Case

    root = tmp_path_factory.mktemp("reliability-case")
    articles, sources = root / "articles", root / "sources"
    articles.mkdir()
    sources.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, articles / seed.name)
    for src in estate_sample():
        shutil.copy(src, sources / src.name)
    db = new_case_db(root)
    with Case(db) as case:
        case.ingest([sources], kind="source", progress=False)
        case.ingest([articles], kind="article", progress=False)
        case.analyze(progress=False, index=False)  # no sentence embeddings: check builds its own
    return db


@pytest.fixture
def case_db(built_case: Path | str, tmp_path: Path) -> Path | str:
    """A copy of the analyzed case in the test's own folder (PostgreSQL: a new database)."""
    if is_postgres(built_case):
        return copy_case(built_case, tmp_path / "case.db")
    db = tmp_path / "case.db"
    con = sqlite3.connect(built_case)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM INTO ?", (str(db),))
    finally:
        con.close()
    return db


def article_id(db: Path | str) -> str:
    rows = read(db, "SELECT id FROM documents WHERE path LIKE ?", (f"%{ARTICLE}",))
    assert rows
    return str(rows[0][0])


def write_files(folder: Path, files: Sequence[tuple[str | bytes, bytes]]) -> Path:
    """Write files whose names may be bytes that are not UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        raw = name if isinstance(name, bytes) else name.encode()
        with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
            fh.write(data)
    return folder

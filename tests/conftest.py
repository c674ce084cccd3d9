"""Shared fixtures: the real corpus and evaluation data beside the checkout, and fresh
databases in temporary folders. Nothing here is mocked."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
SEEDS = CORPUS / "seeds"
ESTATE = CORPUS / "epstein-estate"
SEED_KAZAKH = SEEDS / "000_91a462219fb05cc3.txt"  # Nazarbayev, Aliyev, diplomats, lobbyist
SEED_BIDEN = SEEDS / "002_bc91926ff72eec43.txt"  # speculation about Hunter Biden, Rakishev, Massimov


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the corpus is missing: expected {CORPUS} (set CASEGRAPH_SHARED)")
    return CORPUS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.fail(f"the evaluation data is missing: expected {EVAL} (set CASEGRAPH_SHARED)")
    return EVAL


# The backend the backend-generic tests run on: "sqlite" (the default) or "postgresql" (a
# throwaway server started once per session; `make test` runs the suite on both).
BACKEND = os.environ.get("CASEGRAPH_TEST_DB", "sqlite")
if BACKEND not in ("sqlite", "postgresql"):
    raise ValueError(f"CASEGRAPH_TEST_DB={BACKEND!r}: expected sqlite or postgresql")


def on_postgres() -> bool:
    return BACKEND == "postgresql"


def _postgres_database(template: str | None = None) -> str:
    from casegraph.store.postgres.cluster import bin_dir, shared_database

    if bin_dir() is None:
        pytest.fail("CASEGRAPH_TEST_DB=postgresql but PostgreSQL (initdb, pg_ctl) is not installed")
    return shared_database(template=template)


def new_case_db(folder: Path, name: str = "case.db") -> Path | str:
    """Where a new case lives on the backend under test: the SQLite file `name` in `folder`,
    or the URL of a fresh database on the session's throwaway PostgreSQL server. Both are
    what `Case(...)` and `casegraph --db` take."""
    if on_postgres():
        return _postgres_database()
    return folder / name


def copy_case(source: Path | str, target: Path) -> Path | str:
    """A private copy of a built case: a consistent SQLite copy at `target` (the backup API:
    includes what is still in the WAL), or a PostgreSQL database made from `source` as a
    template (nobody may be connected to `source` meanwhile: keep built cases closed)."""
    if isinstance(source, str) and source.startswith("postgresql://"):
        return _postgres_database(template=_ORIGINALS.get(source, source))
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:  # closed now (a `with` block would leave them open until collected)
        src.close()
        dst.close()
    return target


# PostgreSQL copies handed out by `for_reading`, and the built case each copies
_ORIGINALS: dict[str, str] = {}


def for_reading(built: Path | str) -> Path | str:
    """The case to open for tests that only read a shared built case. SQLite: the file
    itself. PostgreSQL: a copy, so that the built case stays free of connections and
    `copy_case` can still copy it (copying the copy copies the built case)."""
    if isinstance(built, str) and built.startswith("postgresql://"):
        copy = _postgres_database(template=built)
        _ORIGINALS[copy] = built
        return copy
    return built


# Tests that the PostgreSQL pass leaves out: those about the SQLite file itself, and those
# that open both backends themselves (they ran in the SQLite pass already).
ONE_PASS_MARKERS = ("sqlite_only", "both_backends")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): about the SQLite file itself; not run with CASEGRAPH_TEST_DB=postgresql",
    )
    config.addinivalue_line(
        "markers",
        "both_backends: opens a SQLite and a PostgreSQL case itself; run once, in the SQLite pass",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With CASEGRAPH_TEST_DB=postgresql, the tests marked sqlite_only or both_backends are
    deselected (the summary counts them as such)."""
    if not on_postgres():
        return
    left_out = [i for i in items if any(i.get_closest_marker(m) for m in ONE_PASS_MARKERS)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        dropped = {id(i) for i in left_out}
        items[:] = [i for i in items if id(i) not in dropped]


def pytest_report_header(config: pytest.Config) -> str:
    return f"casegraph store backend: {BACKEND} (CASEGRAPH_TEST_DB)"


def postgres_store(folder: Path):
    """A PostgreSQL case in a fresh database of a throwaway server (initdb/pg_ctl in a
    temporary folder, started once per session); skipped where PostgreSQL is not installed."""
    from casegraph.store.postgres import PostgresStore
    from casegraph.store.postgres.cluster import bin_dir, shared_database

    del folder  # the server keeps its own folder
    if bin_dir() is None:
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    return PostgresStore(shared_database())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from casegraph.store.postgres.cluster import stop_shared

    stop_shared()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "case.db"


@pytest.fixture
def case(db_path: Path):
    """A fresh case: SQLite in a temporary folder, or with CASEGRAPH_TEST_DB=postgresql a fresh
    database on the throwaway PostgreSQL server (the same tests on the second backend)."""
    from casegraph.api import Case

    with Case(new_case_db(db_path.parent, db_path.name)) as c:
        yield c


@pytest.fixture
def case_db(tmp_path: Path) -> Path | str:
    """Where a fresh, empty case lives on the backend under test (see `new_case_db`)."""
    return new_case_db(tmp_path)

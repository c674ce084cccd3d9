"""Shared fixtures: the real corpus and evaluation data beside the checkout, and fresh
databases in temporary folders. Nothing here is mocked."""

from __future__ import annotations

import os
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

    if os.environ.get("CASEGRAPH_TEST_DB") == "postgresql":
        with Case(store=postgres_store(db_path.parent)) as c:
            yield c
        return
    with Case(db_path) as c:
        yield c

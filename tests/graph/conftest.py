"""Fixtures of the graph tests: the two seed articles ingested and analyzed once (real spaCy
pipeline, real SQLite), and a private copy of that database for each test that changes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, corpus) -> Path:
    from casegraph.api import Case

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Case(path) as case:
        case.ingest([SEEDS], kind="article")
        case.analyze()  # resolves at the end
        case.resolve()  # explicitly too, in case analysis was asked not to
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy (SQLite backup API: includes what is still in the WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def seeds_case(seeds_db, tmp_path):
    from casegraph.api import Case

    with Case(copy_db(seeds_db, tmp_path / "case.db")) as case:
        yield case


@pytest.fixture(scope="module")
def seeds_readonly(seeds_db):
    """The shared analyzed seeds, for tests that only read."""
    from casegraph.api import Case

    with Case(seeds_db) as case:
        yield case

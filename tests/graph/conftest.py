"""Fixtures of the graph tests: the two seed articles ingested and analyzed once (real spaCy
pipeline, real SQLite or PostgreSQL: CASEGRAPH_TEST_DB), and a private copy of that case for
each test that changes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS, copy_case, for_reading, new_case_db


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, corpus) -> Path | str:
    from casegraph.api import Case

    path = new_case_db(tmp_path_factory.mktemp("seeds"), "seeds.db")
    with Case(path) as case:
        case.ingest([SEEDS], kind="article")
        case.analyze()  # resolves at the end
        case.resolve()  # explicitly too, in case analysis was asked not to
    return for_reading(path)


def copy_db(source: Path | str, target: Path) -> Path | str:
    """A private copy of a case (see tests.conftest.copy_case)."""
    return copy_case(source, target)


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

"""A case database with the two seed articles ingested and analyzed once per test module."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import ESTATE, SEED_BIDEN, SEED_KAZAKH, SEEDS, new_case_db


def ingest_or_add(case, paths: list[Path], kind: str) -> None:
    """Ingest through the ingest stage; documents are built directly only if it is missing."""
    try:
        import casegraph.ingest.pipeline  # noqa: F401
    except ImportError:
        from casegraph.models import Document

        for p in paths:
            text = p.read_text(encoding="utf-8")
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            case.store.add_document(
                Document(id=digest[:16], sha256=digest, kind=kind, path=str(p), text=text)
            )
        return
    case.ingest([str(p) for p in paths], kind=kind, progress=False)


@pytest.fixture(scope="module")
def seeds_case(tmp_path_factory, corpus):
    from casegraph.api import Case

    case = Case(new_case_db(tmp_path_factory.mktemp("seeds")))
    ingest_or_add(case, sorted(SEEDS.glob("*.txt")), "article")
    summary = case.analyze(progress=False, resolve=False)
    assert summary["documents"] == 2 and not summary["failed"]
    yield case
    case.close()


def doc_id_of(case, path: Path) -> str:
    for d in case.docs():
        if Path(d["path"]).name == path.name:
            return d["id"]
    raise AssertionError(f"{path.name} was not ingested")


@pytest.fixture(scope="module")
def kazakh_id(seeds_case) -> str:
    return doc_id_of(seeds_case, SEED_KAZAKH)


@pytest.fixture(scope="module")
def biden_id(seeds_case) -> str:
    return doc_id_of(seeds_case, SEED_BIDEN)


__all__ = ["ESTATE", "ingest_or_add"]

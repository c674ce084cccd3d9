"""The document store on a real database (a SQLite file, or PostgreSQL with
CASEGRAPH_TEST_DB=postgresql): migrations, duplicates, lookups, FTS queries."""

from __future__ import annotations

import sqlite3

import pytest

from casegraph.models import Document, Segment
from casegraph.store import fts_query, open_store
from tests.conftest import on_postgres


def _doc(n: int, text: str, **kw) -> Document:
    sha = f"{n:016x}" * 4
    return Document(
        id=sha[:16], sha256=sha, kind=kw.pop("kind", "source"), path=f"/in/{n}.txt", text=text, **kw
    )


@pytest.fixture
def store(case_db):
    s = open_store(case_db)
    yield s
    s.close()


def test_migrations_are_applied_once(store, case_db):
    numbers = [r["number"] for r in store.query("SELECT number FROM schema_migrations ORDER BY number")]
    assert 1 in numbers and 100 in numbers
    store.close()
    again = open_store(case_db)
    assert [
        r["number"] for r in again.query("SELECT number FROM schema_migrations ORDER BY number")
    ] == numbers
    again.close()


def test_same_hash_is_one_document_with_both_paths(store):
    doc = _doc(1, "Rakhat Aliyev fled to Vienna.", segments=[Segment("sentence", 0, 29)])
    assert store.add_document(doc) is True
    copy = _doc(1, "Rakhat Aliyev fled to Vienna.")
    copy.path = "/elsewhere/copy.txt"
    assert store.add_document(copy) is False
    assert store.count_documents() == 1
    assert store.document_paths(doc.id) == ["/elsewhere/copy.txt", "/in/1.txt"]
    assert store.segments(doc.id)[0]["end"] == 29


def test_find_by_id_prefix_bates_and_path(store):
    store.add_document(_doc(7, "text", meta={"bates_begin": "HOUSE_OVERSIGHT_010477"}))
    doc_id = f"{7:016x}"
    assert store.find_document("HOUSE_OVERSIGHT_010477")["id"] == doc_id
    assert store.find_document(doc_id[:8])["id"] == doc_id
    assert store.find_document("/in/7.txt")["id"] == doc_id
    assert store.find_document("HOUSE_OVERSIGHT_999999") is None


def test_load_rows_merge_instead_of_replacing(store):
    store.save_load_rows([{"bates_begin": "B1", "custodian": "Epstein, Jeffrey"}], "report.csv")
    merged = store.save_load_rows([{"bates_begin": "B1", "processed": "true"}], "index.csv")
    assert merged == [{"bates_begin": "B1", "custodian": "Epstein, Jeffrey", "processed": "true"}]
    assert store.load_row("B1")["custodian"] == "Epstein, Jeffrey"


@pytest.mark.parametrize("typed", ['"unbalanced', "AND OR NOT", "a:b (c) ^d", "*", "NEAR(", "x OR"])
def test_fts_query_never_breaks_on_user_input(store, typed):
    store.add_document(_doc(2, "a b c d x"))
    store.search(typed)  # no sqlite3.OperationalError


def test_fts_query_shapes():
    assert fts_query('Nobel "Peace Prize" OR Obama') == '"Nobel" "Peace Prize" OR "Obama"'
    assert fts_query("Nazarb*") == '"Nazarb"*'
    assert fts_query("AND") == ""


def test_search_filters_and_title_weight(store):
    store.add_document(
        _doc(
            3,
            "A memo about the wire transfer.",
            title="Southern Trust",
            date="2016-12-09",
            custodian="Epstein, Jeffrey",
        )
    )
    store.add_document(
        _doc(4, "Southern Trust is mentioned once in the body.", kind="article", date="2019-01-02")
    )
    hits = store.search("Southern Trust")
    assert [h["doc_id"] for h in hits] == [f"{3:016x}", f"{4:016x}"]
    assert [h["doc_id"] for h in store.search("Southern", kind="article")] == [f"{4:016x}"]
    assert len(store.search("Southern", date_from="2017")) == 1
    assert len(store.search("Southern", date_to="2016")) == 1
    assert len(store.search("Southern", custodian="epstein")) == 1
    assert "[Southern]" in hits[1]["snippet"]


def test_database_stays_valid_after_a_failed_transaction(store, case_db):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_document(_doc(5, "never committed"))
        raise RuntimeError("crash inside the transaction")
    assert store.count_documents() == 0
    if on_postgres():
        return  # the server checks its own pages; below, the SQLite file's
    con = sqlite3.connect(case_db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()

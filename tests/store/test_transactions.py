"""Transactions: all or nothing, and a failed inner block does not leak into the outer one."""

from __future__ import annotations

import pytest

from casegraph.store import open_store


def _count(store) -> int:
    return store.scalar("SELECT count(*) FROM corrections")


def _add(conn, action: str) -> None:
    conn.execute("INSERT INTO corrections(action, payload) VALUES (?, '{}')", (action,))


def test_failed_inner_block_is_rolled_back_alone(case_db):
    store = open_store(case_db)
    with store.transaction() as conn:
        _add(conn, "outer")
        with pytest.raises(RuntimeError), store.transaction() as inner:
            _add(inner, "inner")
            raise RuntimeError("boom")
    assert [r["action"] for r in store.query("SELECT action FROM corrections")] == ["outer"]


def test_failed_outer_block_keeps_nothing(case_db):
    store = open_store(case_db)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        _add(conn, "outer")
        with store.transaction() as inner:
            _add(inner, "inner")
        raise RuntimeError("boom")
    assert _count(store) == 0
    store.close()
    assert _count(open_store(case_db)) == 0

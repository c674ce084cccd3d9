"""The part of the public API (casegraph.api.Case) for checking articles against sources (check, eval wice)."""

from __future__ import annotations

from casegraph.store import SQLiteStore


class CheckAPI:
    store: SQLiteStore

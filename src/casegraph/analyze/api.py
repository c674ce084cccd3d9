"""The part of the public API (casegraph.api.Case) for analysis (analyze, mentions, quotes, claims, relations, rhetoric, info, eval)."""

from __future__ import annotations

from casegraph.store import SQLiteStore


class AnalysisAPI:
    store: SQLiteStore

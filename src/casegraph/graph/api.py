"""The part of the public API (casegraph.api.Case) for resolution and the graph (resolve, entities, entity, neighbors, path, timeline, merge, split, rename, export)."""

from __future__ import annotations

from casegraph.store import SQLiteStore


class GraphAPI:
    store: SQLiteStore

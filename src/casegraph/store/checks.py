"""Store methods for sentence embeddings and stored check reports (check stage)."""

from __future__ import annotations

from casegraph.store.base import StoreBase


class CheckStore(StoreBase):
    pass

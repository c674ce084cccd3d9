"""Store methods for mentions, quotes, claims, relations, rhetoric and the analyses log (analysis stage)."""

from __future__ import annotations

from casegraph.store.base import StoreBase


class AnnotationStore(StoreBase):
    pass

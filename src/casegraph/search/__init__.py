"""Search over the case beyond full text: the sentence-embedding index of source documents."""

from __future__ import annotations

from casegraph.search.index import Hit, IndexSummary, SentenceIndex, build_index

__all__ = ["Hit", "IndexSummary", "SentenceIndex", "build_index"]

"""The analyze stage: per document, entities (mentions with document-local clusters), quotes,
claims, relations and rhetoric, every one a span of the document's normalised text.

Use it through `casegraph.api.Case` (AnalysisAPI: analyze, mentions, quotes, claims,
relations, rhetoric, info) or `casegraph analyze` and friends; `casegraph eval` measures it.
See MODEL_CARD.md in this folder for what each extractor finds and how well.
"""

from __future__ import annotations

from casegraph.analyze.analyzer import VERSION, DocAnalysis, Payload, analyze_batch
from casegraph.analyze.pipeline import DEFAULT_MODEL, load_nlp, model_name

__all__ = ["DEFAULT_MODEL", "VERSION", "DocAnalysis", "Payload", "analyze_batch", "load_nlp", "model_name"]

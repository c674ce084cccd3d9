"""Checking articles against the source documents: each quote and check-worthy claim gets a
verdict (supported, paraphrased, misattributed, contradicted, not_found) with evidence spans,
a score and a reason. Entry points: `casegraph.api.Case.check` and `casegraph check`."""

from casegraph.check.engine import STATUSES, check_article
from casegraph.check.report import to_html, to_markdown

__all__ = ["STATUSES", "check_article", "to_html", "to_markdown"]

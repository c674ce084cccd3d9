"""Entity resolution: mentions across the corpus → entities, with human corrections on top.

Candidate generation (blocking.py), pairwise judgement (matching.py) and stored human
judgements (corrections.py) are kept apart; resolver.py clusters, run.py reads and writes the store.
"""

from casegraph.resolve.names import ParsedName, parse_name
from casegraph.resolve.resolver import resolve_rows
from casegraph.resolve.run import resolve_store

__all__ = ["ParsedName", "parse_name", "resolve_rows", "resolve_store"]

"""One attribution pass over a parsed document: candidates from quote marks and from verbs
(spans.py), scored and decoded by the fitted model (model.py)."""

from __future__ import annotations

from casegraph.analyze.attribution.model import decode, packaged
from casegraph.analyze.attribution.spans import (
    Candidate,
    add_options,
    mentions_by_sentence,
    quote_candidates,
    verb_candidates,
)
from casegraph.analyze.context import DocContext


def candidates(ctx: DocContext) -> list[Candidate]:
    """Every candidate attribution of the document (ctx.quote_ranges must be set)."""
    from casegraph.analyze.quotes import direct_cue

    cands = quote_candidates(ctx, ctx.quote_ranges, direct_cue) + verb_candidates(ctx)
    by_sent = mentions_by_sentence(ctx)
    for c in cands:
        add_options(ctx, c, by_sent)
    return cands


def attributions(ctx: DocContext) -> list[Candidate]:
    """The attributions the packaged model keeps ([] when no model is packaged)."""
    models = packaged()
    if models is None:
        return []
    return decode(ctx, candidates(ctx), models[0], models[1])

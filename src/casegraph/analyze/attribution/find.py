"""One attribution pass over a parsed document: candidates from quote marks and from verbs
(spans.py), scored and decoded by the fitted model (model.py)."""

from __future__ import annotations

from casegraph.analyze.attribution.model import choose_source, decode, packaged
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
    cands = candidates(ctx)
    kept = decode(ctx, cands, models[0], models[1])
    # a quote whose speech verb stands next to it is a statement even where the model, fitted
    # to PolNeAR's notion of an attribution, scores it low: kept apart (`extra`), for storage
    taken = [c.content for c in kept]
    extra = []
    for c in sorted(cands, key=lambda c: -c.score):
        if c.how != "quote" or c.cue is None or c.score >= models[0].threshold:
            continue
        if len(ctx.text[c.content[0] : c.content[1]].split()) <= 3:
            continue
        if any(c.content[0] < b and a < c.content[1] for a, b in taken):
            continue
        choose_source(ctx, c, models[1])
        c.extra = True
        extra.append(c)
        taken.append(c.content)
    return sorted(kept + extra, key=lambda c: c.content[0])

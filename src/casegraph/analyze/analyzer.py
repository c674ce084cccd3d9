"""Running the analysis: one document's annotations from its parsed chunks (`analyze_parsed`),
and batches of documents through one pipeline per process (`analyze_batch`), so that the main
process only reads documents and writes results."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from typing_extensions import TypedDict

from casegraph.analyze import checkworthy, rhetoric
from casegraph.analyze.claims import find_claims
from casegraph.analyze.context import DocContext
from casegraph.analyze.email import header_mentions
from casegraph.analyze.entities import cluster, find_mentions
from casegraph.analyze.pipeline import Chunk, allowed_ranges, chunk_ranges, load_nlp
from casegraph.analyze.quotes import find_quotes
from casegraph.analyze.relations import co_occurrences, find_relations
from casegraph.ingest import email_header
from casegraph.models import (
    AnalysisFailure,
    AnalyzeSummary,
    Claim,
    EmailHeaders,
    Mention,
    Quote,
    Relation,
    Rhetoric,
    Segment,
    SegmentRecord,
    Span,
)

# bump when extraction changes so that users know to re-analyze (2: attribution model, text
# roles; 3: one speech-verb list, so more quote cues; e-mail header mentions read from ingest)
VERSION = "3"


@dataclass
class Payload:
    """What a worker needs to analyze one document (plain data: crosses process borders)."""

    doc_id: str
    text: str
    meta: dict[str, Any]
    paragraphs: list[SegmentRecord]
    headers: EmailHeaders | None = None  # as ingest stored them; parsed by ingest's parser when not given


@dataclass
class DocAnalysis:
    """Everything found in one document. Mention references are indexes into `mentions`."""

    doc_id: str
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    rhetoric: list[Rhetoric] = field(default_factory=list)
    words: int = 0
    error: str = ""
    blocks: list[Segment] = field(default_factory=list)  # text inside text: role and author of stretches


def plan(payload: Payload) -> tuple[int, list[tuple[int, int]]]:
    """(end of e-mail header, chunks to parse) for a document."""
    if payload.headers is None:
        payload.headers = email_header.parse(payload.text, payload.meta)
    hend = payload.headers.body_start()
    ranges = allowed_ranges(payload.text, payload.paragraphs, skip_until=hend)
    return hend, chunk_ranges(payload.text, ranges)


def analyze_parsed(
    payload: Payload, hend: int, chunks: list[Chunk], ranges: list[tuple[int, int]]
) -> DocAnalysis:
    ctx = DocContext(payload.doc_id, payload.text, chunks, payload.meta)
    find_mentions(ctx)
    headers = (
        payload.headers if payload.headers is not None else email_header.parse(payload.text, payload.meta)
    )
    relations = header_mentions(ctx, headers) if hend else []
    quotes = find_quotes(ctx, ranges)
    cluster(ctx)  # speakers found by the quote finder join their clusters
    claims = find_claims(ctx, quotes, _scorer())
    relations += find_relations(ctx)
    relations += co_occurrences(ctx)
    found = _rhetoric(ctx)
    mentions = [Mention(ctx.doc_id, m.start, m.end, m.text, m.label, m.cluster) for m in ctx.mentions]
    words = sum(len(c.doc) for c in chunks)
    return DocAnalysis(
        ctx.doc_id, mentions, quotes, claims, relations, found, words, blocks=_blocks(ctx, headers)
    )


def _blocks(ctx: DocContext, headers: EmailHeaders) -> list[Segment]:
    """Role blocks of an e-mail (authored, quoted, forwarded, pasted) and the narration of
    its pasted stories: sentences outside every attribution."""
    from casegraph.analyze.attribution import embedded

    found = embedded.blocks(ctx.text, headers, ctx.meta)
    pasted = [b for b in found if b.role == "pasted"]
    if pasted:
        # a person's (or organisation's) statement inside the story is theirs; what the story
        # reports on its own account, or from documents, is its narration
        spoken = [a for a in ctx.attributions if a.speaker is not None]
        spans = [a.candidate.content for a in spoken]
        spans += [a.candidate.source for a in spoken if a.candidate.source]
        spans += list(ctx.quote_ranges)
        found += embedded.narration(pasted, [(s.start, s.end) for s in ctx.sents], spans)
    for n, b in enumerate(found):
        b.number = n
    return found


def _rhetoric(ctx: DocContext) -> list[Rhetoric]:
    det = _detector()
    sents = [s for s in ctx.sents if ctx.text.count(" ", s.start, s.end) >= 3]
    texts = [ctx.text[s.start : s.end] for s in sents]
    out = []
    for sent, text, found in zip(sents, texts, det.detect_many(texts), strict=False):
        for technique, score in found:
            out.append(Rhetoric(Span(ctx.doc_id, sent.start, sent.end, text), technique, score))
    return out


_cache: dict[str, Any] = {}


def _scorer() -> Any:
    if "scorer" not in _cache:
        _cache["scorer"] = checkworthy.scorer()
    return _cache["scorer"]


def _detector() -> Any:
    if "detector" not in _cache:
        _cache["detector"] = rhetoric.detector()
    return _cache["detector"]


def analyze_batch(
    payloads: list[Payload], model: str | None = None, batch_size: int = 32
) -> list[DocAnalysis]:
    """Parse the chunks of several documents in one nlp.pipe stream (batching across
    documents is what keeps small paragraphs fast) and analyze each document as soon as its
    last chunk is parsed, so that only one document's parsed Docs are held at a time."""
    nlp = load_nlp(model)
    plans = [plan(p) for p in payloads]
    items = ((p.text[s:e], (di, s)) for di, p in enumerate(payloads) for s, e in plans[di][1])
    remaining = [len(chunks) for _, chunks in plans]
    parsed: list[Chunk] = []
    out: list[DocAnalysis | None] = [None] * len(payloads)

    def finish(di: int) -> None:
        p = payloads[di]
        hend, chunks = plans[di]
        try:
            out[di] = analyze_parsed(p, hend, parsed, chunks)
        except Exception as exc:  # one bad document must not stop the run: report it and go on
            out[di] = DocAnalysis(p.doc_id, error=f"{type(exc).__name__}: {exc}")

    next_di = 0
    for doc, (di, offset) in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
        while next_di < di:  # documents with nothing to parse (empty, all boilerplate)
            if out[next_di] is None:
                finish(next_di)
            next_di += 1
        parsed.append(Chunk(doc, offset))
        remaining[di] -= 1
        if remaining[di] == 0:
            finish(di)
            parsed = []  # free this document's Docs before parsing the next
            next_di = di + 1
    for di in range(len(payloads)):
        if out[di] is None:
            finish(di)
    return [r for r in out if r is not None]


# -- worker processes -------------------------------------------------------------------

_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    load_nlp(model)


def _work(payloads: list[Payload]) -> list[DocAnalysis]:
    return analyze_batch(payloads, _worker_model)


class AnalysisTally(TypedDict):
    """What a run has done so far: documents analyzed, their words, the documents that failed."""

    documents: int
    words: int
    failed: list[AnalysisFailure]


def run_summary(model: str, done: Mapping[str, Any], planned: int, seconds: float) -> AnalyzeSummary:
    """What an analysis run reports (`analyze --json`), in one process or on a cluster.
    `done` is an AnalysisTally (a cluster run keeps its own as a plain dict)."""
    return AnalyzeSummary(
        model=model,
        documents=done["documents"],
        failed=done["failed"],
        words=done["words"],
        seconds=round(seconds, 2),
        words_per_second=round(done["words"] / seconds, 1) if seconds > 0 else 0.0,
        planned=planned,
    )

"""Claims: each sentence that states something checkable, typed fact / opinion / speculation /
prediction from its cues, with hedge and booster spans, the quoted source it is attributed to,
and a check-worthiness score from the model fitted on CheckThat! 2019 (checkworthy.py)."""

from __future__ import annotations

import bisect
import re
from typing import Any

from casegraph.analyze.context import DocContext
from casegraph.models import Claim, Quote, Span

# Multi-word cues first so that "most likely" wins over "likely".
HEDGES = [
    "it is safe to assume",
    "it is possible that",
    "it is likely that",
    "it seems",
    "it appears",
    "most likely",
    "more likely",
    "is likely to",
    "are likely to",
    "likely",
    "probably",
    "possibly",
    "perhaps",
    "maybe",
    "presumably",
    "supposedly",
    "allegedly",
    "reportedly",
    "apparently",
    "seemingly",
    "arguably",
    "potentially",
    "conceivably",
    "appears to",
    "appear to",
    "seems to",
    "seem to",
    "suggests that",
    "there is a chance",
    "may",
    "might",
    "could",
    "would appear",
    "it is unclear",
    "rumored",
    "rumoured",
]
BOOSTERS = [
    "we can safely say",
    "we can safely predict",
    "it is clear that",
    "it is obvious that",
    "without a doubt",
    "there is no doubt",
    "no doubt",
    "it is no coincidence",
    "no coincidence",
    "of course",
    "in fact",
    "clearly",
    "obviously",
    "certainly",
    "undoubtedly",
    "definitely",
    "surely",
    "indeed",
    "explicitly",
    "absolutely",
    "unquestionably",
    "evidently",
    "well-known",
    "well known",
    "always",
]
PREDICTION_VERBS = frozenset({"predict", "forecast", "expect", "anticipate", "foresee", "project"})
OPINION_VERBS = frozenset({"think", "believe", "feel", "consider", "guess", "suppose", "reckon"})
EVALUATIVE = frozenset(
    [
        "shady",
        "dirty",
        "dubious",
        "disgraceful",
        "shameful",
        "outrageous",
        "terrible",
        "awful",
        "horrible",
        "great",
        "wonderful",
        "excellent",
        "corrupt",
        "evil",
        "stupid",
        "ridiculous",
        "absurd",
        "disastrous",
        "brilliant",
        "fantastic",
        "pathetic",
        "sinister",
        "scandalous",
        "appalling",
        "dishonest",
        "unacceptable",
        "wrong",
        "right",
        "best",
        "worst",
    ]
)
_MODAL_HEDGES = frozenset({"may", "might", "could"})
MAX_QUOTE_CHARS = 4000  # longer than any quote the quote finder accepts


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)  # longest first: "most likely" before "likely"
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.I)


_PATTERNS: dict[int, re.Pattern[str]] = {}


def _phrase_spans(text: str, base: int, phrases: list[str]) -> list[tuple[int, int]]:
    pattern = _PATTERNS.get(id(phrases))
    if pattern is None:
        pattern = _PATTERNS[id(phrases)] = _pattern(phrases)
    return [(base + m.start(), base + m.end()) for m in pattern.finditer(text)]


def cue_spans(ctx: DocContext, sent: Any) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(hedges, boosters) of a sentence as document offsets. "May" the month is not a hedge."""
    text = ctx.text[sent.start : sent.end]
    hedges = []
    for s, e in _phrase_spans(text, sent.start, HEDGES):
        word = ctx.text[s:e]
        if (
            word in ("May",)
            or (re.search(r"be that as it may|as it may", text.lower()) and word.lower() == "may")
            or (word.lower() in _MODAL_HEDGES and not _is_modal(ctx, sent, s))
        ):
            continue
        hedges.append((s, e))
    boosters = [
        (s, e) for s, e in _phrase_spans(text, sent.start, BOOSTERS) if not any(a <= s < b for a, b in hedges)
    ]
    return hedges, boosters


def _is_modal(ctx: DocContext, sent: Any, pos: int) -> bool:
    for tok in sent.span:
        if ctx.tstart(sent.chunk, tok) == pos:
            return bool(tok.tag_ == "MD")
    return False


def claim_type(sent: Any, hedges: list[Any], boosters: list[Any]) -> str:
    if hedges:
        return "speculation"
    root = sent.span.root
    lemmas = {t.lemma_.lower() for t in sent.span}
    if lemmas & PREDICTION_VERBS:
        return "prediction"
    if any(
        c.lower_ in ("will", "shall") or c.lower_ == "'ll" for c in root.children if c.dep_ == "aux"
    ) or any(
        t.lower_ == "going" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to" and t.head == t
        for t in sent.span
    ):
        return "prediction"
    first_person = any(
        t.lower_ in ("i", "we") and t.dep_ == "nsubj" and t.head.lemma_ in OPINION_VERBS for t in sent.span
    )
    should = any(t.tag_ == "MD" and t.lower_ in ("should", "must", "ought") for t in sent.span)
    evaluative = any(t.pos_ == "ADJ" and t.lower_ in EVALUATIVE for t in sent.span)
    if first_person or should or evaluative or "in my opinion" in sent.span.text.lower():
        return "opinion"
    return "fact"


def is_checkable(sent: Any) -> bool:
    """A statement, not a heading, question or fragment."""
    words = [t for t in sent.span if t.is_alpha]
    if len(words) < 5 or sent.span.text.rstrip().endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent.span)


def find_claims(ctx: DocContext, quotes: list[Quote], scorer: Any = None) -> list[Claim]:
    claims: list[Claim] = []
    texts: list[str] = []
    spoken = sorted((q for q in quotes if q.speaker_mention is not None), key=lambda q: q.span.start)
    starts = [q.span.start for q in spoken]
    for sent in ctx.sents:
        if not is_checkable(sent):
            continue
        s, e = sent.start, sent.end
        while s < e and (ctx.text[s].isspace() or ctx.text[s] in "-•*–—"):
            s += 1
        while e > s and ctx.text[e - 1].isspace():
            e -= 1
        hedges, boosters = cue_spans(ctx, sent)
        attributed = None
        for i in range(bisect.bisect_left(starts, s - MAX_QUOTE_CHARS), bisect.bisect_left(starts, e)):
            q = spoken[i]
            if q.span.start < e and s < q.span.end:
                attributed = q.speaker_mention
                break
        claims.append(
            Claim(
                span=Span(ctx.doc_id, s, e, ctx.text[s:e]),
                type=claim_type(sent, hedges, boosters),  # type: ignore[arg-type]
                hedges=[Span(ctx.doc_id, a, b, ctx.text[a:b]) for a, b in hedges],
                boosters=[Span(ctx.doc_id, a, b, ctx.text[a:b]) for a, b in boosters],
                attributed_to_mention=attributed,
            )
        )
        texts.append(ctx.text[s:e])
    if scorer is not None and texts:
        for claim, score in zip(claims, scorer(texts), strict=False):
            claim.checkworthiness = round(float(score), 4)
    return claims

"""Which candidate attributions are real: a logistic model over string features of each
candidate (cue lemma, structure, source, length, quote marks), fitted on PolNeAR train by
scripts/fit_attribution.py and stored as JSON (`models/attribution.json.gz`: feature -> weight,
bias, threshold; no pickle). Decoding keeps the best-scored candidates whose cue and content do
not overlap a better one (PolNeAR gives each token to one attribution at most)."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from casegraph.analyze.attribution.spans import SPEECH, Candidate, SourceOption, source_tokens
from casegraph.analyze.context import DocContext

MODEL_FILE = "attribution.json.gz"
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "who", "which", "that"})


@dataclass
class LinearModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_model(data: dict[str, Any]) -> LinearModel:
    return LinearModel(
        {str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]), float(data["threshold"])
    )


@lru_cache(maxsize=2)
def packaged(name: str = MODEL_FILE) -> tuple[LinearModel, LinearModel | None] | None:
    """(attribution model, source model) shipped in casegraph/analyze/models/, or None."""
    entry = resources.files("casegraph.analyze").joinpath("models").joinpath(name)
    if not entry.is_file():
        return None
    with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return load_model(data), (load_model(data["source"]) if "source" in data else None)


def _bucket(n: int) -> str:
    for b in (1, 3, 7, 15, 30):
        if n <= b:
            return str(b)
    return "long"


def features(ctx: DocContext, c: Candidate) -> list[str]:
    f = [f"how={c.how}", f"form={c.form}"]
    words = len(ctx.text[c.content[0] : c.content[1]].split())
    f.append(f"len={_bucket(words)}")
    f.append(f"how_len={c.how}_{_bucket(words)}")
    tok = c.cue
    if tok is not None:
        lemma = tok.lemma_.lower()
        f += [f"lemma={lemma}", f"lemma_how={lemma}_{c.how}", f"dep={tok.dep_}", f"tag={tok.tag_}"]
        f.append(f"speech={lemma in SPEECH}")
        f.append(f"speech_how={lemma in SPEECH}_{c.how}")
        if any(ch.dep_ == "neg" for ch in tok.children):
            f.append("neg")
        if any(ch.dep_ == "auxpass" for ch in tok.children):
            f.append("passive")
        if tok.dep_ in ("xcomp", "ccomp", "conj", "advcl"):
            f.append(f"headlemma={tok.head.lemma_.lower()}")
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None:
            f.append(f"next={nxt.lower_}")
            f.append(f"lemma_next={lemma}_{nxt.lower_}")
        pos = ctx.tstart(c.chunk, tok)
        if ctx.in_quote(pos):
            f.append("cue_in_quote")
        f.append("content_after" if c.content[0] >= pos else "content_before")
    else:
        f.append("nocue")
    s = c.source_tok
    if s is None:
        f.append("src=none")
    else:
        low = s.lower_
        k = ctx.mention_at(c.chunk, s)
        label = ctx.mentions[k].label if k is not None else ""
        if low in PRONOUNS:
            kind = "pron_" + low
        elif label:
            kind = "ent_" + label
        else:
            kind = s.pos_
        f += [f"src={kind}", f"src_how={kind}_{c.how}"]
        if s.pos_ == "NOUN":
            f.append(f"src_noun={s.lemma_.lower()}")
        if tok is not None:
            f.append(f"src_lemma={kind}_{tok.lemma_.lower()}")
    words_ = ctx.text[c.content[0] : c.content[0] + 40].lower().split()
    first = words_[0].strip("“\"'‘") if words_ else ""
    f += [f"first={first}", f"how_first={c.how}_{first}"]
    if tok is not None:
        lemma = tok.lemma_.lower()
        f += [f"lemma_form={lemma}_{c.form}", f"lemma_dep={lemma}_{tok.dep_}", f"lemma_first={lemma}_{first}"]
        if s is not None:
            f.append(f"lemma_srcpos={lemma}_{s.pos_}")
    return f


def option_features(ctx: DocContext, c: Candidate, o: SourceOption) -> list[str]:
    f = [f"n={min(len(o.kinds), 3)}"]
    has_subj = any("subj" in other.kinds for other in c.options)
    has_rule = any("rule" in other.kinds for other in c.options)
    for k in o.kinds:
        f += [f"k={k}", f"k_how={k}_{c.how}", f"k_subj={k}_{has_subj}", f"k_rule={k}_{has_rule}"]
    f.append(f"kinds={'+'.join(sorted(o.kinds))}")
    tok = o.tok
    low = tok.lower_
    k_m = ctx.mention_at(o.chunk, tok)
    label = ctx.mentions[k_m].label if k_m is not None else ""
    kind = "pron_" + low if low in PRONOUNS else ("ent_" + label if label else tok.pos_)
    f += [f"kind={kind}", f"kind_how={kind}_{c.how}", f"dep={tok.dep_}"]
    if tok.pos_ == "NOUN":
        f.append(f"noun={tok.lemma_.lower()}")
    pos = ctx.tstart(o.chunk, tok)
    f.append("before" if pos < c.content[0] else "after")
    if c.cue is not None and o.chunk == c.chunk:
        d = tok.i - c.cue.i
        f.append(f"dist={max(-6, min(6, d))}")
    if ctx.in_quote(pos):
        f.append("in_quote")
    return f


def choose_source(ctx: DocContext, c: Candidate, model: LinearModel | None) -> None:
    """Set the candidate's source to its best-scored option (the rule's choice without a model)."""
    if not c.options:
        return
    for o in c.options:
        o.features = option_features(ctx, c, o)
        o.score = model.score(o.features) if model is not None else float("rule" in o.kinds)
    best = max(c.options, key=lambda o: o.score)
    if model is not None or "rule" in best.kinds:
        c.source_tok, c.source_chunk = best.tok, best.chunk
        c.source = _span(ctx, best.chunk, source_tokens(best.tok))


def _span(ctx: DocContext, ci: int, toks: list[Any]) -> tuple[int, int]:
    first, last = toks[0], toks[-1]
    return ctx.tstart(ci, first), ctx.tend(ci, last)


def decode(
    ctx: DocContext, cands: list[Candidate], model: LinearModel, sources: LinearModel | None = None
) -> list[Candidate]:
    for c in cands:
        c.features = features(ctx, c)
        c.score = model.score(c.features)
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: -c.score):
        if c.score < model.threshold:
            break
        spans = [c.content] + ([c.cue_span] if c.cue_span[1] > c.cue_span[0] else [])
        if any(s < b and a < e for s, e in spans for a, b in taken):
            continue
        kept.append(c)
        taken += spans
    for c in kept:
        choose_source(ctx, c, sources)
    kept.sort(key=lambda c: c.content[0])
    if CONTINUE_SOURCE:
        _continue_sources(ctx, kept)
    return kept


CONTINUE_SOURCE = True


def _continue_sources(ctx: DocContext, kept: list[Candidate]) -> None:
    """A quote with no source of its own, right after another attribution (the next paragraph
    of the same statement), takes that attribution's source."""
    prev: Candidate | None = None
    for c in kept:
        if c.source is None and prev is not None and prev.source is not None and c.how == "quote-nocue":
            a, b = ctx.sentence_index(prev.content[0]), ctx.sentence_index(c.content[0])
            if a is not None and b is not None and 0 <= b - a <= 2:
                c.source, c.source_tok, c.source_chunk = prev.source, prev.source_tok, prev.source_chunk
        prev = c

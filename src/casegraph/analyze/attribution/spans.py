"""Candidate attributions in a parsed document: a cue (a verb, "according to", a quote's speech
verb), a content span and a source span, read off the dependency parse the way PolNeAR annotates
them. Which candidates are real attributions is decided by the fitted model (model.py); this
module only proposes them and describes each by features.

A candidate's content comes from one of these structures (its `how`):
- quote: text in quote marks whose speech verb governs it or stands right before/after it;
- ccomp: the clause a verb governs ("said [that the plan failed]", "[the plan failed], he said");
- xcomp: an open clause ("wants [to run]", "declined [to comment]");
- obj: a direct object or prepositional object ("criticized [the plan]", "called for [a vote]");
- according: the rest of the sentence around "according to X".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casegraph.analyze.context import DocContext
from casegraph.analyze.references import SUBJECT_DEPS, subject_of, token_at
from casegraph.lexicon import SPEECH_VERBS

QUOTE_OPEN = ('"', "“", "«", "„", "‘")
QUOTE_CLOSE = ('"', "”", "»", "“", "’")
PREPS = frozenset({"for", "about", "on", "of", "to", "against", "with", "that"})
SPEECH = SPEECH_VERBS  # verbs that report words (casegraph.lexicon)


@dataclass
class Candidate:
    chunk: int
    cue: Any  # the head token of the cue
    cue_span: tuple[int, int]
    content: tuple[int, int]
    how: str
    source_tok: Any = None
    source: tuple[int, int] | None = None
    source_chunk: int = -1
    form: str = "indirect"  # direct | indirect | mixed
    features: list[str] = field(default_factory=list)
    score: float = 0.0
    options: list[SourceOption] = field(default_factory=list)
    extra: bool = False  # kept for storage only (a cued quote under the model's threshold)


@dataclass
class SourceOption:
    """A token that may be the candidate's source, with the rules that proposed it."""

    chunk: int
    tok: Any
    kinds: list[str]
    features: list[str] = field(default_factory=list)
    score: float = 0.0


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-("):
        e -= 1
    return s, e


def _span_of(ctx: DocContext, ci: int, tokens: list[Any]) -> tuple[int, int]:
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return 0, 0
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return _trim(ctx.text, ctx.tstart(ci, first), ctx.tend(ci, last))


def source_tokens(tok: Any) -> list[Any]:
    """The noun phrase of a source: the token with what precedes it in its subtree and the
    name parts after it ("John Q.\\nSmith"), not its relative clauses or appositions."""
    doc = tok.doc
    left = {t.i for t in tok.subtree if t.i <= tok.i}
    i = tok.i
    while i - 1 in left or (i - 2 in left and doc[i - 1].is_space):
        i -= 1
    j = tok.i + 1
    while (
        j < len(doc)
        and doc[j].head is tok
        and doc[j].dep_ in ("flat", "compound", "appos")
        and doc[j].pos_ == "PROPN"
    ):
        j += 1
    return [t for t in doc[i:j] if not t.is_space]


def _content_quote_form(text: str, s: int, e: int) -> str:
    piece = text[s:e]
    marks = sum(piece.count(m) for m in ('"', "“", "”", "«", "»"))
    if not marks:
        return "indirect"
    inner = piece.strip()
    if inner[:1] in QUOTE_OPEN and inner[-1:] in (*QUOTE_CLOSE, ".", ",") and marks <= 2:
        return "direct"
    return "mixed"


def verb_candidates(ctx: DocContext) -> list[Candidate]:
    out: list[Candidate] = []
    for sent in ctx.sents:
        ci = sent.chunk
        for tok in sent.span:
            if tok.lower_ == "according":
                c = _according(ctx, ci, tok, sent)
                if c is not None:
                    out.append(c)
                continue
            if tok.pos_ == "NOUN":
                out += _noun_candidates(ctx, ci, tok)
                continue
            if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("aux", "auxpass"):
                continue
            seen: set[tuple[int, int]] = set()
            for how, toks in _contents(tok):
                s, e = _span_of(ctx, ci, toks)
                if e <= s or (s, e) in seen:
                    continue
                seen.add((s, e))
                cand = Candidate(ci, tok, _cue_span(ctx, ci, tok), (s, e), how)
                _attach_source(ctx, ci, cand)
                cand.form = _content_quote_form(ctx.text, s, e)
                out.append(cand)
    return out


def _noun_candidates(ctx: DocContext, ci: int, tok: Any) -> list[Candidate]:
    """ "Trump's [recent call] [to ban ...]", "his [remarks] [about ...]", "the [claim] [that ...]"."""
    out = []
    for c in tok.children:
        if c.i < tok.i:
            continue
        if c.dep_ in ("acl", "ccomp") or (c.dep_ == "prep" and c.lower_ in PREPS):
            toks = list(c.subtree)
            if c.dep_ == "prep":
                toks = [t for t in toks if t is not c]
            s, e = _span_of(ctx, ci, toks)
            if e <= s:
                continue
            cand = Candidate(ci, tok, (ctx.tstart(ci, tok), ctx.tend(ci, tok)), (s, e), "noun")
            owner = next((d for d in tok.children if d.dep_ == "poss"), None)
            if owner is not None:
                cand.source_tok = owner
                cand.source = _span_of(ctx, ci, source_tokens(owner))
            cand.form = _content_quote_form(ctx.text, s, e)
            out.append(cand)
            break
    return out


def _cue_span(ctx: DocContext, ci: int, tok: Any) -> tuple[int, int]:
    """The cue: the verb with its auxiliaries, negation and particles ("has also called for")."""
    parts = [tok] + [
        c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "prt", "advmod") and c.i < tok.i
    ]
    parts = [p for p in parts if p.i >= tok.i - 3]
    return ctx.tstart(ci, min(parts, key=lambda t: t.i)), ctx.tend(ci, tok)


def _contents(tok: Any) -> list[tuple[str, list[Any]]]:
    out: list[tuple[str, list[Any]]] = []
    kids = list(tok.children)
    for c in kids:
        if c.dep_ == "ccomp":
            out.append(("ccomp", list(c.subtree)))
        elif c.dep_ == "xcomp":
            out.append(("xcomp", list(c.subtree)))
    if not out:
        for c in kids:
            if c.dep_ in ("dobj", "attr", "oprd") and c.i > tok.i:
                toks = list(c.subtree)
                # "called the plan a disaster": object and its complement
                for d in kids:
                    if d.dep_ in ("oprd", "xcomp", "ccomp") and d.i > c.i:
                        toks += list(d.subtree)
                out.append(("obj", toks))
                break
    if not out:
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in PREPS and c.i > tok.i:
                pobj = [t for t in c.children if t.dep_ in ("pobj", "pcomp")]
                if pobj:
                    out.append(("prep", [t for p in pobj for t in p.subtree]))
                    break
    # the whole verb phrase after the verb ("cited X as examples of Y", "wants to A, B and C")
    right = [t for t in tok.subtree if t.i > tok.i and not (t.dep_ == "punct" and t.head is tok)]
    right = [t for t in right if not (t.dep_ in SUBJECT_DEPS and t.head is tok)]
    if right and any(c.i > tok.i and c.dep_ not in ("punct", "advmod", "npadvmod") for c in kids):
        out.append(("right", right))
    return out


def _attach_source(ctx: DocContext, ci: int, cand: Candidate) -> None:
    tok = cand.cue
    subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None) or subject_of(tok)
    if subj is None:
        # passive: "was quoted by X" / "were told by X"
        for c in tok.children:
            if c.dep_ == "agent":
                subj = next((t for t in c.children if t.dep_ == "pobj"), None)
    if subj is None:
        return
    s, e = cand.content
    if s <= ctx.tstart(ci, subj) < e:
        return
    cand.source_tok = subj
    cand.source = _span_of(ctx, ci, source_tokens(subj))


def _according(ctx: DocContext, ci: int, tok: Any, sent: Any) -> Candidate | None:
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    phrase_end = max(t.i for t in pobj.subtree) if pobj is not None else nxt.i
    span = sent.span
    if tok.i <= span.start + 1:
        first, last = phrase_end + 1, span.end - 1
    else:
        first, last = span.start, tok.i - 1
    if last - first < 2:
        return None
    s, e = _span_of(ctx, ci, list(doc[first : last + 1]))
    if e <= s:
        return None
    cand = Candidate(ci, tok, (ctx.tstart(ci, tok), ctx.tend(ci, nxt)), (s, e), "according")
    if pobj is not None:
        cand.source_tok = pobj
        cand.source = _span_of(ctx, ci, source_tokens(pobj))
    cand.form = _content_quote_form(ctx.text, s, e)
    return cand


def quote_candidates(ctx: DocContext, marks: list[tuple[int, int]], cue_finder: Any) -> list[Candidate]:
    """A candidate for each quoted stretch: content with its marks; cue and source from the
    quote finder's rules (cue governing the quote, right after it, right before it)."""
    out = []
    for qs, qe in marks:
        s, e = qs - 1, min(len(ctx.text), qe + 1)
        found = cue_finder(ctx, qs, qe)
        if found is None:
            hit = token_at(ctx, qs)
            if hit is None:
                continue
            ci, _tok = hit
            cand = Candidate(ci, None, (qs, qs), (s, e), "quote-nocue", form="direct")
            near = _nearby_speaker(ctx, qs, qe)
            if near is not None:
                cand.chunk, cand.source_tok = near
                cand.source = _span_of(ctx, near[0], source_tokens(near[1]))
            out.append(cand)
            continue
        ci, cue = found
        cand = Candidate(ci, cue, _cue_span(ctx, ci, cue), (s, e), "quote", form="direct")
        subj = subject_of(cue)
        if subj is None:
            for t in cue.doc[cue.i + 1 : cue.i + 5]:
                if t.pos_ in ("PROPN", "PRON", "NOUN"):
                    subj = t
                    break
                if t.is_punct:
                    break
        if subj is not None and not (qs <= ctx.tstart(ci, subj) < qe):
            cand.source_tok = subj
            cand.source = _span_of(ctx, ci, source_tokens(subj))
        out.append(cand)
        chain = _continuation(ctx, marks, qs, qe)
        for how, ends in (("quote-joined", chain[:1]), ("quote-chain", chain[1:])):
            if ends:
                out.append(
                    Candidate(
                        ci,
                        cue,
                        cand.cue_span,
                        (s, ends[-1]),
                        how,
                        cand.source_tok,
                        cand.source,
                        form="direct",
                    )
                )
    return out


def _continuation(ctx: DocContext, marks: list[tuple[int, int]], qs: int, qe: int) -> list[int]:
    """Ends of the quotes that continue this one: after its cue ("“A,” she said. “B.”") or in
    the next paragraph with nothing between ("“B.”\n\n“C.”"); PolNeAR joins them into one content."""
    ends: list[int] = []
    end = qe
    for a, b in [(a, b) for a, b in marks if a > qe][:6]:
        between = ctx.text[end + 1 : a - 1]
        words = len(between.split())
        if not (words == 0 and ends) and (
            "\n\n" in between or words > 12 or not between.rstrip().endswith((".", ",", ":"))
        ):
            break
        ends.append(min(len(ctx.text), b + 1))
        end = b
    return ends


def _nearby_speaker(ctx: DocContext, qs: int, qe: int) -> tuple[int, Any] | None:
    """For a quote with no speech verb of its own: the subject of the last speech verb in the
    sentence before it (a quote continuing, or a statement introduced before), else of the
    first in the sentence after it."""
    si = ctx.sentence_index(qs)
    if si is None:
        return None
    order = [si - 1, si, si + 1]
    for sj in order:
        if not 0 <= sj < len(ctx.sents):
            continue
        sent = ctx.sents[sj]
        verbs = [
            t
            for t in sent.span
            if t.pos_ in ("VERB", "AUX")
            and t.lemma_.lower() in SPEECH
            and not (qs <= ctx.tstart(sent.chunk, t) < qe)
        ]
        if sj < si:
            verbs = verbs[::-1]
        for v in verbs:
            subj = next((c for c in v.children if c.dep_ in SUBJECT_DEPS), None) or subject_of(v)
            if subj is not None and not (qs <= ctx.tstart(sent.chunk, subj) < qe):
                return sent.chunk, subj
    return None


def mentions_by_sentence(ctx: DocContext) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for _k, m in ctx.live_mentions():
        if m.chunk >= 0 and m.label in ("PERSON", "ORG", "NORP", "GPE"):
            si = ctx.sentence_index(m.start)
            if si is not None:
                out.setdefault(si, []).append(m)
    return out


def add_options(ctx: DocContext, cand: Candidate, by_sent: dict[int, list[Any]]) -> None:
    """Every token that may be the source, for the source model to choose from."""
    found: dict[tuple[int, int], SourceOption] = {}
    s, e = cand.content

    joined = cand.how in ("quote-joined", "quote-chain")

    def add(kind: str, ci: int, tok: Any) -> None:
        if tok is None or tok.is_punct or tok.is_space:
            return
        pos = ctx.tstart(ci, tok)
        # joined quotes hold their cue and speaker between the quoted parts
        if ctx.in_quote(pos) if joined else s <= pos < e:
            return
        key = (ci, tok.i)
        if key in found:
            found[key].kinds.append(kind)
        else:
            found[key] = SourceOption(ci, tok, [kind])

    if cand.source_tok is not None:
        add("rule", cand.chunk, cand.source_tok)
    cue, ci = cand.cue, cand.chunk
    if cue is not None:
        add("subj", ci, next((c for c in cue.children if c.dep_ in SUBJECT_DEPS), None))
        add("inherited", ci, subject_of(cue))
        for c in cue.children:
            if c.dep_ == "agent":
                add("agent", ci, next((t for t in c.children if t.dep_ == "pobj"), None))
            if c.dep_ == "poss":
                add("poss", ci, c)
        for t in cue.doc[cue.i + 1 : cue.i + 5]:
            if t.pos_ in ("PROPN", "PRON", "NOUN"):
                add("after_cue", ci, t)
                break
            if t.is_punct:
                break
    if cue is not None and cue.head is not cue:
        add("governor", ci, subject_of(cue.head))
    near = _nearby_speaker(ctx, s, e)
    if near is not None:
        add("speech_near", near[0], near[1])
    si = ctx.sentence_index(s)
    if si is not None:
        anchor = ctx.tstart(ci, cue) if cue is not None else s
        persons = [(abs(m.start - anchor), m) for m in by_sent.get(si, [])]
        for _d, m in sorted(persons, key=lambda x: x[0])[:2]:
            add("mention_" + m.label, m.chunk, ctx.chunks[m.chunk].doc[m.tj - 1])
    cand.options = list(found.values())

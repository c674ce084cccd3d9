"""Quotes: direct quotes in any quote marks (with the speaker before or after, or on the line
before that ends "X stated:"), partial quotes inside a sentence, and indirect speech ("X said
that ...", "according to X"). A short quoted phrase with no speech cue is a scare quote, not a
quote. The speaker is a mention; pronouns resolve only when clear (references.py)."""

from __future__ import annotations

import re
from typing import Any

from casegraph.analyze.context import DocContext
from casegraph.analyze.references import mention_for, subject_of, token_at
from casegraph.lexicon import QUOTE_CUES_NOT_SPEECH, SPEECH_VERBS
from casegraph.models import Quote, Span

# a quote's cue: a verb that reports words, or one that introduces them otherwise ("he thinks")
CUES = SPEECH_VERBS | QUOTE_CUES_NOT_SPEECH
INDIRECT_CUES = CUES - {
    "ask",
    "describe",
    "wish",
    "hope",
    "think",
    "believe",
    "speak",
    "point",
    "sign",
    "order",
}
SCARE_QUOTE_WORDS = 3  # quoted phrases this short with no cue are scare quotes
MAX_QUOTE = 3000

_PAIRS = [
    re.compile(r'"([^"]{1,%d}?)"' % MAX_QUOTE),
    re.compile(r"“([^“”]{1,%d}?)”" % MAX_QUOTE),
    re.compile(r"«([^«»]{1,%d}?)»" % MAX_QUOTE),
    re.compile(r"''((?:[^'\n]|'(?!'))[^\n]{0,%d}?)''" % MAX_QUOTE),  # ''...'' (two apostrophes)
    re.compile(r"„([^„“”]{1,%d}?)[“”]" % MAX_QUOTE),
    re.compile(r"(?:(?<=\s)|^)‘([^‘’]{1,%d}?\s[^‘’]{0,%d}?)’(?=[\s.,;:!?)]|$)" % (MAX_QUOTE, MAX_QUOTE)),
]


def quote_marks(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(content start, content end) of quoted stretches inside the analyzed ranges."""
    found = []
    for start, end in ranges:
        piece = text[start:end]
        for pattern in _PAIRS:
            for m in pattern.finditer(piece):
                if "\n\n" in m.group(1) or not m.group(1).strip():
                    continue
                found.append((start + m.start(1), start + m.end(1)))
    found.sort()
    out: list[tuple[int, int]] = []
    for s, e in found:  # drop quotes nested in an earlier one
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def find_quotes(ctx: DocContext, ranges: list[tuple[int, int]]) -> list[Quote]:
    """The document's statements: the attribution model's (analyze/attribution) when it is
    packaged, else the rules below. Every attribution the model keeps is left in
    ctx.attributions; those that report words become quotes, and a long quoted stretch that
    no attribution covers is a quote with no speaker."""
    marks = quote_marks(ctx.text, ranges)
    ctx.quote_ranges = marks
    from casegraph.analyze.attribution import attribute
    from casegraph.analyze.attribution.model import packaged

    if packaged() is None:
        quotes = [q for q in (_direct(ctx, s, e) for s, e in marks) if q is not None]
        quotes += _indirect(ctx, marks)
        quotes.sort(key=lambda q: q.span.start)
        return quotes
    from casegraph.analyze.entities import cluster

    cluster(ctx)  # the resolver groups earlier names by cluster
    found = attribute(ctx)
    ctx.attributions = found
    quotes = []
    for a in found:
        if not a.statement:
            continue
        c = a.candidate
        s, e = _trim(ctx.text, *c.content)
        form = c.form
        fragments = [
            (fs, fe)
            for fs, fe in (_trim(ctx.text, qs, qe) for qs, qe in marks)
            if s <= fs and fe <= e and fe > fs
        ]
        if form == "mixed" and len(fragments) == 1 and fragments[0][1] - fragments[0][0] >= 0.8 * (e - s):
            form, fragments = "direct", []  # a quote the parse cut short of its closing mark
        if form == "direct":  # stored without its outer quote marks, as before
            s, e = _unquote(ctx.text, s, e)
        elif ctx.text[s : s + 5].lower() == "that ":  # "said that ...": the words reported
            s += 5
        if e <= s:
            continue
        source = (
            Span(ctx.doc_id, c.source[0], c.source[1], ctx.text[c.source[0] : c.source[1]])
            if c.source
            else None
        )
        cue = Span(ctx.doc_id, c.cue_span[0], c.cue_span[1], ctx.text[c.cue_span[0] : c.cue_span[1]])
        if c.how == "according":
            cue = Span(cue.doc_id, cue.start, cue.end, "according to")
        quotes.append(
            Quote(
                Span(ctx.doc_id, s, e, ctx.text[s:e]),
                a.speaker,
                cue.text if c.cue is not None else "",
                form == "direct",
                source,
                cue if c.cue is not None else None,
                form,
                round(c.score, 3),
                a.how,
            )
        )
        if form == "mixed":  # the quoted words inside reported speech are the speaker's own
            for fs, fe in fragments:
                if s <= fs and fe <= e:
                    quotes.append(
                        Quote(
                            Span(ctx.doc_id, fs, fe, ctx.text[fs:fe]),
                            a.speaker,
                            cue.text if c.cue is not None else "",
                            True,
                            source,
                            cue if c.cue is not None else None,
                            "direct",
                            round(c.score, 3),
                            a.how,
                        )
                    )
    covered = [q.span for q in quotes]
    for qs, qe in marks:
        s, e = _trim(ctx.text, qs, qe)
        if len(ctx.text[s:e].split()) <= SCARE_QUOTE_WORDS or any(
            sp.start < e and s < sp.end for sp in covered
        ):
            continue
        quotes.append(Quote(Span(ctx.doc_id, s, e, ctx.text[s:e]), None, "", True, form="direct"))
    quotes.sort(key=lambda q: q.span.start)
    return quotes


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    return s, e


def _direct(ctx: DocContext, qs: int, qe: int) -> Quote | None:
    s, e = _trim(ctx.text, qs, qe)
    if e <= s:
        return None
    verb = (
        _cue_in_structure(ctx, s, e)
        or _cue_after(ctx, qe)
        or _cue_before(ctx, qs)
        or _cue_line_before(ctx, qs)
    )
    words = len(ctx.text[s:e].split())
    if verb is None:
        if words <= SCARE_QUOTE_WORDS:
            return None
        return Quote(Span(ctx.doc_id, s, e, ctx.text[s:e]), None, "", True)
    ci, cue = verb
    speaker = _speaker(ctx, ci, cue, qs, qe)
    return Quote(Span(ctx.doc_id, s, e, ctx.text[s:e]), speaker, cue.text, True)


def _unquote(text: str, s: int, e: int) -> tuple[int, int]:
    """[s, e) without the quote marks (and the comma or stop before a closing one) around it."""
    if s < e and text[s] in "\"“«„‘'":
        s += 1
        while s < e and text[s] == "'":  # ''two apostrophes''
            s += 1
    while e > s and text[e - 1] in "\"”»’',.":
        e -= 1
    return _trim(text, s, e)


def direct_cue(ctx: DocContext, qs: int, qe: int) -> tuple[int, Any] | None:
    """The speech verb of the quote in [qs, qe) and its chunk index, or None."""
    s, e = _trim(ctx.text, qs, qe)
    if e <= s:
        return None
    return (
        _cue_in_structure(ctx, s, e)
        or _cue_after(ctx, qe)
        or _cue_before(ctx, qs)
        or _cue_line_before(ctx, qs)
    )


def _is_cue(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUES


def _cue_in_structure(ctx: DocContext, s: int, e: int) -> tuple[int, Any] | None:
    """A speech verb outside the quote that governs a word inside it (partial quotes,
    and "..., she wrote" where the quoted clause depends on "wrote")."""
    first = token_at(ctx, s)
    if first is None:
        return None
    ci, tok = first
    doc = ctx.chunks[ci].doc
    base = ctx.chunks[ci].offset
    i = tok.i
    while i < len(doc) and base + doc[i].idx < e:
        head = doc[i].head
        steps = 0
        t = doc[i]
        while t.head is not t and steps < 6:
            t = t.head
            steps += 1
            pos = base + t.idx
            if s <= pos < e:
                continue
            if _is_cue(t):
                return ci, t
        del head
        i += 1
    return None


def _cue_after(ctx: DocContext, qe: int) -> tuple[int, Any] | None:
    """ ", noted Epstein." / "," she wrote to ...: a cue in the few tokens after the close."""
    hit = token_at(ctx, qe + 1)
    if hit is None:
        return None
    ci, tok = hit
    doc = ctx.chunks[ci].doc
    first = tok.i
    while first < len(doc) and ctx.tstart(ci, doc[first]) <= qe:  # past the closing mark
        first += 1
    for t in doc[first : first + 20]:
        # a name may run over a line break ("John Q.\nSmith, who ..., wrote"): only a blank
        # line, a new quote or the end of the sentence stops the search
        if t.text in ('"', "“", "”", "«") or "\n\n" in t.text or (t.is_punct and t.text in ".!?"):
            break
        if _is_cue(t):
            return ci, t
    return None


def _cue_before(ctx: DocContext, qs: int) -> tuple[int, Any] | None:
    """ "Smith said: ..." / "He wrote, ...": a cue shortly before the open mark, same line."""
    line_start = ctx.text.rfind("\n", 0, qs) + 1
    if not ctx.text[line_start : qs - 1].strip():
        return None
    found = _last_cue(ctx, max(line_start, qs - 200), qs - 1, reset_at_sentence_end=True)
    if found is not None and ctx.text[qs - 3 : qs - 1].strip() in (":", ",", ""):
        return found
    return None


def _cue_line_before(ctx: DocContext, qs: int) -> tuple[int, Any] | None:
    """ "Former ambassador Richard E. stated:" followed by the quote on the next line."""
    end = qs - 1
    while end > 0 and ctx.text[end - 1].isspace():
        end -= 1
    if end <= 0 or ctx.text[end - 1] != ":" or ctx.text[end : qs - 1].count("\n") != 1:
        return None
    return _last_cue(ctx, ctx.text.rfind("\n", 0, end) + 1, end, reset_at_sentence_end=False)


def _last_cue(ctx: DocContext, start: int, end: int, reset_at_sentence_end: bool) -> tuple[int, Any] | None:
    """The last speech cue token between character offsets start and end, with its chunk index.
    With reset_at_sentence_end, a sentence end or closing quote mark forgets earlier cues."""
    hit = token_at(ctx, start)
    if hit is None:
        return None
    ci, tok = hit
    doc = ctx.chunks[ci].doc
    base = ctx.chunks[ci].offset
    last = None
    for t in doc[tok.i :]:
        if base + t.idx >= end:
            break
        if reset_at_sentence_end and (t.text in ".!?" or t.text in ('"', "”")):
            last = None
        elif _is_cue(t):
            last = t
    return (ci, last) if last is not None else None


def _speaker(ctx: DocContext, ci: int, cue: Any, qs: int, qe: int) -> int | None:
    subj = subject_of(cue)
    if subj is not None and not (qs <= ctx.tstart(ci, subj) < qe):
        return mention_for(ctx, ci, subj)
    # inverted order without a parsed subject: "... ," said the senator Smith.
    for t in cue.doc[cue.i + 1 : cue.i + 5]:
        if t.pos_ in ("PROPN", "PRON") and not (qs <= ctx.tstart(ci, t) < qe):
            return mention_for(ctx, ci, t)
        if t.is_punct:
            break
    return None


def _indirect(ctx: DocContext, marks: list[tuple[int, int]]) -> list[Quote]:
    out = []
    for sent in ctx.sents:
        ci = sent.chunk
        for tok in sent.span:
            pos = ctx.tstart(ci, tok)
            if ctx.in_quote(pos):
                continue
            if tok.lower_ == "according":
                q = _according(ctx, ci, tok, sent, marks)
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in INDIRECT_CUES:
                q = _reported(ctx, ci, tok, marks)
            else:
                q = None
            if q is not None:
                out.append(q)
    return out


def _overlaps(marks: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in marks)


def _reported(ctx: DocContext, ci: int, verb: Any, marks: list[tuple[int, int]]) -> Quote | None:
    comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if comp is None:
        return None
    tokens = [t for t in comp.subtree if t.i > verb.i]
    if tokens and tokens[0].lower_ == "that":
        tokens = tokens[1:]
    if len(tokens) < 4:
        return None
    subj = subject_of(verb)
    if subj is not None and subj.lower_ in ("i", "we", "you", "one"):
        return None  # the author's own voice ("we can safely say that"), not a quoted source
    s, e = ctx.tstart(ci, tokens[0]), ctx.tend(ci, tokens[-1])
    if _overlaps(marks, s, e):
        return None
    speaker = mention_for(ctx, ci, subj) if subj is not None else None
    return Quote(Span(ctx.doc_id, s, e, ctx.text[s:e]), speaker, verb.text, False)


def _according(ctx: DocContext, ci: int, tok: Any, sent: Any, marks: list[tuple[int, int]]) -> Quote | None:
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if to is None and nxt is not None and nxt.lower_ == "to":
        to = nxt
    if to is None:
        return None
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    phrase_end = max(t.i for t in tok.subtree) if source is None else max(t.i for t in source.subtree)
    doc = tok.doc
    if tok.i == sent.span.start or (
        tok.i - 1 >= sent.span.start and doc[tok.i - 1].is_punct and tok.i - 1 == sent.span.start
    ):
        first = phrase_end + 1
        while first < sent.span.end and doc[first].is_punct:
            first += 1
        last = sent.span.end - 1
    else:
        first, last = sent.span.start, tok.i - 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last - first < 3:
        return None
    s, e = ctx.tstart(ci, doc[first]), ctx.tend(ci, doc[last])
    if _overlaps(marks, s, e):
        return None
    speaker = mention_for(ctx, ci, source, create=False) if source is not None else None
    return Quote(Span(ctx.doc_id, s, e, ctx.text[s:e]), speaker, "according to", False)

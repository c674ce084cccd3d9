"""Attribution: who says what, in articles and in sources alike.

One model (see `spans`, `model`, `resolve`): for each attribution, the content, the cue and the
source spans as PolNeAR annotates them; direct, indirect and mixed quotes; cues before, after
or inside the quote. The source is then resolved inside the document to the named person it
stands for (a pronoun, "Ms. Doe", "the ambassador"), and across documents by entity resolution
(the speaker is a mention, so it gets the entity of its cluster). `embedded` marks the origin
of text inside text (pasted stories, quoted history) so that narration is nobody's statement.

`casegraph eval polnear` measures it on PolNeAR dev; scripts/fit_attribution.py fits it on
PolNeAR train.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casegraph.analyze.attribution.find import attributions
from casegraph.analyze.attribution.resolve import Query, genders, name_gender, query_for
from casegraph.analyze.attribution.resolve import resolve as resolve_speaker
from casegraph.analyze.attribution.spans import SPEECH, Candidate
from casegraph.analyze.context import DocContext
from casegraph.analyze.entities import TITLES

FIRST_PERSON = frozenset({"i", "we", "me", "us"})


@dataclass
class Attributed:
    """A kept attribution with the named person its source resolves to."""

    candidate: Candidate
    speaker: int | None  # local mention index
    how: str  # name | pronoun | description | first-person | "" (none)

    @property
    def statement(self) -> bool:
        """Whether it reports words (a quote, a speech verb, "according to"), not a belief
        or an intention ("wants to", "thinks"): statements are stored as quotes."""
        c = self.candidate
        if c.form in ("direct", "mixed") or c.how in (
            "according",
            "quote",
            "quote-joined",
            "quote-chain",
            "quote-nocue",
        ):
            return True
        return c.cue is not None and c.cue.lemma_.lower() in SPEECH


def attribute(ctx: DocContext) -> list[Attributed]:
    """Attributions of a document whose mentions are found and clustered and whose quote
    ranges are set (ctx.quote_ranges), with speakers resolved."""
    found = attributions(ctx)
    gender_of = genders(ctx)
    sources: set[str] = set()
    last = ""
    out = []
    for c in found:
        speaker, how = _speaker(ctx, c, sources, last, gender_of)
        if speaker is not None:
            m = ctx.mentions[speaker]
            key = m.cluster or m.text
            sources.add(key)
            last = key
            if gender_of.get(key, "u") == "u":  # a name first found as a source ("John Q.\nSmith")
                gender_of[key] = name_gender(m.text)
        out.append(Attributed(c, speaker, how))
    return out


def _speaker(
    ctx: DocContext, c: Candidate, sources: set[str], last: str, gender_of: dict[str, str]
) -> tuple[int | None, str]:
    tok = c.source_tok
    if tok is None:
        return None, ""
    ci = c.source_chunk if c.source_chunk >= 0 else c.chunk
    low = tok.lower_
    if low in FIRST_PERSON:
        return None, "first-person"
    k = ctx.mention_at(ci, tok)
    if k is not None and ctx.mentions[k].label in ("PERSON", "ORG", "NORP", "GPE"):
        return _whole_name(ctx, ci, tok, k), "name"
    q: Query | None = query_for(ctx, ci, tok)
    if q is not None:
        found = resolve_speaker(ctx, q, sources, last, gender_of)
        return found, ("pronoun" if q.kind == "pron" else "description") if found is not None else ""
    for child in tok.children:  # "Epstein associate" is not Epstein; "Smith" in "John Q. Smith" is
        if child.dep_ in ("compound", "flat") and child.i < tok.i and tok.pos_ == "PROPN":
            k = ctx.mention_at(ci, child)
            if k is not None:
                return _whole_name(ctx, ci, tok, k), "name"
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and not ctx.in_quote(ctx.tstart(ci, tok)):
        run = name_run(tok)
        k = ctx.add_mention(ci, run[0].i, run[-1].i + 1, "PERSON", "speaker")
        ctx.mentions[k].cluster = ""
        return k, "name"
    return None, ""


def name_run(tok: Any) -> list[Any]:
    """The capitalised proper nouns around a source token, also over a single line break
    ("John Q.\nSmith", which the parser may even split into two sentences)."""
    doc = tok.doc

    def name_like(t: Any) -> bool:
        return bool(t.pos_ == "PROPN" and t.text[:1].isupper())

    left = tok.i
    while left > 0:
        prev = doc[left - 1]
        if name_like(prev) and not prev.whitespace_.count("\n") > 1:
            left -= 1
        elif prev.is_space and prev.text.count("\n") == 1 and left >= 2 and name_like(doc[left - 2]):
            left -= 2
        else:
            break
    right = tok.i
    while right + 1 < len(doc) and name_like(doc[right + 1]) and doc[right + 1].dep_ in ("flat", "compound"):
        right += 1
    run = [t for t in doc[left : right + 1] if not t.is_space]
    while len(run) > 1 and run[0].lower_.rstrip(".") in TITLES:  # "President Tokayev" names Tokayev
        run = run[1:]
    return run


def _whole_name(ctx: DocContext, ci: int, tok: Any, k: int) -> int:
    """The mention of the whole name when the model cut it ("John Q." / "Smith" across a line
    break): a longer run of proper nouns around the source becomes one PERSON mention."""
    m = ctx.mentions[k]
    if m.label != "PERSON" or m.chunk != ci:
        return k
    run = name_run(tok)
    if len(run) < 2:
        return k
    ti, tj = run[0].i, run[-1].i + 1
    if ti >= m.ti and tj <= m.tj:
        return k
    if any(
        (ctx.mention_at(ci, t) not in (None, k))
        and ctx.mentions[ctx.mention_at(ci, t) or 0].label != "PERSON"
        for t in run
    ):
        return k
    new = ctx.add_mention(ci, min(ti, m.ti), max(tj, m.tj), "PERSON", "speaker")
    ctx.mentions[new].cluster = ""
    return new


__all__ = ["Attributed", "attribute"]

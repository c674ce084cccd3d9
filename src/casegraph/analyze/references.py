"""From a token to the mention it stands for: the mention covering it, a pronoun or a definite
role ("the president") resolved to the one person it can clearly mean, or a capitalised name
the model missed. Shared by quotes, claims and relations."""

from __future__ import annotations

import bisect
from typing import Any

from casegraph.analyze.context import DocContext

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
ROLE_NOUNS = frozenset(
    [
        "president",
        "senator",
        "ambassador",
        "minister",
        "lobbyist",
        "spokesman",
        "spokeswoman",
        "chairman",
        "chairwoman",
        "official",
        "diplomat",
        "prosecutor",
        "lawyer",
        "attorney",
        "judge",
        "governor",
        "congressman",
        "congresswoman",
        "leader",
        "secretary",
        "director",
        "financier",
        "businessman",
        "billionaire",
        "banker",
    ]
)
SUBJECT_DEPS = ("nsubj", "nsubjpass")


def token_at(ctx: DocContext, pos: int) -> tuple[int, Any] | None:
    """(chunk index, token) of the token containing or starting after document offset pos."""
    offsets = [c.offset for c in ctx.chunks]
    ci = bisect.bisect_right(offsets, pos) - 1
    if ci < 0:
        return None
    doc = ctx.chunks[ci].doc
    local = pos - ctx.chunks[ci].offset
    starts = ctx.token_starts(ci)
    i = bisect.bisect_right(starts, local) - 1
    if i < 0 or not starts:
        return None
    tok = doc[i]
    if local >= tok.idx + len(tok) + len(tok.whitespace_):
        i += 1  # pos falls in the gap after a token: the next one
        if i >= len(doc):
            return None
        tok = doc[i]
    return ci, tok


def subject_of(verb: Any) -> Any | None:
    """The grammatical subject of a verb, borrowed from the verb it depends on for open
    clauses and coordinations ("..., wishing for" / "flew ... then met")."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head  # "Massimov, who served ..." -> Massimov
                return child
        if verb.dep_ == "advcl" and verb.tag_ == "VBG":
            # "Aliyev sought support ..., wishing for": the participle's subject is the one of
            # the clause it follows, whatever the parser hung it on
            for t in reversed(list(verb.doc[verb.sent.start : verb.i])):
                if t.dep_ in SUBJECT_DEPS and t.head.pos_ in ("VERB", "AUX"):
                    return t
        if verb.dep_ in ("xcomp", "advcl", "conj", "dep", "relcl", "acl") and verb.head is not verb:
            if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
                return verb.head  # "Massimov, who served as ..." -> Massimov
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def mention_for(ctx: DocContext, ci: int, tok: Any, create: bool = True) -> int | None:
    """Local mention index for a token, resolving pronouns and definite roles when clear."""
    k = ctx.mention_at(ci, tok)
    if k is not None:
        return k
    for child in tok.children:
        if child.dep_ in ("compound", "flat") and child.i < tok.i:
            k = ctx.mention_at(ci, child)
            # "Epstein associate" names the associate, not Epstein: only names compound into names
            if k is not None and (
                tok.pos_ == "PROPN" or (ctx.mentions[k].label == "PERSON" and tok.pos_ != "NOUN")
            ):
                return k
    low = tok.lower_
    pos = ctx.tstart(ci, tok)
    if tok.pos_ == "PRON" and low in PERSON_PRONOUNS:
        return resolve_person_before(ctx, pos)
    if tok.pos_ == "NOUN" and low in ROLE_NOUNS and any(c.lower_ in ("the", "this") for c in tok.children):
        return resolve_person_before(ctx, pos)
    if create and tok.pos_ == "PROPN" and tok.text[:1].isupper() and not ctx.in_quote(pos):
        ti = tok.i
        while (
            ti > 0
            and tok.doc[ti - 1].pos_ == "PROPN"
            and tok.doc[ti - 1].dep_ in ("compound", "flat")
            and ctx.mention_at(ci, tok.doc[ti - 1]) is None
        ):
            ti -= 1
        k = ctx.add_mention(ci, ti, tok.i + 1, "PERSON", "speaker")
        ctx.mentions[k].cluster = ""
        return k
    return None


def resolve_person_before(ctx: DocContext, pos: int, window: int = 2) -> int | None:
    """The person a pronoun or role at `pos` clearly refers to: the nearest sentence (this one
    before pos, then up to `window` earlier) that names persons must name exactly one, or
    exactly one as a grammatical subject. Otherwise None: no guess."""
    si = ctx.sentence_index(pos)
    if si is None:
        return None
    for back in range(0, window + 1):
        if si - back < 0:
            break
        sent = ctx.sents[si - back]
        found: dict[str, tuple[int, bool]] = {}
        for tok in sent.span:
            if back == 0 and ctx.tstart(sent.chunk, tok) >= pos:
                break
            k = ctx.mention_at(sent.chunk, tok)
            if k is None or ctx.mentions[k].label != "PERSON":
                continue
            m = ctx.mentions[k]
            key = m.cluster or m.text
            is_subject = tok.dep_ in SUBJECT_DEPS or (
                tok.head.dep_ in SUBJECT_DEPS and tok.dep_ in ("compound", "flat")
            )
            if key not in found or is_subject:
                found[key] = (k, is_subject or found.get(key, (0, False))[1])
        if not found:
            continue
        if len(found) == 1:
            return next(iter(found.values()))[0]
        subjects = [k for k, subj in found.values() if subj]
        return subjects[0] if len(subjects) == 1 else None
    return None

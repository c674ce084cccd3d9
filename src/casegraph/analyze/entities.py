"""Mentions: the model's entities, corrected where the document itself tells better, and
grouped into document-local clusters (surname mentions attach to the full name).

Corrections, in order: titles are trimmed off person names ("Mr. Aliyev" -> "Aliyev"); an ORG
entity that contains names the document uses elsewhere is split into them; a name that is a
PERSON elsewhere in the document is a PERSON wherever it appears alone; single-word ORG
modifiers that look like demonyms ("Kazakh officials") are NORP; ORGs cut short before
"and ... Affairs" are extended; occurrences of known names the model missed are added; a
capitalised name after a title or role ("lobbyist Rahall") is a PERSON.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from casegraph.analyze.context import DocContext, M

# Words that may precede a person's name without being part of it.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "president",
        "vice",
        "prime",
        "minister",
        "chairman",
        "chairwoman",
        "chair",
        "ambassador",
        "secretary",
        "general",
        "judge",
        "justice",
        "attorney",
        "lawyer",
        "lobbyist",
        "director",
        "ceo",
        "chief",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "emir",
        "mayor",
        "congressman",
        "congresswoman",
        "officer",
        "agent",
        "detective",
        "spokesman",
        "spokeswoman",
        "former",
        "late",
        "deputy",
        "assistant",
        "colonel",
        "col",
        "capt",
        "captain",
        "lt",
        "sgt",
        "gen",
        "adm",
        "rev",
        "father",
        "pastor",
        "rabbi",
        "imam",
        "dean",
        "businessman",
        "financier",
        "billionaire",
        "banker",
        "journalist",
        "reporter",
        "editor",
        "writer",
        "author",
        "producer",
        "actor",
        "actress",
        "diplomat",
        "official",
        "envoy",
        "consul",
        "commissioner",
        "chancellor",
        "premier",
        "speaker",
        "leader",
        "founder",
        "partner",
        "owner",
        "publicist",
        "adviser",
        "advisor",
        "counsel",
        "aide",
        "host",
        "professor",
        "scientist",
        "economist",
        "investor",
        "tycoon",
        "oligarch",
        "pilot",
        "architect",
    ]
)
SKIP_LABELS = frozenset({"CARDINAL", "ORDINAL"})  # numbers without a unit name nothing
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
)
_RELABEL_TO_PERSON = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "GPE", "EVENT", "LAW"})
_DEMONYM = re.compile(r"(?:ian|ean|can|ish|ese|kh|zi|ki|li|ni|ic)$")
_POSSESSIVE = ("'s", "’s", "'", "’")


def norm(text: str) -> str:
    """Comparable form of a name: lower case, no possessive, no dots, single spaces."""
    text = text.strip()
    for suffix in _POSSESSIVE:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    return " ".join(text.replace(".", "").lower().split())


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", norm(text)).strip("-") or "x"


def find_mentions(ctx: DocContext) -> None:
    """Fill ctx.mentions from the parsed chunks, correct them and cluster them."""
    for ci, chunk in enumerate(ctx.chunks):
        for ent in chunk.doc.ents:
            if ent.label_ in SKIP_LABELS:
                continue
            ti, tj = _trim(ent, ent.label_)
            if tj <= ti:
                continue
            doc = chunk.doc
            start, end = ctx.tstart(ci, doc[ti]), ctx.tend(ci, doc[tj - 1])
            ctx.mentions.append(M(start, end, ctx.text[start:end], ent.label_, ci, ti, tj))
    ctx.index_mentions()
    _drop_heading_names(ctx)
    _relabel(ctx)
    _split_compounds(ctx)
    _relabel(ctx)
    _extend_orgs(ctx)
    ctx.index_mentions()
    _add_missed(ctx)
    ctx.mentions = [m for m in ctx.mentions if not m.dropped or m.chunk < 0]
    ctx.mentions.sort(key=lambda m: (m.start, -m.end))
    ctx.index_mentions()
    cluster(ctx)


def _trim(span: Any, label: str) -> tuple[int, int]:
    """Token range of an entity without leading titles (persons), articles and possessives."""
    ti, tj = span.start, span.end
    doc = span.doc
    if label == "PERSON":
        while tj - ti > 1 and doc[ti].lower_.rstrip(".") in TITLES:
            ti += 1
    while tj - ti > 1 and doc[tj - 1].text in _POSSESSIVE:
        tj -= 1
    if tj > ti and doc[tj - 1].text.endswith(("’s", "'s")) and len(doc[tj - 1]) > 2:
        pass  # tokenizer kept the possessive attached: leave the span, norm() strips it
    while tj > ti and not doc[tj - 1].text.strip(" -—–,;:"):
        tj -= 1
    return ti, tj


def _is_heading(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    words = line.split()
    return (
        0 < len(words) <= 8
        and not line.endswith((".", ",", ";", ":", '"', "”"))
        and all(
            w[:1].isupper() or not w[:1].isalpha() or w in {"of", "the", "and", "in", "for", "a", "to", "on"}
            for w in words
        )
    )


def _drop_heading_names(ctx: DocContext) -> None:
    """Title-case headlines fool the model ("Unexpected Findings" as a PERSON): a PERSON or ORG
    that is a whole heading line, whose text the document never repeats, is dropped."""
    seen = Counter(norm(m.text) for m in ctx.mentions)
    for m in ctx.mentions:
        if (
            m.chunk >= 0
            and m.label in ("PERSON", "ORG")
            and seen[norm(m.text)] == 1
            and _is_heading(ctx.text, m.start, m.end)
        ):
            line_start = ctx.text.rfind("\n", 0, m.start) + 1
            line_end = ctx.text.find("\n", m.end)
            line = ctx.text[line_start : line_end if line_end >= 0 else len(ctx.text)]
            if norm(line) == norm(m.text):  # the whole line is the "name"
                m.dropped = True


def _known_names(ctx: DocContext) -> dict[str, str]:
    """Names the document itself establishes: multi-word names by majority label, with PERSON
    winning for any name the model calls a PERSON at least once."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in ctx.mentions:
        if not m.dropped and m.label in NAME_LABELS:
            votes[norm(m.text)][m.label] += 1
    known = {}
    for name, counter in votes.items():
        label = "PERSON" if counter["PERSON"] and len(name.split()) > 1 else counter.most_common(1)[0][0]
        known[name] = label
    return known


def _split_compounds(ctx: DocContext) -> None:
    """An entity that contains a name used elsewhere in the document with another label
    ("Kazakhstan Kassym-Jomart Tokayev" as one ORG) is replaced by the names it contains."""
    known = _known_names(ctx)
    added: list[M] = []
    for m in ctx.mentions:
        if m.dropped or m.chunk < 0 or m.tj - m.ti < 2 or m.label not in NAME_LABELS or m.label == "PERSON":
            continue
        doc = ctx.chunks[m.chunk].doc
        tokens = [doc[i] for i in range(m.ti, m.tj)]
        parts = []
        i = 0
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                if (i, j) == (0, len(tokens)):
                    continue
                name = norm(doc[m.ti + i : m.ti + j].text)
                label = known.get(name)
                if label and name != norm(m.text) and (label != m.label or j - i > 1):
                    parts.append((m.ti + i, m.ti + j, label))
                    i = j - 1
                    break
            i += 1
        covered = sum(b - a for a, b, _ in parts)
        if parts and (covered > (m.tj - m.ti) / 2 or _is_heading(ctx.text, m.start, m.end)):
            m.dropped = True
            for a, b, label in parts:
                start, end = ctx.tstart(m.chunk, doc[a]), ctx.tend(m.chunk, doc[b - 1])
                added.append(M(start, end, ctx.text[start:end], label, m.chunk, a, b, source="doc"))
    ctx.mentions.extend(added)


def _relabel(ctx: DocContext) -> None:
    persons_full = set()
    surnames: Counter[str] = Counter()
    for m in ctx.mentions:
        if not m.dropped and m.label == "PERSON":
            words = norm(m.text).split()
            if len(words) > 1:
                persons_full.add(" ".join(words))
                surnames[words[-1]] += 1
    for m in ctx.mentions:
        if m.dropped or m.chunk < 0:
            continue
        n = norm(m.text)
        if m.label in _RELABEL_TO_PERSON and (n in persons_full or n in surnames):
            if m.label == "GPE" and not _person_like_role(ctx, m):
                continue
            m.label = "PERSON"
        elif m.label == "ORG" and m.tj - m.ti == 1:
            tok = ctx.chunks[m.chunk].doc[m.ti]
            if (
                tok.dep_ in ("amod", "compound")
                and tok.head.pos_ == "NOUN"
                and tok.head.text.islower()
                and not tok.text.isupper()
                and _DEMONYM.search(tok.text.lower())
            ):
                m.label = "NORP"


def _person_like_role(ctx: DocContext, m: M) -> bool:
    """A GPE-labelled surname acting as a person: subject, possessor, agent."""
    root = ctx.chunks[m.chunk].doc[m.tj - 1]
    return root.dep_ in ("nsubj", "nsubjpass", "poss", "appos") or (
        root.dep_ == "pobj" and root.head.lower_ in ("by", "with", "between")
    )


def _extend_orgs(ctx: DocContext) -> None:
    """ "the Bureau of South" + "and Central Asian Affairs": extend an ORG over a capitalised
    coordination that ends in a capitalised noun, when the model cut it short."""
    for m in ctx.mentions:
        if m.dropped or m.label != "ORG" or m.chunk < 0:
            continue
        doc = ctx.chunks[m.chunk].doc
        j = m.tj
        if j < len(doc) and doc[j].lower_ == "and":
            k = j + 1
            while k < len(doc) and doc[k].text[:1].isupper() and doc[k].pos_ in ("PROPN", "ADJ", "NOUN"):
                other = ctx.mention_at(m.chunk, doc[k])
                if other is not None and ctx.mentions[other].label == "PERSON":
                    break
                k += 1
            if k > j + 1 and doc[k - 1].pos_ in ("NOUN", "PROPN") and doc[k - 1].text[:1].isupper():
                for i in range(j, k):
                    other = ctx.mention_at(m.chunk, doc[i])
                    if other is not None and ctx.mentions[other] is not m:
                        ctx.mentions[other].dropped = True
                m.tj = k
                m.end = ctx.tend(m.chunk, doc[k - 1])
                m.text = ctx.text[m.start : m.end]


def _add_missed(ctx: DocContext) -> None:
    """Occurrences of the document's person names that the model missed, and capitalised
    names right after a title or role word."""
    surnames, fulls = set(), {}
    for m in ctx.mentions:
        if not m.dropped and m.label == "PERSON":
            words = norm(m.text).split()
            fulls[" ".join(words)] = len(words)
            if len(words) > 1:
                surnames.add(words[-1])
    for ci, chunk in enumerate(ctx.chunks):
        doc = chunk.doc
        for tok in doc:
            if (ci, tok.i) in ctx.token_mention or not tok.text[:1].isupper():
                continue
            if tok.lower_ in surnames and tok.pos_ == "PROPN":
                ctx.add_mention(ci, tok.i, tok.i + 1, "PERSON", "doc")
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if (
                prev is not None
                and prev.lower_.rstrip(".") in TITLES
                and tok.pos_ == "PROPN"
                and tok.lower_.rstrip(".") not in TITLES
                and not _is_heading(ctx.text, ctx.tstart(ci, tok), ctx.tend(ci, tok))
            ):
                j = tok.i + 1
                while (
                    j < len(doc)
                    and doc[j].pos_ == "PROPN"
                    and (ci, j) not in ctx.token_mention
                    and doc[j].text[:1].isupper()
                    and doc[j].lower_ not in TITLES
                ):
                    j += 1
                ctx.add_mention(ci, tok.i, j, "PERSON", "role")


def cluster(ctx: DocContext) -> None:
    """Group mentions of one thing: persons by full name (surnames and first names attach to
    the one full name they fit; an ambiguous surname keeps its own cluster), other names by
    their normalised text."""
    fulls: dict[str, list[str]] = {}
    for m in ctx.mentions:
        if m.label == "PERSON":
            key = norm(m.text)
            if key.count(",") == 1:
                last, first = (p.strip() for p in key.split(","))
                key = f"{first} {last}"
            words = key.split()
            if len(words) > 1:
                fulls.setdefault(" ".join(words), words)
    # variants of one full name ("Richard E." / "Richard Evans") share the longest form
    canonical: dict[str, str] = {}
    for name, words in sorted(fulls.items(), key=lambda kv: -len(kv[0])):
        for other in canonical.values():
            ow = fulls[other]
            if ow[-1] == words[-1] and (
                ow[0] == words[0] or (ow[0][0] == words[0][0] and len(words[0]) <= 2)
            ):
                canonical[name] = other
                break
        else:
            canonical[name] = name
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for name, canon in canonical.items():
        by_last[fulls[name][-1]].add(canon)
        by_first[fulls[name][0]].add(canon)
    for m in ctx.mentions:
        key = norm(m.text)
        if m.label == "PERSON" and key.count(",") == 1:  # "Ens, Amanda" (e-mail headers) -> "amanda ens"
            last, first = (p.strip() for p in key.split(","))
            key = f"{first} {last}".strip()
        if m.label == "PERSON":
            words = key.split()
            if len(words) > 1:
                target = canonical.get(key, key)
            elif len(by_last.get(key, ())) == 1:
                target = next(iter(by_last[key]))
            elif not by_last.get(key) and len(by_first.get(key, ())) == 1:
                target = next(iter(by_first[key]))
            else:
                target = key
            m.cluster = "person-" + slug(target)
        else:
            m.cluster = _group(m.label) + "-" + slug(m.text)


def _group(label: str) -> str:
    return {"GPE": "place", "LOC": "place", "FAC": "place"}.get(label, label.lower())

"""Typed relations between mentions, read off the dependency structure of each sentence, with
the predicate text, the sentence as evidence, negation and hedging. Co-occurrence in a
sentence is recorded apart, as `mentioned_with` with a count, never as a typed relation.

Trigger words name the kind: family nouns ("son-in-law of"), role nouns ("Chairman of",
"served as"), meeting verbs and nouns ("met with", "talks with"), hiring, lobbying, payment
verbs (with a MONEY mention), conflict and association words, and writing to someone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from casegraph.analyze.claims import cue_spans
from casegraph.analyze.context import DocContext, Sent
from casegraph.analyze.references import mention_for, subject_of
from casegraph.lexicon import FAMILY_NOUNS
from casegraph.models import Relation, Span

FAMILY = FAMILY_NOUNS  # kinship nouns (casegraph.lexicon)
ROLE = frozenset(
    [
        "president",
        "chairman",
        "chairwoman",
        "chair",
        "head",
        "director",
        "ceo",
        "founder",
        "co-founder",
        "cofounder",
        "minister",
        "ambassador",
        "secretary",
        "senator",
        "governor",
        "member",
        "spokesman",
        "spokeswoman",
        "adviser",
        "advisor",
        "lawyer",
        "attorney",
        "counsel",
        "officer",
        "official",
        "employee",
        "executive",
        "manager",
        "owner",
        "chief",
        "leader",
        "commander",
        "prosecutor",
        "judge",
        "mayor",
        "agent",
        "representative",
        "envoy",
        "consul",
        "deputy",
        "treasurer",
        "trustee",
        "professor",
        "editor",
        "principal",
        "shareholder",
        "investor",
        "chancellor",
        "premier",
        "king",
        "queen",
        "prince",
        "emir",
        "sheikh",
        "general",
    ]
)
MET_VERBS = frozenset({"meet", "visit", "host", "dine", "receive"})
MET_NOUNS = frozenset(
    {"talks", "talk", "meeting", "meetings", "dinner", "lunch", "visit", "summit", "negotiations"}
)
HIRED_VERBS = frozenset({"hire", "employ", "retain", "recruit", "engage", "appoint"})
LOBBY_VERBS = frozenset({"lobby"})
PAY_VERBS = frozenset(
    {"pay", "transfer", "wire", "send", "donate", "give", "lend", "loan", "fund", "finance", "bribe"}
)
CONFLICT_VERBS = frozenset(
    {
        "sue",
        "accuse",
        "attack",
        "oppose",
        "fight",
        "discredit",
        "persecute",
        "threaten",
        "blackmail",
        "criticize",
        "criticise",
        "arrest",
        "prosecute",
        "denounce",
        "betray",
        "defeat",
        "imprison",
        "jail",
    }
)
CONFLICT_NOUNS = frozenset(
    {"conflict", "dispute", "confrontation", "feud", "rivalry", "lawsuit", "war", "fight", "battle", "clash"}
)
ASSOC_VERBS = frozenset({"cooperate", "partner", "collaborate", "befriend", "ally", "associate", "work"})
ASSOC_NOUNS = frozenset(
    {
        "cooperation",
        "partnership",
        "partner",
        "associate",
        "ally",
        "friend",
        "friendship",
        "ties",
        "collaboration",
        "business",
        "deal",
        "alliance",
        "connection",
        "connections",
        "relationship",
        "relationships",
        "contacts",
    }
)
COMM_VERBS = frozenset(
    {
        "write",
        "email",
        "e-mail",
        "call",
        "phone",
        "text",
        "message",
        "contact",
        "inform",
        "tell",
        "correspond",
        "cable",
    }
)

TARGET_LABELS = {
    "family": {"PERSON"},
    "role": {"ORG", "GPE", "NORP", "LOC", "FAC"},
    "met": {"PERSON", "ORG", "GPE"},
    "hired": {"PERSON", "ORG"},
    "lobbied": {"PERSON", "ORG", "GPE"},
    "paid": {"PERSON", "ORG"},
    "conflict": {"PERSON", "ORG", "GPE", "NORP"},
    "associate": {"PERSON", "ORG"},
    "communicated": {"PERSON", "ORG"},
}
HOLDER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
CO_OCCURRENCE_LABELS = ("PERSON", "ORG", "GPE")


def family_word(tok: Any) -> str | None:
    """ "son" + "-in-law" (split by the tokenizer) -> "son-in-law"; plain family nouns as is."""
    low: str = tok.lower_
    if low in FAMILY:
        doc = tok.doc
        tail = "".join(t.text for t in doc[tok.i + 1 : tok.i + 5])
        if tail == "-in-law" or tail.startswith("-in-law"):
            return low + "-in-law"
        return low
    if low.endswith("-in-law"):
        return low
    return None


def find_relations(ctx: DocContext) -> list[Relation]:
    out: list[Relation] = []
    seen: set[tuple[Any, ...]] = set()
    for sent in ctx.sents:
        hedged = bool(cue_spans(ctx, sent)[0])
        for rel in _sentence_relations(ctx, sent):
            kind, subj, obj, predicate, conf, negated, extra = rel
            if subj is None or obj is None or subj == obj:
                continue
            sm, om = ctx.mentions[subj], ctx.mentions[obj]
            if (sm.cluster and sm.cluster == om.cluster) or sm.text == om.text:
                continue
            if sm.label not in HOLDER_LABELS or om.label not in TARGET_LABELS[kind]:
                continue
            key = (kind, sm.cluster or sm.text, om.cluster or om.text, sent.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Relation(
                    subject_mention=subj,
                    object_mention=obj,
                    kind=kind,
                    predicate=predicate,
                    evidence=Span(ctx.doc_id, sent.start, sent.end, ctx.text[sent.start : sent.end]),
                    confidence=conf,
                    negated=negated,
                    hedged=hedged,
                    meta=extra,
                )
            )
    return out


Rel = tuple[str, int | None, int | None, str, float, bool, dict[str, Any]]


def _sentence_relations(ctx: DocContext, sent: Sent) -> Iterator[Rel]:
    ci = sent.chunk
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        fam = family_word(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if fam:
            yield from _noun_relation(ctx, ci, tok, "family", fam)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in ROLE:
            yield from _noun_relation(ctx, ci, tok, "role", tok.text)
        elif tok.pos_ == "NOUN" and tok.lower_ in MET_NOUNS:
            yield from _noun_relation(ctx, ci, tok, "met", tok.text, preps=("with", "between"))
        elif tok.pos_ == "NOUN" and tok.lower_ in CONFLICT_NOUNS:
            yield from _noun_relation(
                ctx, ci, tok, "conflict", tok.text, preps=("with", "between", "against")
            )
        elif tok.pos_ == "NOUN" and tok.lower_ in ASSOC_NOUNS:
            yield from _noun_relation(
                ctx, ci, tok, "associate", tok.text, preps=("with", "between", "of"), confidence=0.5
            )
        elif tok.pos_ == "VERB":
            if lemma in MET_VERBS:
                yield from _verb_relation(ctx, ci, tok, "met", preps=("with",))
            elif lemma in HIRED_VERBS:
                yield from _verb_relation(ctx, ci, tok, "hired", preps=())
            elif lemma in LOBBY_VERBS:
                yield from _verb_relation(ctx, ci, tok, "lobbied", preps=("for", "on"))
            elif lemma in PAY_VERBS:
                yield from _payment(ctx, ci, tok)
            elif lemma in CONFLICT_VERBS:
                yield from _verb_relation(ctx, ci, tok, "conflict", preps=("against",))
            elif lemma in ASSOC_VERBS and any(c.lower_ == "with" for c in tok.children):
                yield from _verb_relation(ctx, ci, tok, "associate", preps=("with",))
            elif lemma in COMM_VERBS:
                yield from _verb_relation(
                    ctx, ci, tok, "communicated", preps=("to",), direct_object=lemma != "write"
                )
            elif lemma in ("serve", "work", "act", "appoint", "name", "elect") and tok.dep_ != "amod":
                yield from _serve_as(ctx, ci, tok)
            elif lemma in ("chair", "head", "lead", "run", "found"):
                yield from _verb_relation(ctx, ci, tok, "role", preps=(), predicate=tok.text)
    yield from _surface_roles(ctx, sent)


def _negated(tok: Any) -> bool:
    return any(
        c.dep_ == "neg" or c.lower_ in ("never", "not", "n't")
        for c in list(tok.children) + list(tok.head.children if tok.dep_ in ("xcomp", "pobj") else [])
    )


def _expand(tok: Any) -> list[Any]:
    """A token and the tokens coordinated with it ("X and Y")."""
    return [tok, *tok.conjuncts] if tok is not None else []


def _objects(ctx: DocContext, ci: int, heads: list[Any]) -> list[int]:
    found = []
    for head in heads:
        for t in _expand(head):
            k = mention_for(ctx, ci, t, create=False)
            if k is None and t.pos_ in ("NOUN", "NUM", "PRON"):
                # "two of the richest people in Kazakhstan, Kenes Rakishev and Karim Massimov":
                # names set beside a description, not the places inside it ("in Kazakhstan")
                for a in t.subtree:
                    if a.dep_ in ("appos", "conj") and a.pos_ == "PROPN":
                        k2 = ctx.mention_at(ci, a)
                        if k2 is not None and k2 not in found:
                            found.append(k2)
                continue
            if k is not None:
                found.append(k)
    return [k for k in found if k is not None]


def _pobjs(tok: Any, preps: tuple[str, ...]) -> list[Any]:
    out = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            out += [g for g in child.children if g.dep_ == "pobj"]
    return out


def _holder(ctx: DocContext, ci: int, noun: Any, kind: str) -> tuple[int | None, float]:
    """Who holds a family tie, role or relationship named by a noun."""
    for child in noun.children:
        if child.dep_ == "poss":
            return mention_for(ctx, ci, child, create=False), 0.8
    # "Aliyev, a former official and son-in-law of Nazarbayev"
    t = noun
    while t.dep_ == "conj" and t.head is not t and t.head.pos_ in ("NOUN", "PROPN"):
        t = t.head
    if t.dep_ == "appos":
        return mention_for(ctx, ci, t.head, create=False), 0.85
    for child in noun.children:  # "his son-in-law, Rakhat Aliyev"
        if child.dep_ == "appos":
            return mention_for(ctx, ci, child, create=False), 0.8
    if noun.dep_ in ("compound", "nmod") and noun.head.pos_ == "PROPN":  # "Chairman Massimov"
        return mention_for(ctx, ci, noun.head, create=False), 0.75
    if t.dep_ in ("attr", "oprd") and t.head.pos_ in ("AUX", "VERB"):  # "X is the son of Y"
        subj = subject_of(t.head)
        return (mention_for(ctx, ci, subj, create=False) if subj is not None else None), 0.8
    if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.pos_ in ("VERB", "AUX"):
        subj = subject_of(t.head.head)
        return (mention_for(ctx, ci, subj, create=False) if subj is not None else None), 0.8
    if kind == "role":
        return None, 0.0  # a role needs its holder in the same phrase, not a clause's subject
    if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX"):
        # "... includes lobbying ..., receiving ..., as well as cooperation with X"
        subj = subject_of(t.head)
        if subj is not None:
            return _subject_or_owner(ctx, ci, subj), 0.55
    if t.dep_ in ("dobj", "pobj"):
        # "flew to China for talks with Xi" / "track record includes ... cooperation with ..."
        verb = t.head.head if t.dep_ == "pobj" else t.head
        hops = 0
        while verb.dep_ in ("prep", "pobj") and hops < 4:
            verb = verb.head
            hops += 1
        if verb.pos_ in ("VERB", "AUX"):
            subj = subject_of(verb)
            if subj is not None:
                return _subject_or_owner(ctx, ci, subj), 0.6
    return None, 0.0


def _subject_or_owner(ctx: DocContext, ci: int, subj: Any) -> Any:
    """The mention of a clause's subject, else of its possessor ("Hunter Biden's track record")."""
    found = mention_for(ctx, ci, subj, create=False)
    if found is None:
        owner = next((c for c in subj.children if c.dep_ == "poss"), None)
        if owner is not None:
            found = mention_for(ctx, ci, owner, create=False)
    return found


def _noun_relation(
    ctx: DocContext,
    ci: int,
    noun: Any,
    kind: str,
    predicate: str,
    preps: tuple[str, ...] = ("of", "to", "for", "at"),
    confidence: float = 0.8,
) -> Iterator[Rel]:
    targets = _pobjs(noun, preps)
    # "son-in-law of X": the tokenizer hangs "of" on "law"
    if kind == "family" and predicate.endswith("-in-law"):
        law = next((t for t in noun.doc[noun.i : noun.i + 5] if t.lower_ == "law"), None)
        if law is not None:
            targets += _pobjs(law, preps)
    between = [t for t in targets if t.head.lower_ == "between"]
    objects = _objects(ctx, ci, targets)
    if kind == "role":
        objects += [
            k
            for k in (
                mention_for(ctx, ci, c, create=False)
                for c in noun.children
                if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i
            )
            if k is not None
        ]
    negated = _negated(noun)
    if between and len(objects) >= 2:  # "conflict between X and Y"
        for other in objects[1:]:
            yield kind, objects[0], other, predicate, confidence, negated, {}
        return
    if kind == "associate":
        # "the connections of X with Y": X holds the tie, Y is the partner
        owners = _objects(ctx, ci, _pobjs(noun, ("of",)))
        partners = _objects(ctx, ci, _pobjs(noun, ("with",)))
        if owners and partners:
            for obj in partners:
                yield kind, owners[0], obj, predicate, confidence, negated, {}
            return
        objects = [k for k in objects if k not in owners]
    holder, conf = _holder(ctx, ci, noun, kind)
    for obj in objects:
        yield kind, holder, obj, predicate, min(conf, confidence) if conf else 0.0, negated, {}


def _verb_relation(
    ctx: DocContext,
    ci: int,
    verb: Any,
    kind: str,
    preps: tuple[str, ...],
    direct_object: bool = True,
    predicate: str | None = None,
) -> Iterator[Rel]:
    subj_tok = subject_of(verb)
    if subj_tok is None:
        return
    subj = mention_for(ctx, ci, subj_tok, create=False)
    heads = [c for c in verb.children if c.dep_ in ("dobj", "dative") and direct_object] + _pobjs(verb, preps)
    pred = predicate or " ".join(
        [verb.text, *[c.text for c in verb.children if c.dep_ == "prep" and c.lower_ in preps][:1]]
    )
    conf = 0.8 if subj_tok.pos_ != "PRON" else 0.65
    for obj in _objects(ctx, ci, heads):
        yield kind, subj, obj, pred, conf, _negated(verb), {}


def _payment(ctx: DocContext, ci: int, verb: Any) -> Iterator[Rel]:
    money = None
    for t in verb.subtree:
        k = ctx.mention_at(ci, t)
        if k is not None and ctx.mentions[k].label == "MONEY":
            money = k
            break
    if money is None:
        return
    subj_tok = subject_of(verb)
    if subj_tok is None:
        return
    subj = mention_for(ctx, ci, subj_tok, create=False)
    heads = [c for c in verb.children if c.dep_ in ("dative",)] + _pobjs(verb, ("to",))
    if verb.lemma_.lower() == "pay":
        heads += [c for c in verb.children if c.dep_ == "dobj" and ctx.mention_at(ci, c) != money]
    m = ctx.mentions[money]
    for obj in _objects(ctx, ci, heads):
        yield "paid", subj, obj, verb.text, 0.75, _negated(verb), {"amount": m.text, "amount_mention": money}


def _serve_as(ctx: DocContext, ci: int, verb: Any) -> Iterator[Rel]:
    """ "who served as Chairman of the National Security Committee" -> role."""
    for role in _pobjs(verb, ("as",)) + [c for c in verb.children if c.dep_ == "oprd"]:
        if role.lower_ not in ROLE:
            continue
        subj_tok = subject_of(verb) if verb.dep_ != "relcl" else verb.head
        if verb.dep_ == "relcl":
            subj_tok = verb.head
        elif any(c.dep_ == "nsubjpass" for c in verb.children):  # "X was appointed head of Y"
            subj_tok = next(c for c in verb.children if c.dep_ == "nsubjpass")
        if subj_tok is None:
            continue
        subj = mention_for(ctx, ci, subj_tok, create=False)
        for obj in _objects(ctx, ci, _pobjs(role, ("of", "at", "for", "to"))):
            yield "role", subj, obj, f"{verb.text} as {role.text}", 0.85, _negated(verb), {}


def _surface_roles(ctx: DocContext, sent: Sent) -> Iterator[Rel]:
    """Title strings the parser mangles: "[NORP|GPE] President [PERSON]" ("Russian President
    Vladimir Putin") and "President of [GPE|ORG] [PERSON]" ("former President of Kazakhstan
    Nursultan Nazarbayev")."""
    ci = sent.chunk
    doc = ctx.chunks[ci].doc
    for tok in sent.span:
        if tok.lower_ not in ROLE:
            continue
        before = ctx.mention_at(ci, doc[tok.i - 1]) if tok.i > sent.span.start else None
        after = ctx.mention_at(ci, doc[tok.i + 1]) if tok.i + 1 < sent.span.end else None
        if before is not None and after is not None and ctx.mentions[after].label == "PERSON":
            yield "role", after, before, tok.text, 0.7, False, {}
            continue
        # "Secretary of State for the Bureau of ... Affairs Donald Lu": follow "of/for ORG" links
        j = tok.i + 1
        orgs: list[int] = []
        while j < sent.span.end and doc[j].lower_ in ("of", "for", "to") and len(orgs) < 3:
            j += 1
            if j < sent.span.end and doc[j].lower_ == "the":
                j += 1
            org = ctx.mention_at(ci, doc[j]) if j < sent.span.end else None
            if org is None or ctx.mentions[org].label == "PERSON":
                break
            orgs.append(org)
            j = ctx.mentions[org].tj
        person = ctx.mention_at(ci, doc[j]) if orgs and j < sent.span.end else None
        if person is not None and ctx.mentions[person].label == "PERSON":
            for org in orgs:
                yield "role", person, org, f"{tok.text} {doc[tok.i + 1].text}", 0.7, False, {}


def co_occurrences(ctx: DocContext) -> list[Relation]:
    """One `mentioned_with` row per pair of things named in the same sentence, with the number
    of sentences in meta["count"] and their spans in meta["sentences"] (first 20)."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for sent in ctx.sents:
        firsts: dict[str, int] = {}
        for tok in sent.span:
            k = ctx.mention_at(sent.chunk, tok)
            if k is None:
                continue
            m = ctx.mentions[k]
            if m.label in CO_OCCURRENCE_LABELS and m.cluster and m.cluster not in firsts:
                firsts[m.cluster] = k
        keys = sorted(firsts)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                entry = pairs.setdefault(
                    (a, b), {"subj": firsts[a], "obj": firsts[b], "sent": sent, "spans": []}
                )
                entry["spans"].append([sent.start, sent.end])
    out = []
    for entry in pairs.values():
        sent = entry["sent"]
        out.append(
            Relation(
                subject_mention=entry["subj"],
                object_mention=entry["obj"],
                kind="mentioned_with",
                predicate="",
                evidence=Span(ctx.doc_id, sent.start, sent.end, ctx.text[sent.start : sent.end]),
                confidence=0.1,
                meta={"count": len(entry["spans"]), "sentences": entry["spans"][:20]},
            )
        )
    return out

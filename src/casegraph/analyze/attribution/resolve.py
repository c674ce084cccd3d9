"""In-document speaker resolution: from a source that is a pronoun ("she"), a title and surname
("Ms. Doe") or a description ("the ambassador", "the Kazakh leader") to the named person it
stands for.

Candidates are the person clusters named in the few sentences before the source. Each is scored
by a logistic model over features (how many sentences back, how many other persons were named
since, whether it was a grammatical subject or the source of an earlier attribution, how often
it was named, gender agreement from titles and pronouns, whether a description's noun stands
next to one of its names). The model is fitted on PolNeAR train by scripts/fit_attribution.py:
PolNeAR does not link pronouns to names, so it learns from named sources whose person was
named before, with the name hidden (the source must be found among the persons named before
it); it is stored as JSON (`models/speakers.json.gz`). Without it, the rule in
references.resolve_person_before is used.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from casegraph.analyze.attribution.model import LinearModel, load_model
from casegraph.analyze.context import DocContext
from casegraph.analyze.references import ROLE_NOUNS, SUBJECT_DEPS, resolve_person_before
from casegraph.lexicon import FAMILY_NOUNS

MODEL_FILE = "speakers.json.gz"
# nouns that describe a person ("the ambassador", "the Kazakh leader", "his widow"); "the
# correspondence" does not
PERSON_NOUNS = ROLE_NOUNS | frozenset(
    {
        "envoy",
        "candidate",
        "nominee",
        "tycoon",
        "oligarch",
        "magnate",
        "mayor",
        "king",
        "prince",
        "premier",
        "chancellor",
        "author",
        "reporter",
        "journalist",
        "columnist",
        "activist",
        "executive",
        "founder",
        "investor",
        "adviser",
        "advisor",
        "aide",
        "man",
        "woman",
        "victim",
        "witness",
        "defendant",
        "plaintiff",
        "accuser",
        "boss",
        "chief",
        "head",
        "commander",
        "general",
        "dictator",
        "strongman",
        "ruler",
        "president-elect",
        "representative",
        "congressman",
        "congresswoman",
    }
)
PERSON_NOUNS |= FAMILY_NOUNS  # kinship nouns, "the widow", "his son" (casegraph.lexicon)
WINDOW = 4  # sentences back
MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE_TITLES = re.compile(r"\b(?:Mr|Sir|Lord|King|Prince|Father)\.?\s*$")
_FEMALE_TITLES = re.compile(r"\b(?:Mrs|Ms|Miss|Madam|Lady|Queen|Princess)\.?\s*$")


@dataclass
class Query:
    pos: int  # document offset of the source
    kind: str  # pron | desc | name
    gender: str = "u"  # m | f | u
    noun: str = ""  # head noun of a description


@lru_cache(maxsize=2)
def packaged(name: str = MODEL_FILE) -> LinearModel | None:
    entry = resources.files("casegraph.analyze").joinpath("models").joinpath(name)
    if not entry.is_file():
        return None
    with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return load_model(json.load(fh))


def genders(ctx: DocContext) -> dict[str, str]:
    """Gender of each person cluster: from its titles and pronouns (`gender_votes`), else from
    its first name (a suffix model fitted on PolNeAR train) when that is clear."""
    out = gender_votes(ctx)
    names = packaged_names()
    if names is not None:
        for m in ctx.mentions:
            key = m.cluster or m.text
            if m.label == "PERSON" and not m.dropped and out.get(key, "u") == "u":
                out[key] = names.gender(_first_name(ctx, key))
    return out


def gender_votes(ctx: DocContext) -> dict[str, str]:
    """Gender of each person cluster, from titles before its names ("Ms. Doe") and from the
    pronouns of sentences that name it and no other person."""
    votes: dict[str, Counter[str]] = {}
    by_sent: dict[int, set[str]] = {}
    for m in ctx.mentions:
        if m.dropped or m.label != "PERSON" or m.chunk < 0:
            continue
        key = m.cluster or m.text
        before = ctx.text[max(0, m.start - 6) : m.start]
        v = votes.setdefault(key, Counter())
        if _MALE_TITLES.search(before):
            v["m"] += 3
        elif _FEMALE_TITLES.search(before):
            v["f"] += 3
        si = ctx.sentence_index(m.start)
        if si is not None:
            by_sent.setdefault(si, set()).add(key)
    for si, keys in by_sent.items():
        if len(keys) != 1:
            continue
        key = next(iter(keys))
        for sj in (si, si + 1):
            if sj >= len(ctx.sents):
                continue
            for tok in ctx.sents[sj].span:
                low = tok.lower_
                if low in MALE:
                    votes[key]["m"] += 1
                elif low in FEMALE:
                    votes[key]["f"] += 1
    out = {}
    for key, v in votes.items():
        if v:
            (g, n), *rest = [*v.most_common(2), ("u", 0)]
            out[key] = g if n > rest[0][1] else "u"
    return out


def name_gender(name: str) -> str:
    """m, f or u for a person's name, from its first word (the first-name model)."""
    names = packaged_names()
    words = [w for w in name.split() if w[:1].isupper() and not w.endswith(".")]
    return names.gender(words[0]) if names is not None and len(name.split()) >= 2 and words else "u"


def _first_name(ctx: DocContext, key: str) -> str:
    """The first word of the longest name of a cluster, when it has two words or more."""
    longest = max((m.text for m in ctx.mentions if (m.cluster or m.text) == key), key=len, default="")
    words = [w for w in longest.split() if w[:1].isupper() and not w.endswith(".")]
    return words[0] if len(words) >= 2 else ""


@dataclass
class NameGender:
    """Whether a first name is a woman's: a logistic model over its last letters, fitted on
    PolNeAR train persons whose pronouns and titles give their gender."""

    weights: dict[str, float]
    bias: float
    margin: float = 0.75

    def probability(self, name: str) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in name_features(name.lower()))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def gender(self, name: str) -> str:
        if len(name) < 2:
            return "u"
        p = self.probability(name)
        return "f" if p >= self.margin else ("m" if p <= 1 - self.margin else "u")


def name_features(low: str) -> list[str]:
    return [f"s1={low[-1:]}", f"s2={low[-2:]}", f"s3={low[-3:]}", f"n={low}"]


@lru_cache(maxsize=1)
def packaged_names() -> NameGender | None:
    entry = resources.files("casegraph.analyze").joinpath("models").joinpath(MODEL_FILE)
    if not entry.is_file():
        return None
    with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    names = data.get("names")
    return NameGender(names["weights"], names["bias"]) if names else None


def fit_names(ctxs: list[DocContext]) -> tuple[NameGender, dict[str, Any]]:
    """Fit the first-name model on persons whose titles and pronouns give their gender; report
    its accuracy on every fifth document held out."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows: list[tuple[bool, str, int]] = []
    fold_of: dict[str, bool] = {}
    for k, ctx in enumerate(ctxs):
        for key, g in gender_votes(ctx).items():
            first = _first_name(ctx, key).lower()
            if g in ("m", "f") and first:
                # one row per person and document; a name stays in the fold where it first
                # appears, so that held-out names are names the model has not seen
                held = fold_of.setdefault(first, k % 5 == 4)
                rows.append((held, first, int(g == "f")))

    def fit(sel: list[tuple[bool, str, int]]) -> NameGender:
        vec = DictVectorizer()
        x = vec.fit_transform([dict.fromkeys(name_features(r[1]), 1) for r in sel])
        clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, [r[2] for r in sel])
        names = vec.get_feature_names_out()
        w = {str(n): round(float(v), 4) for n, v in zip(names, clf.coef_[0], strict=True) if abs(v) >= 1e-3}
        return NameGender(w, round(float(clf.intercept_[0]), 4))

    model = fit([r for r in rows if not r[0]])
    decided = [(model.gender(r[1]), r[2]) for r in rows if r[0]]
    made = [(g, y) for g, y in decided if g != "u"]
    right = sum(1 for g, y in made if (g == "f") == bool(y))
    report = {
        "held_out_names": len(decided),
        "decided": len(made),
        "accuracy_when_decided": round(right / max(len(made), 1), 4),
    }
    return fit(rows), report


@dataclass
class _Cand:
    mention: int
    key: str
    sent_back: int
    rank: int
    count: int
    subject: bool
    in_quote: bool


def _candidates(ctx: DocContext, pos: int, before: int | None = None) -> list[_Cand]:
    si = ctx.sentence_index(pos)
    if si is None:
        return []
    found: dict[str, _Cand] = {}
    counts: Counter[str] = Counter()
    order: list[str] = []
    for k, m in enumerate(ctx.mentions):
        if (
            m.dropped
            or m.label != "PERSON"
            or m.chunk < 0
            or m.start >= (before if before is not None else pos)
        ):
            continue
        key = m.cluster or m.text
        counts[key] += 1
        mi = ctx.sentence_index(m.start)
        if mi is None or si - mi > WINDOW:
            continue
        tok = ctx.chunks[m.chunk].doc[m.tj - 1]
        subject = tok.dep_ in SUBJECT_DEPS or (
            tok.head.dep_ in SUBJECT_DEPS and tok.dep_ in ("compound", "flat")
        )
        found[key] = _Cand(k, key, si - mi, 0, 0, subject, ctx.in_quote(m.start))
        if key in order:
            order.remove(key)
        order.append(key)
    for rank, key in enumerate(reversed(order)):
        found[key].rank = rank
        found[key].count = counts[key]
    return list(found.values())


def _features(
    ctx: DocContext, q: Query, c: _Cand, gender: str, sources: set[str], last_source: str
) -> list[str]:
    f = [
        f"back={min(c.sent_back, 4)}",
        f"rank={min(c.rank, 3)}",
        f"count={min(c.count, 5)}",
        f"back_rank={min(c.sent_back, 3)}_{min(c.rank, 2)}",
    ]
    if c.subject:
        f.append("subject")
        if c.sent_back == 0:
            f.append("same_sentence_subject")
    if c.in_quote:
        f.append("in_quote")
    if c.key in sources:
        f.append("earlier_source")
    if c.key == last_source:
        f.append("last_source")
    if q.gender != "u" and gender != "u":
        f.append("gender_agree" if q.gender == gender else "gender_clash")
    if q.noun:
        near = any(
            _described(ctx.text[max(0, m.start - 40) : m.end + 80].lower(), q.noun)
            for m in ctx.mentions
            if (m.cluster or m.text) == c.key and not m.dropped
        )
        f.append("noun_near" if near else "noun_far")
    return f


def _described(window: str, noun: str) -> bool:
    """Whether `noun` stands in the window as a description of the person, not as a former
    one ("former U.S. President Bill Clinton" is not "the U.S. president")."""
    found = False
    for m in re.finditer(r"\b" + re.escape(noun) + r"\b", window):
        if re.search(r"\b(?:former|ex|late)\b[\w.\s-]{0,20}$", window[: m.start()]):
            continue
        found = True
    return found


def query_for(ctx: DocContext, ci: int, tok: Any) -> Query | None:
    """A query for a source token that is not itself a name, or None."""
    low = tok.lower_
    pos = ctx.tstart(ci, tok)
    if tok.pos_ == "PRON" and low in MALE | FEMALE:
        return Query(pos, "pron", "m" if low in MALE else "f")
    if (
        tok.pos_ == "NOUN"
        and tok.lemma_.lower() in PERSON_NOUNS
        and any(c.lower_ in ("the", "this", "that") for c in tok.children)
    ):
        return Query(pos, "desc", "u", tok.lemma_.lower())
    return None


def resolve(
    ctx: DocContext,
    q: Query,
    sources: set[str],
    last_source: str,
    gender_of: dict[str, str],
    model: LinearModel | None = None,
) -> int | None:
    """The mention index of the person the query stands for, or None when no candidate is
    likely enough."""
    model = model or packaged()
    if model is None:
        return resolve_person_before(ctx, q.pos)
    cands = _candidates(ctx, q.pos)
    if q.kind == "pron":
        cands = [c for c in cands if not (gender_of.get(c.key, "u") not in ("u", q.gender))]
        # the subject of the same sentence, before the pronoun ("Coleman sought a delay because
        # she claimed ..."): the model, fitted on repeated names, cannot learn this preference
        here = [c for c in cands if c.sent_back == 0 and c.subject and not c.in_quote]
        if len(here) == 1:
            return here[0].mention
    scored = [
        (model.score(_features(ctx, q, c, gender_of.get(c.key, "u"), sources, last_source)), c) for c in cands
    ]
    if q.noun:  # a description names someone it stands next to, or no one we can tell
        scored = [(s, c) for s, c in scored if "noun_near" in _features(ctx, q, c, "u", sources, last_source)]
    if not scored:
        return None
    best, cand = max(scored, key=lambda sc: sc[0])
    return cand.mention if best >= model.threshold else None


# -- fitting ------------------------------------------------------------------------------


def _named_queries(ctx: DocContext, gold: Any) -> list[tuple[Query, str]]:
    """(query with the name hidden, the cluster it names) for each gold source that is a
    person's name already named before."""
    out = []
    starts = {m.start: (k, m) for k, m in enumerate(ctx.mentions) if m.label == "PERSON" and not m.dropped}
    for g in gold:
        if not g.source:
            continue
        s, e = g.source[0]
        hit = next(((k, m) for st, (k, m) in starts.items() if s <= st < e), None)
        if hit is None:
            continue
        _k, m = hit
        out.append((Query(m.start, "name"), m.cluster or m.text))
    return out


def resolution_accuracy(
    ctx: DocContext, gold: list[Any], model: LinearModel | None = None
) -> tuple[int, int, int]:
    """(queries, found by the model, found by the rule) for the named sources of one document
    with the name hidden (see the module docstring)."""
    model = model or packaged()
    gender_of = genders(ctx)
    sources: set[str] = set()
    last = ""
    n = by_model = by_rule = 0
    for q, key in sorted(_named_queries(ctx, gold), key=lambda x: x[0].pos):
        q.gender = gender_of.get(key, "u")
        if any(c.key == key for c in _candidates(ctx, q.pos)):
            n += 1
            k = resolve(ctx, q, sources, last, gender_of, model)
            by_model += int(k is not None and (ctx.mentions[k].cluster or ctx.mentions[k].text) == key)
            k = resolve_person_before(ctx, q.pos)
            by_rule += int(k is not None and (ctx.mentions[k].cluster or ctx.mentions[k].text) == key)
        sources.add(key)
        last = key
    return n, by_model, by_rule


def fit_and_report(
    ctxs: list[DocContext], articles: list[Any], fold: list[bool], write: Path | None
) -> dict[str, Any]:
    """Fit on train articles outside the held-out fold, report accuracy on the fold against
    the rule, refit on all and write the model when `write` is a folder."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    held_flags = [k % 5 == 4 for k in range(len(ctxs))]
    rows: list[tuple[bool, list[str], int, int, int]] = []  # held, features, label, query id, mention
    queries: list[tuple[bool, DocContext, Query, str]] = []
    for ctx, a, held in zip(ctxs, articles, held_flags, strict=True):
        gender_of = genders(ctx)
        sources: set[str] = set()
        last = ""
        for q, key in sorted(_named_queries(ctx, a.gold), key=lambda x: x[0].pos):
            q.gender = gender_of.get(key, "u")
            cands = _candidates(ctx, q.pos)
            if any(c.key == key for c in cands):
                qid = len(queries)
                queries.append((held, ctx, q, key))
                for c in cands:
                    feats = _features(ctx, q, c, gender_of.get(c.key, "u"), sources, last)
                    rows.append((held, feats, int(c.key == key), qid, c.mention))
            sources.add(key)
            last = key

    def train(sel: list[tuple[bool, list[str], int, int, int]]) -> LinearModel:
        vec = DictVectorizer()
        x = vec.fit_transform([dict.fromkeys(r[1], 1) for r in sel])
        clf = LogisticRegression(C=1.0, max_iter=2000).fit(x, [r[2] for r in sel])
        names = vec.get_feature_names_out()
        w = {str(n): round(float(v), 4) for n, v in zip(names, clf.coef_[0], strict=True) if abs(v) >= 1e-3}
        return LinearModel(w, round(float(clf.intercept_[0]), 4), 0.0)

    model = train([r for r in rows if not r[0]])
    right = rule_right = n = 0
    best: dict[int, tuple[float, int]] = {}
    for held, feats, label, qid, _m in rows:
        if not held:
            continue
        s = model.score(feats)
        if qid not in best or s > best[qid][0]:
            best[qid] = (s, label)
    for qid, (_s, label) in best.items():
        n += 1
        right += label
        _held, ctx, q, key = queries[qid]
        k = resolve_person_before(ctx, q.pos)
        if k is not None and (ctx.mentions[k].cluster or ctx.mentions[k].text) == key:
            rule_right += 1
    report = {
        "task": "hidden named source -> the person named before it",
        "queries": n,
        "model_accuracy": round(right / max(n, 1), 4),
        "rule_accuracy": round(rule_right / max(n, 1), 4),
    }
    names, report["first_name_gender"] = fit_names(ctxs)
    if write is not None:
        final = train(rows)
        data = {
            "kind": "speaker-logreg",
            "data": "polnear/train (named sources with the name hidden)",
            "weights": final.weights,
            "bias": final.bias,
            "threshold": 0.0,
            "report": report,
            "names": {"weights": names.weights, "bias": names.bias},
        }
        with gzip.open(write / MODEL_FILE, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return report

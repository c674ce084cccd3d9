"""Same statement, not same topic: a verifier learned on (claim, evidence) pairs.

The old rule (embedding cosine plus shared words over a threshold) called a sentence about the
same people a paraphrase ("The Department of Justice has initiated an investigation into
Epstein and Clinton" against "Mr. Epstein is a highly successful, self-made businessman ...
association with former President Bill Clinton"). The verifier asks instead whether the
evidence states what the claim states: the claim's actors (names) are there, its other content
words (action, object) are there in the same order, its numbers, amounts and dates agree after
normalisation ("two billion dollars" = "$2 billion"), negation agrees, and the MiniLM embedding
(check/embed.py) is close. A logistic regression over these features gives the probability that
the evidence states the claim; it is fitted by scripts/fit_verifier.py on RTE train (news
entailment pairs) and on the `fit` half of the pair set built from the corpus
(casegraph.check.pairset), and shipped as plain JSON (check/models/verifier.json) with the
SHA-256 of its weights, checked on load: no pickle, nothing in it can run code.

`judge` turns one pair into a status: `supported` (the claim's words are the evidence's own),
`paraphrased` (same statement in other words), `contradicted` (the same statement with a
number, amount, date or negation that disagrees, also in short fragments) or `not_found`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from casegraph.check import facts
from casegraph.check.text import STOPWORDS, fold, stem, words
from casegraph.lexicon import MONTH_NAMES

MODEL_FILE = "verifier.json"
SHORT_WORDS = 7  # fewer words: a fragment, found verbatim in many places
DESCRIBE_COSINE = 0.45  # a passage this close to a description, naming its actors, describes it

FEATURES = (
    "cosine",
    "coverage",  # share of the claim's content words in the evidence (numbers normalised)
    "name_coverage",  # share of the claim's names (actors) in the evidence; 1 without names
    "has_names",
    "other_coverage",  # share of the claim's other content words (action, object)
    "order",  # share of the claim's adjacent content-word pairs found near each other, in order
    "verbatim",  # rapidfuzz partial ratio / 100 of the folded, normalised texts
    "negation_mismatch",
    "numbers_agree",  # the claim has numbers/amounts/dates and each is in the evidence
    "numbers_missing",  # ...some are not in the evidence (and none conflicts)
    "numbers_conflict",  # ...one disagrees with a value of the same kind
    "claim_length",  # log(1 + content words of the claim)
    "length_ratio",  # log((1 + evidence words) / (1 + claim words))
    "cosine_x_coverage",
    "names_x_other",
    "missing_names",  # names of the claim absent from the evidence (at most 3) / 3
)

_NAME = re.compile(r"\b[A-Z][A-Za-z'’]*[A-Za-z]|\b[A-Z]{2,}\b")
_NOT_NAMES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "his",
        "her",
        "their",
        "its",
        "in",
        "on",
        "at",
        "but",
        "and",
        "or",
        "if",
        "when",
        "while",
        "after",
        "before",
        "one",
        "according",
        "former",
        "president",
        "minister",
        "ambassador",
        "senator",
        *MONTH_NAMES,
    }
)


@dataclass
class Pair:
    """A claim and a piece of evidence with what the verifier saw."""

    claim: str
    evidence: str
    cosine: float
    values: list[float] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    verbatim: float = 0.0  # 0-100


@dataclass
class Judgement:
    status: str  # supported | paraphrased | contradicted | not_found
    probability: float  # that the evidence states the claim (numbers as they are)
    same_statement: float  # ...with numbers, amounts and dates set aside
    verbatim: float
    conflicts: list[str]
    reason: str


@lru_cache(maxsize=50_000)
def _canonical(text: str) -> str:
    return facts.canonical(text)


@lru_cache(maxsize=50_000)
def _quantities(text: str) -> tuple[facts.Quantity, ...]:
    return tuple(facts.quantities(text))


@lru_cache(maxsize=50_000)
def _terms(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for w in _words(_canonical(text)):
        if w not in STOPWORDS and (len(w) >= 3 or w.isdigit()):
            seen.setdefault(stem(w), None)
    return tuple(seen)


def _words(text: str) -> list[str]:
    """Words without possessive endings ("Court's" is "court"), as names() reads them."""
    return [w[:-2] if w.endswith("'s") else w.rstrip("'") for w in words(text)]


@lru_cache(maxsize=50_000)
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _words(_canonical(text)))


@lru_cache(maxsize=50_000)
def _sequence(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _words(_canonical(text)) if w not in STOPWORDS)


def names(text: str) -> list[str]:
    """Stems of the capitalised words that are not sentence openers or titles: the actors."""
    out: dict[str, None] = {}
    text = _canonical(text)  # dates and amounts are compared as values, not as names
    for m in _NAME.finditer(text):
        word = m.group(0).lower().replace("’", "'")
        word = word[:-2] if word.endswith("'s") else word.rstrip("'")
        if word in STOPWORDS or word in _NOT_NAMES or len(word) < 2:
            continue
        before = text[: m.start()].rstrip()
        if (not before or before[-1] in '.!?"“:') and m.group(0).istitle() and word in _COMMON_OPENERS:
            continue
        out.setdefault(stem(word), None)
    return list(out)


_COMMON_OPENERS = frozenset(
    {"documents", "one", "this", "that", "these", "those", "there", "here", "some", "many", "lobbyists"}
)


def verbatim_ratio(claim: str, evidence: str) -> float:
    a, b = fold(_canonical(claim)), fold(_canonical(evidence))
    if len(a) < 15:
        return 100.0 if a and re.search(r"\b" + re.escape(a) + r"\b", b) else 0.0
    return float(fuzz.partial_ratio(a, b))


def aligned(claim: str, evidence: str, margin: int = 25) -> str:
    """The part of the evidence that lines up with the claim (whole when the claim is longer):
    a number or "not" elsewhere in a long sentence is not a conflict."""
    a, b = fold(claim), fold(evidence)
    if len(a) >= len(b):
        return b
    m = fuzz.partial_ratio_alignment(a, b)
    if m is None:
        return b
    return b[max(0, m.dest_start - margin) : m.dest_end + margin]


def features(claim: str, evidence: str, cosine: float, numbers_blind: bool = False) -> Pair:
    claim_terms = _terms(claim)
    ev_stems = _stems(evidence)
    found = [t for t in claim_terms if t in ev_stems]
    coverage = len(found) / len(claim_terms) if claim_terms else 0.0
    claim_names = names(claim)
    present = [n for n in claim_names if n in ev_stems]
    name_cov = len(present) / len(claim_names) if claim_names else 1.0
    name_set = set(claim_names)
    others = [t for t in claim_terms if t not in name_set]
    other_cov = sum(1 for t in others if t in ev_stems) / len(others) if others else 1.0
    order = _order(_sequence(claim), _sequence(evidence))
    verbatim = verbatim_ratio(claim, evidence)
    conflicts = facts.conflicts(claim, aligned(claim, evidence))
    canon_claim = [w for w in words(_canonical(claim)) if _is_value(w)]
    canon_ev = {w for w in words(_canonical(evidence)) if _is_value(w)}
    missing = [w for w in canon_claim if w not in canon_ev]
    if verbatim >= 90 and not missing:  # the claim's own words and numbers (normalised) are there
        conflicts = [r for r in conflicts if r.startswith("negation")]
    if missing and verbatim >= 80 and not any(not r.startswith("negation") for r in conflicts):
        for token in missing:  # "2776" where the same words in the source say "1776"
            kind = re.match(r"[a-z]+", token)
            rivals = [e for e in canon_ev if kind and e.startswith(kind.group(0)) and e not in canon_claim]
            if rivals:
                conflicts.insert(
                    0, f"number {_readable(token)!r} vs {_readable(sorted(rivals)[0])!r} in the source"
                )
                break
    if not (verbatim >= 80 or cosine >= 0.8) or facts.negated(claim) == facts.negated(
        aligned(claim, evidence, 0)
    ):
        # a negation flips meaning only in the same words, and only inside the part that lines up
        conflicts = [r for r in conflicts if not r.startswith("negation")]
    negation = any(r.startswith("negation") for r in conflicts)
    numeric = [r for r in conflicts if not r.startswith("negation")]
    values_claim = [*facts.quantities(claim), *facts.dates(claim)]
    has_values = bool(values_claim or canon_claim)
    agree = 1.0 if has_values and not missing and not numeric else 0.0
    missing_f = 1.0 if has_values and missing and not numeric else 0.0
    conflict_f = 1.0 if numeric else 0.0
    if numbers_blind and has_values:
        agree, missing_f, conflict_f = 1.0, 0.0, 0.0
    n_claim = len(words(claim))
    values = [
        cosine,
        coverage,
        name_cov,
        1.0 if claim_names else 0.0,
        other_cov,
        order,
        verbatim / 100,
        1.0 if negation and not numbers_blind else 0.0,
        agree,
        missing_f,
        conflict_f,
        math.log1p(len(claim_terms)),
        math.log((1 + len(words(evidence))) / (1 + n_claim)),
        cosine * coverage,
        name_cov * other_cov,
        min(3, len(claim_names) - len(present)) / 3,
    ]
    return Pair(claim, evidence, cosine, values, conflicts, verbatim)


def swapped_actor(claim: str, evidence: str) -> bool:
    """Whether a name of the claim is missing from the evidence while the evidence, where it
    lines up with the claim, names someone the claim does not: the same words about another
    actor."""
    wanted = names(claim)
    ev = _stems(evidence)
    if not any(n not in ev for n in wanted) or len(claim) >= len(evidence):
        return False
    m = fuzz.partial_ratio_alignment(claim, evidence)
    if m is None or m.score < 70:
        return False
    window = evidence[max(0, m.dest_start - 10) : m.dest_end + 10]
    return any(n not in wanted for n in names(window))


def _numbers_blind(values: list[float]) -> list[float]:
    """The features as if the numbers, amounts, dates and negation agreed (as features() with
    numbers_blind=True gives them)."""
    out = list(values)
    has_values = any(out[FEATURES.index(f)] for f in ("numbers_agree", "numbers_missing", "numbers_conflict"))
    out[FEATURES.index("negation_mismatch")] = 0.0
    if has_values:
        out[FEATURES.index("numbers_agree")] = 1.0
        out[FEATURES.index("numbers_missing")] = 0.0
        out[FEATURES.index("numbers_conflict")] = 0.0
    return out


def _readable(token: str) -> str:
    """A normalised value as a reader writes it: "usd2000000000" -> "USD 2000000000"."""
    m = re.fullmatch(r"d(\d{4})m(\d{2})", token)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    m = re.fullmatch(r"([a-z]+)(\d[\dp]*)", token)
    if not m:
        return token
    value = m.group(2).replace("p", ".")
    return value if m.group(1) == "n" else f"{m.group(1).upper()} {value}"


def _is_value(word: str) -> bool:
    return bool(re.fullmatch(r"(?:n|usd|eur|gbp|jpy|kzt|rub)\d[\dp]*|d\d{4}m\d{2}|(?:19|20)\d{2}", word))


def _order(claim: tuple[str, ...], evidence: tuple[str, ...], window: int = 4) -> float:
    if len(claim) < 2:
        return 1.0 if claim and claim[0] in evidence else 0.0
    where: dict[str, list[int]] = {}
    for i, w in enumerate(evidence):
        where.setdefault(w, []).append(i)
    hits = 0
    for a, b in itertools.pairwise(claim):
        if any(0 < j - i <= window for i in where.get(a, []) for j in where.get(b, [])):
            hits += 1
    return hits / (len(claim) - 1)


@dataclass
class Verifier:
    coef: list[float]
    intercept: float
    mean: list[float]
    scale: list[float]
    support: float = 0.5  # probability at or above which the evidence states the claim
    related: float = 0.35  # ...with numbers set aside: the same statement (for contradicted)
    meta: dict[str, Any] = field(default_factory=dict)

    def probability_of(self, values: list[float]) -> float:
        z = self.intercept + sum(
            c * (v - m) / (s or 1.0)
            for c, v, m, s in zip(self.coef, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def probability(self, claim: str, evidence: str, cosine: float) -> float:
        return self.probability_of(features(claim, evidence, cosine).values)

    def judge(self, claim: str, evidence: str, cosine: float) -> Judgement:
        pair = features(claim, evidence, cosine)
        p = self.probability_of(pair.values)
        blind = self.probability_of(_numbers_blind(pair.values))
        short = len(claim.split()) < SHORT_WORDS
        conflicts = pair.conflicts
        fragment = short and _fragment_match(claim, evidence)
        all_names = pair.values[2] >= 1.0  # a changed name is another statement, however verbatim
        if swapped_actor(claim, evidence):  # "Bush was there" where the source has "Epstein was there"
            return Judgement("not_found", min(p, self.support / 2), blind, pair.verbatim, [], "another actor")
        same = blind >= self.related or (pair.verbatim >= 90 and not short and all_names) or fragment
        if conflicts and same:
            return Judgement(
                "contradicted", p, blind, pair.verbatim, conflicts, f"says otherwise: {conflicts[0]}"
            )
        if conflicts:
            p = min(p, self.support - 1e-3)
        if pair.verbatim >= 90 and (not short or fragment) and not conflicts and all_names:
            return Judgement(
                "supported", max(p, pair.verbatim / 100), blind, pair.verbatim, [], "near verbatim"
            )
        if p >= self.support:
            return Judgement("paraphrased", p, blind, pair.verbatim, [], "same statement in other words")
        return Judgement("not_found", p, blind, pair.verbatim, conflicts, "not the same statement")

    def describes(self, description: str, window: str, cosine: float) -> bool:
        """Whether a passage of one document describes what a claim about the documents says it
        describes ("a conflict between A and B"): it names the description's actors (all of
        them, or three in four and at least two) and is about the same thing (the sentence's
        embedding is close, or most of the description's other words are there)."""
        wanted = names(description)
        present = [n for n in wanted if n in _stems(window)]
        if not wanted or len(present) < min(2, len(wanted)) or len(present) < 0.75 * len(wanted):
            return False
        values = features(description, window, cosine, numbers_blind=True).values
        return cosine >= DESCRIBE_COSINE or values[FEATURES.index("other_coverage")] >= 0.5

    def to_dict(self) -> dict[str, Any]:
        weights = {
            "features": list(FEATURES),
            "coef": self.coef,
            "intercept": self.intercept,
            "mean": self.mean,
            "scale": self.scale,
            "support": self.support,
            "related": self.related,
        }
        return {**weights, "sha256": weights_hash(weights), "meta": self.meta}


def _fragment_match(claim: str, evidence: str) -> bool:
    """A short fragment is the same statement when each of its words (numbers set aside) is in
    the evidence and, if it names an amount, the evidence names one of the same kind."""
    terms = [t for t in _terms(claim) if not _is_value(t) and not t.isdigit()]
    ev = _stems(evidence)
    if len(terms) < 2 or any(t not in ev for t in terms):
        return False
    kinds = {q.kind for q in facts.quantities(claim)}
    return (
        not kinds or bool(kinds & {q.kind for q in facts.quantities(evidence)}) or bool(facts.dates(evidence))
    )


def weights_hash(weights: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(weights, sort_keys=True).encode("utf-8")).hexdigest()


def from_dict(data: dict[str, Any]) -> Verifier:
    weights = {k: data[k] for k in ("features", "coef", "intercept", "mean", "scale", "support", "related")}
    if data.get("sha256") != weights_hash(weights):
        raise ValueError("verifier weights do not match their SHA-256: the model file was altered")
    if list(data["features"]) != list(FEATURES):
        raise ValueError("verifier model was fitted on other features: run scripts/fit_verifier.py")
    return Verifier(
        coef=[float(c) for c in data["coef"]],
        intercept=float(data["intercept"]),
        mean=[float(m) for m in data["mean"]],
        scale=[float(s) for s in data["scale"]],
        support=float(data["support"]),
        related=float(data["related"]),
        meta=dict(data.get("meta") or {}),
    )


_loaded: Verifier | None = None


def load(path: str | Path | None = None) -> Verifier:
    """The shipped verifier (or the one at `path`)."""
    global _loaded
    if path is not None:
        return from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    if _loaded is None:
        entry = resources.files("casegraph.check").joinpath("models", MODEL_FILE)
        _loaded = from_dict(json.loads(entry.read_text(encoding="utf-8")))
    return _loaded


def save(verifier: Verifier, path: str | Path) -> None:
    Path(path).write_text(json.dumps(verifier.to_dict(), indent=1, sort_keys=True) + "\n", encoding="utf-8")

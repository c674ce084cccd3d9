"""Calibration and evaluation on WiCE (../shared/eval/wice/dev.jsonl): a claim, the sentences
of the web page it cites, and whether the page supports it (supported / partially_supported /
not_supported) with the supporting sentences.

The claims are split in two by a hash of the claim text: `fit` (60 %) is where the support
score's weights and thresholds are fitted (scripts/fit_check_thresholds.py), `report` (40 %) is
where `casegraph eval wice` measures them. The same retrieval as `check` runs on each page:
sentences narrowed by rarity-weighted shared words, then embedded. The baseline is plain text
similarity: the TF-IDF cosine of the claim with its best sentence, thresholds fitted on `fit`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from casegraph.check import embed
from casegraph.check.calibration import Thresholds
from casegraph.check.retrieve import SENTENCES_PER_ITEM
from casegraph.check.text import STOPWORDS, stem, words

FIT_SHARE = 0.6
LABELS = ("supported", "partially_supported", "not_supported")


@dataclass
class Example:
    claim: str
    label: str
    sentences: list[str]
    supporting: set[int]
    split: str


@dataclass
class Scored:
    """Per claim: candidate sentence indices with their cosine and lexical features."""

    example: Example
    candidates: list[tuple[int, float, float]]  # (sentence index, cosine, lexical)
    baseline: list[tuple[int, float]]  # (sentence index, tf-idf cosine), best first


def split_of(claim: str) -> str:
    h = int(hashlib.sha1(claim.encode("utf-8")).hexdigest()[:8], 16)
    return "fit" if (h % 1000) / 1000 < FIT_SHARE else "report"


def load(path: str | Path) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            supporting = {i for group in row.get("supporting_sentences") or [] for i in group}
            examples.append(
                Example(row["claim"], row["label"], list(row["evidence"]), supporting, split_of(row["claim"]))
            )
    return examples


def with_unrelated_pages(examples: list[Example]) -> list[Example]:
    """Each claim again with the page cited by another claim of the same split, labelled
    not_supported: in a case corpus almost every candidate sentence is unrelated to the item,
    which WiCE's own pairs (always the cited page) never show."""
    out = list(examples)
    for split in ("fit", "report"):
        group = [e for e in examples if e.split == split]
        for i, e in enumerate(group):
            other = group[(i + len(group) // 2) % len(group)]
            if other is not e and other.sentences != e.sentences:
                out.append(Example(e.claim, "not_supported", other.sentences, set(), split + ":unrelated"))
    return out


def _lexical(claim: str, sentences: list[str], limit: int) -> list[tuple[int, float]]:
    """The sentences sharing the most rarity-weighted words with the claim (as check does)."""
    stems_per_sentence = [{stem(w) for w in words(s)} for s in sentences]
    df = Counter(s for stems in stems_per_sentence for s in stems)
    n = len(sentences) + 1
    claim_stems = {stem(w) for w in words(claim) if w not in STOPWORDS and len(w) >= 3}
    weights = {s: math.log(n / (df.get(s, 0) + 0.5)) for s in claim_stems}
    total = sum(weights.values()) or 1.0
    scored = [
        (i, sum(v for s, v in weights.items() if s in stems) / total)
        for i, stems in enumerate(stems_per_sentence)
    ]
    scored = [x for x in scored if x[1] > 0 and len(sentences[x[0]].split()) >= 4]
    scored.sort(key=lambda x: -x[1])
    return scored[:limit]


def score_examples(examples: list[Example], limit: int = SENTENCES_PER_ITEM) -> list[Scored]:
    """Features of every example: lexical narrowing, then embeddings of claim and candidates."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    chosen = [_lexical(e.claim, e.sentences, limit) for e in examples]
    texts = [e.claim for e in examples] + [
        e.sentences[i] for e, c in zip(examples, chosen, strict=False) for i, _ in c
    ]
    vectors = embed.encode(texts)
    claims, rest = vectors[: len(examples)], vectors[len(examples) :]
    out, k = [], 0
    for e, c, q in zip(examples, chosen, claims, strict=False):
        cands = []
        for i, lex in c:
            cands.append((i, float(np.dot(q, rest[k])), lex))
            k += 1
        tfidf = TfidfVectorizer(stop_words="english").fit([*e.sentences, e.claim])
        sims = (tfidf.transform(e.sentences) @ tfidf.transform([e.claim]).T).toarray().ravel()
        baseline = sorted(((i, float(s)) for i, s in enumerate(sims)), key=lambda x: -x[1])[:3]
        out.append(Scored(e, cands, baseline))
    return out


def best(s: Scored, t: Thresholds) -> tuple[int | None, float]:
    """The best sentence and its support score, as check ranks them."""
    if not s.candidates:
        return None, 0.0
    i, cos, lex = max(s.candidates, key=lambda c: t.score(c[1], c[2]))
    return i, t.score(cos, lex)


def found(s: Scored, t: Thresholds) -> bool:
    """Whether check would call the claim supported or paraphrased by this page."""
    if not s.candidates:
        return False
    _, cos, lex = max(s.candidates, key=lambda c: t.score(c[1], c[2]))
    return t.supports(cos, lex)


def fit(scored: list[Scored]) -> Thresholds:
    """Weights of the support score (logistic regression on the best candidate's cosine and
    shared words, classes balanced) and the two thresholds, each chosen for the best balanced
    accuracy on the fit split: `support` (supported vs the rest) and `related` (any support vs none)."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([_features(s) for s in scored])
    any_support = np.array([s.example.label != "not_supported" for s in scored])
    model = LogisticRegression(class_weight="balanced").fit(x, any_support)
    t = Thresholds(
        bias=float(model.intercept_[0]), w_cos=float(model.coef_[0][0]), w_lex=float(model.coef_[0][1])
    )
    scores = np.array([best(s, t)[1] for s in scored])
    t.related = _best_threshold(scores, any_support)
    own = np.array([":" not in s.example.split for s in scored])
    supported = np.array([s.example.label == "supported" for s in scored])
    t.support = max(t.related, _best_threshold(scores[own], supported[own]))
    # The cosine a paraphrase needs: supported vs not supported on the cited pages.
    clear = np.array([own[i] and s.example.label != "partially_supported" for i, s in enumerate(scored)])
    cosines = np.array([max([c[1] for c in s.candidates] or [0.0]) for s in scored])
    t.min_cosine = _best_threshold(cosines[clear], supported[clear])
    t.fitted = {
        "data": "../shared/eval/wice/dev.jsonl",
        "split": f"claims whose sha1 falls in the first {FIT_SHARE:.0%} (casegraph.check.wice.split_of == 'fit')",
        "examples": len(scored),
        "features": ["cosine (all-MiniLM-L6-v2)", "rarity-weighted shared words"],
        "target": "weights: any support vs none (own and unrelated pages); support: supported vs the rest"
        " (own pages); related: any support vs none",
    }
    return t


def _features(s: Scored) -> tuple[float, float]:
    if not s.candidates:
        return (0.0, 0.0)
    _i, cos, lex = max(s.candidates, key=lambda c: c[1] + c[2])
    return (cos, lex)


def _best_threshold(scores: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    best_t, best_acc = 0.5, -1.0
    for t in np.unique(np.round(scores, 3)):
        acc = _balanced_accuracy(scores >= t, y)
        if acc > best_acc:
            best_t, best_acc = float(t), acc
    return round(best_t, 4)


def _balanced_accuracy(pred: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    rates = [float(np.mean(pred[y == v] == v)) for v in (True, False) if np.any(y == v)]
    return sum(rates) / len(rates)


def _three_way(score: float, support: float, related: float) -> str:
    return "supported" if score >= support else "partially_supported" if score >= related else "not_supported"


def evaluate(scored: list[Scored], t: Thresholds, baseline: dict[str, float]) -> dict[str, Any]:
    """Accuracy of casegraph's support score and of the TF-IDF baseline on these examples:
    on WiCE's own (claim, cited page) pairs, and on those plus the claims paired with unrelated
    pages (is there any support at all?)."""
    everything = scored
    scored = [s for s in scored if ":" not in s.example.split]
    y = np.array([s.example.label == "supported" for s in scored])
    labels = [s.example.label for s in scored]
    ours = [best(s, t) for s in scored]
    base = [s.baseline[0][1] if s.baseline else 0.0 for s in scored]
    ours_pred = np.array([found(s, t) for s in scored])
    base_pred = np.array([b >= baseline["support"] for b in base])

    def hit(index_lists: list[list[int]]) -> float:
        relevant = [(s, idx) for s, idx in zip(scored, index_lists, strict=False) if s.example.supporting]
        return round(
            sum(1 for s, idx in relevant if set(idx) & s.example.supporting) / max(1, len(relevant)), 3
        )

    ours_ranked = [[i for i, *_ in sorted(s.candidates, key=lambda c: -t.score(c[1], c[2]))] for s in scored]
    base_ranked = [[i for i, _ in s.baseline] for s in scored]
    majority = Counter(labels).most_common(1)[0][0] if labels else ""
    return {
        "examples": len(scored),
        "labels": dict(Counter(labels)),
        "supported_vs_rest": {
            "casegraph": {
                "accuracy": _acc(ours_pred, y),
                "balanced_accuracy": round(_balanced_accuracy(ours_pred, y), 3),
            },
            "baseline_tfidf": {
                "accuracy": _acc(base_pred, y),
                "balanced_accuracy": round(_balanced_accuracy(base_pred, y), 3),
            },
            "majority": {
                "accuracy": _acc(np.full(len(y), majority == "supported"), y),
                "balanced_accuracy": 0.5,
            },
        },
        "three_way": {
            "casegraph": _acc3(
                [
                    "supported" if found(s, t) else _three_way(sc, 2.0, t.related)
                    for s, (_, sc) in zip(scored, ours, strict=False)
                ],
                labels,
            ),
            "baseline_tfidf": _acc3(
                [_three_way(b, baseline["support"], baseline["related"]) for b in base], labels
            ),
            "majority": _acc3([majority] * len(labels), labels),
        },
        "any_support_incl_unrelated_pages": _any_support(everything, t, baseline),
        "evidence_hit": {
            "casegraph_at_1": hit([r[:1] for r in ours_ranked]),
            "casegraph_at_3": hit([r[:3] for r in ours_ranked]),
            "baseline_at_1": hit([r[:1] for r in base_ranked]),
            "baseline_at_3": hit([r[:3] for r in base_ranked]),
        },
    }


def _any_support(scored: list[Scored], t: Thresholds, baseline: dict[str, float]) -> dict[str, Any]:
    y = np.array([s.example.label != "not_supported" for s in scored])
    ours = np.array([best(s, t)[1] >= t.related for s in scored])
    base = np.array([(s.baseline[0][1] if s.baseline else 0.0) >= baseline["related"] for s in scored])
    return {
        "examples": len(scored),
        "casegraph": {"accuracy": _acc(ours, y), "balanced_accuracy": round(_balanced_accuracy(ours, y), 3)},
        "baseline_tfidf": {
            "accuracy": _acc(base, y),
            "balanced_accuracy": round(_balanced_accuracy(base, y), 3),
        },
    }


def _acc(pred: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    return round(float(np.mean(pred == y)), 3) if len(y) else 0.0


def _acc3(pred: list[str], gold: list[str]) -> float:
    return round(sum(p == g for p, g in zip(pred, gold, strict=False)) / max(1, len(gold)), 3)


def fit_baseline(scored: list[Scored]) -> dict[str, float]:
    """Thresholds for the TF-IDF baseline, fitted like ours on the fit split."""
    scores = np.array([s.baseline[0][1] if s.baseline else 0.0 for s in scored])
    related = _best_threshold(scores, np.array([s.example.label != "not_supported" for s in scored]))
    own = np.array([":" not in s.example.split for s in scored])
    supported = np.array([s.example.label == "supported" for s in scored])
    support = max(related, _best_threshold(scores[own], supported[own]))
    return {"support": support, "related": related}


def per_status(scored: list[Scored], t: Thresholds) -> dict[str, Any]:
    """Precision and recall per status of what check would say about each claim given its page
    (own pages and unrelated ones): `found` (supported or paraphrased) against WiCE's supported,
    `not_found` against not_supported (partially supported claims count as not found in the
    first and are left out of the second), for the learned verifier and for the rule before it
    (cosine and shared words over the fitted thresholds)."""
    from casegraph.check import verifier
    from casegraph.check.verdict_eval import legacy_status

    v = verifier.load()
    gold = [s.example.label for s in scored]
    out: dict[str, Any] = {"claims": len(scored), "labels": dict(Counter(gold))}
    for name in ("verifier", "before"):
        pred = []
        for s in scored:
            statuses = []
            for i, cos, _lex in s.candidates:
                text = s.example.sentences[i]
                if name == "verifier":
                    statuses.append(v.judge(s.example.claim, text, cos).status)
                else:
                    statuses.append(legacy_status(s.example.claim, text, cos, t))
            found = any(x in ("supported", "paraphrased") for x in statuses)
            pred.append("found" if found else "contradicted" if "contradicted" in statuses else "not_found")
        found_tp = sum(1 for p, g in zip(pred, gold, strict=True) if p == "found" and g == "supported")
        nf = [(p, g) for p, g in zip(pred, gold, strict=True) if g != "partially_supported"]
        nf_tp = sum(1 for p, g in nf if p == "not_found" and g == "not_supported")
        out[name] = {
            "found": _pr(found_tp, pred.count("found"), gold.count("supported")),
            "not_found": _pr(nf_tp, sum(1 for p, _ in nf if p == "not_found"), gold.count("not_supported")),
            "contradicted_predicted": pred.count("contradicted"),
        }
    return out


def _pr(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "predicted": n_pred, "gold": n_gold}

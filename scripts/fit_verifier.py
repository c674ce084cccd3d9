#!/usr/bin/env python
"""Fit the check stage's verifier and write src/casegraph/check/models/verifier.json.

    .venv/bin/python scripts/fit_verifier.py [--eval ../shared/eval] [--corpus ../shared/corpus/epstein-estate]

Data: RTE train (premise = evidence, hypothesis = claim; entailment = the evidence states it)
and the `fit` half of the pair set built from the corpus (casegraph.check.pairset; supported
and paraphrased = states it; contradicted and not_found = does not), each weighted to half of
the fit. A logistic regression on the verifier's features (casegraph.check.verifier.FEATURES),
standardised, C chosen by 5-fold cross-validation; then `support` is the bar (0.30-0.70) with the best
weighted accuracy on all fit pairs among those keeping a precision of 0.92 for
supported+paraphrased on the corpus pairs of the fit half, and
`related` the one that best tells contradicted from not_found among pairs whose numbers
disagree. RTE dev, WiCE and the `report` half are never read here. Deterministic.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casegraph.check import embed, pairset, verifier  # noqa: E402

TARGET_PRECISION = 0.92


def read_rte(path: Path) -> list[tuple[str, str, int]]:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["sentence2"], r["sentence1"], int(r["label"] == "entailment")) for r in rows if r.get("label")]


def cosines(pairs: list[tuple[str, str]]) -> list[float]:
    vectors = embed.encode([t for pair in pairs for t in pair])
    return [float(np.dot(vectors[2 * i], vectors[2 * i + 1])) for i in range(len(pairs))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--corpus", default=None)
    parser.add_argument(
        "--out", default=str(ROOT / "src" / "casegraph" / "check" / "models" / verifier.MODEL_FILE)
    )
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    began = time.perf_counter()
    rte = read_rte(Path(args.eval) / "rte" / "train.tsv")
    built = [p for p in pairset.build(Path(args.corpus) if args.corpus else None) if p.split == "fit"]
    rows = [(c, e) for c, e, _ in rte] + [(p.claim, p.evidence) for p in built]
    y = np.array([label for *_, label in rte] + [int(p.label in ("supported", "paraphrased")) for p in built])
    cos = cosines(rows)
    x = np.array([verifier.features(c, e, k).values for (c, e), k in zip(rows, cos, strict=True)])
    weight = np.array([0.5 / len(rte)] * len(rte) + [0.5 / len(built)] * len(built)) * len(rows)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    best = (-1.0, 1.0)
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        model = LogisticRegression(C=c, max_iter=2000)
        score = float(np.mean(cross_val_score(model, z, y, cv=5, params={"sample_weight": weight})))
        print(f"C={c}: 5-fold accuracy {score:.4f}")
        best = max(best, (score, c))
    model = LogisticRegression(C=best[1], max_iter=2000).fit(z, y, sample_weight=weight)
    fitted = verifier.Verifier(
        coef=[round(float(v), 6) for v in model.coef_[0]],
        intercept=round(float(model.intercept_[0]), 6),
        mean=[round(float(v), 6) for v in mean],
        scale=[round(float(v), 6) for v in scale],
    )
    # Thresholds on the corpus pairs of the fit half, through the same judge as check.
    n = len(rte)
    probs = model.predict_proba(z)[:, 1]
    fitted.support = _support_threshold(probs, y, weight, n)
    fitted.related = _related_threshold(fitted, built, cos[n:])
    fitted.meta = {
        "data": {
            "rte": f"{len(rte)} pairs of rte/train.tsv",
            "built": f"{len(built)} pairs, fit half of casegraph.check.pairset.build()",
        },
        "model": "logistic regression on standardised features, classes as labelled, RTE and built pairs weighted equally",
        "C": best[1],
        "cv_accuracy": round(best[0], 4),
        "support": f"best weighted accuracy on the fit pairs with supported+paraphrased precision >= {TARGET_PRECISION} on the built fit pairs",
        "related": "best balanced accuracy of contradicted vs not_found among built fit pairs with a number conflict",
        "embedding": embed.STORE_KEY,
        "seconds": round(time.perf_counter() - began, 1),
    }
    verifier.save(fitted, args.out)
    print(json.dumps(fitted.to_dict(), indent=1))


def _support_threshold(probs: np.ndarray, y: np.ndarray, weight: np.ndarray, n_rte: int) -> float:
    """The bar with the best weighted accuracy on all fit pairs (RTE and built) among those at
    which supported+paraphrased keep a precision of TARGET_PRECISION on the built pairs."""
    best_t, best_acc = 0.5, -1.0
    built_p, built_y = probs[n_rte:], y[n_rte:]
    for t in np.round(np.arange(0.3, 0.71, 0.01), 2):
        chosen = built_p >= t
        if not chosen.any() or float(np.mean(built_y[chosen])) < TARGET_PRECISION:
            continue
        acc = float(np.sum(weight * ((probs >= t) == y)) / np.sum(weight))
        if acc > best_acc + 1e-9:
            best_t, best_acc = float(t), acc
    return best_t


def _related_threshold(v: verifier.Verifier, pairs: list[pairset.LabelledPair], cos: list[float]) -> float:
    rows = []
    for p, k in zip(pairs, cos, strict=True):
        pair = verifier.features(p.claim, p.evidence, k)
        if any(not r.startswith("negation") for r in pair.conflicts):
            blind = v.probability_of(verifier.features(p.claim, p.evidence, k, numbers_blind=True).values)
            rows.append((blind, p.label == "contradicted"))
    best_t, best_acc = 0.35, -1.0
    for t in sorted({round(b, 3) for b, _ in rows}):
        pos = [b >= t for b, y in rows if y]
        neg = [b < t for b, y in rows if not y]
        acc = (np.mean(pos) if pos else 0.0) * 0.5 + (np.mean(neg) if neg else 1.0) * 0.5
        if acc > best_acc:
            best_t, best_acc = t, float(acc)
    return float(best_t)


if __name__ == "__main__":
    main()

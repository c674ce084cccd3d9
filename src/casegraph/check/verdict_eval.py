"""`casegraph eval verdicts` and `casegraph eval rte`: the verifier measured on pairs.

- verdicts: the `report` half of the pair set built from the corpus (casegraph.check.pairset),
  precision and recall per status, and for supported+paraphrased together ("found"), for the
  verifier and for the rule it replaced (cosine and shared words over fitted thresholds,
  verbatim ratio, number conflicts on related sentences; shared words unweighted here, since a
  pair has no corpus to weigh them by);
- rte: accuracy on RTE dev (premise = evidence, hypothesis = claim; entailment = found).
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from casegraph.check import calibration, embed, facts, pairset, verifier
from casegraph.check.calibration import Thresholds
from casegraph.check.text import content_terms, coverage

FOUND = ("supported", "paraphrased")


def cosines(pairs: list[tuple[str, str]]) -> list[float]:
    vectors = embed.encode([t for pair in pairs for t in pair])
    return [float(np.dot(vectors[2 * i], vectors[2 * i + 1])) for i in range(len(pairs))]


def legacy_status(claim: str, evidence: str, cosine: float, t: Thresholds) -> str:
    """The rule before the verifier (check/verdict.py up to issue 9), on one pair."""
    lexical = coverage(content_terms(claim), evidence)
    verbatim = verifier.verbatim_ratio(claim, evidence)
    short = len(claim.split()) < verifier.SHORT_WORDS
    same = (
        (verbatim >= t.verbatim and not short)
        or t.supports(cosine, lexical)
        or (cosine >= t.min_cosine - 0.1 and lexical >= t.related_lexical)
    )
    if same:
        reasons = facts.conflicts(claim, verifier.aligned(claim, evidence))
        if not (verbatim >= 80 or cosine >= 0.8):
            reasons = [r for r in reasons if not r.startswith("negation")]
        if reasons:
            return "contradicted"
    if verbatim >= t.verbatim and not short:
        return "supported"
    if t.supports(cosine, lexical):
        return "paraphrased"
    return "not_found"


def per_status(pred: list[str], gold: list[str], labels: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in labels:
        tp = sum(1 for p, g in zip(pred, gold, strict=True) if p == label and g == label)
        n_pred, n_gold = pred.count(label), gold.count(label)
        out[label] = _prf(tp, n_pred, n_gold)
    tp = sum(1 for p, g in zip(pred, gold, strict=True) if p in FOUND and g in FOUND)
    out["found (supported+paraphrased)"] = _prf(
        tp, sum(1 for p in pred if p in FOUND), sum(1 for g in gold if g in FOUND)
    )
    out["accuracy"] = round(sum(p == g for p, g in zip(pred, gold, strict=True)) / max(1, len(gold)), 4)
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "predicted": n_pred,
        "gold": n_gold,
    }


def evaluate_verdicts(corpus: str | Path | None = None, limit: int | None = None) -> dict[str, Any]:
    began = time.perf_counter()
    pairs = [p for p in pairset.build(Path(corpus) if corpus else None) if p.split == "report"]
    if limit:
        pairs = pairs[:limit]
    cos = cosines([(p.claim, p.evidence) for p in pairs])
    v = verifier.load()
    t = calibration.load()
    gold = [p.label for p in pairs]
    ours = [v.judge(p.claim, p.evidence, k).status for p, k in zip(pairs, cos, strict=True)]
    before = [legacy_status(p.claim, p.evidence, k, t) for p, k in zip(pairs, cos, strict=True)]
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted({p.kind for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.kind == kind]
        kinds[kind] = {
            "pairs": len(idx),
            "verifier_correct": round(sum(ours[i] == gold[i] for i in idx) / len(idx), 4),
            "before_correct": round(sum(before[i] == gold[i] for i in idx) / len(idx), 4),
        }
    written = handwritten()
    if written:
        wcos = cosines([(p.claim, p.evidence) for p in written])
        wgold = [p.label for p in written]
        hand: dict[str, Any] = {
            "pairs": len(written),
            "labels": dict(Counter(wgold)),
            "verifier": per_status(
                [v.judge(p.claim, p.evidence, k).status for p, k in zip(written, wcos, strict=True)],
                wgold,
                pairset.LABELS,
            ),
            "before": per_status(
                [legacy_status(p.claim, p.evidence, k, t) for p, k in zip(written, wcos, strict=True)],
                wgold,
                pairset.LABELS,
            ),
        }
    return {
        "handwritten": hand if written else None,
        "task": "verdicts",
        "data": str(Path(corpus) if corpus else pairset.default_corpus()),
        "split": "report half of casegraph.check.pairset.build() (the fit half fitted the verifier)",
        "pairs": len(pairs),
        "labels": dict(Counter(gold)),
        "verifier": per_status(ours, gold, pairset.LABELS),
        "before": per_status(before, gold, pairset.LABELS),
        "by_kind": kinds,
        "thresholds": {"support": v.support, "related": v.related},
        "seconds": round(time.perf_counter() - began, 1),
    }


HANDWRITTEN = Path(__file__).resolve().parents[3] / "tests" / "data" / "verdict_pairs.jsonl"


def handwritten(path: Path = HANDWRITTEN) -> list[pairset.LabelledPair]:
    """Pairs written by hand on estate sentences (a Miami Herald story pasted in an e-mail, a
    lawyers' letter, a pasted stem cell report): human paraphrases, topic-similar claims with no
    support (the issue's DOJ/Clinton one among them) and changed numbers. Never used for fitting.
    Empty where the checkout's tests/ folder is not there."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(
                pairset.LabelledPair(
                    row["claim"], row["evidence"], row["label"], "handwritten", "report", row["doc"]
                )
            )
    return out


def evaluate_rte(data: str | Path) -> dict[str, Any]:
    began = time.perf_counter()
    with open(data, encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r.get("label")]
    pairs = [(r["sentence2"], r["sentence1"]) for r in rows]
    gold = np.array([r["label"] == "entailment" for r in rows])
    cos = cosines(pairs)
    v = verifier.load()
    t = calibration.load()
    probs = np.array([v.probability(c, e, k) for (c, e), k in zip(pairs, cos, strict=True)])
    found = np.array([v.judge(c, e, k).status in FOUND for (c, e), k in zip(pairs, cos, strict=True)])
    before = np.array([legacy_status(c, e, k, t) in FOUND for (c, e), k in zip(pairs, cos, strict=True)])
    return {
        "task": "rte",
        "data": str(data),
        "pairs": len(rows),
        "verifier_accuracy_at_0.5": round(float(np.mean((probs >= 0.5) == gold)), 4),
        "verifier_found_accuracy": round(float(np.mean(found == gold)), 4),
        "before_found_accuracy": round(float(np.mean(before == gold)), 4),
        "majority": round(float(max(np.mean(gold), 1 - np.mean(gold))), 4),
        "verifier_found": _prf(int(np.sum(found & gold)), int(np.sum(found)), int(np.sum(gold))),
        "before_found": _prf(int(np.sum(before & gold)), int(np.sum(before)), int(np.sum(gold))),
        "seconds": round(time.perf_counter() - began, 1),
    }

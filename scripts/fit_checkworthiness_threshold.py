#!/usr/bin/env python
"""Fit the check-worthiness bar of `check` (thresholds.json `min_checkworthiness`) on CheckThat!.

    .venv/bin/python scripts/fit_checkworthiness_threshold.py [--data ../shared/eval]

Claims scoring below the bar are not checked (claims about the documents always are). The
scores are those of the shipped model's recipe (scripts/train_checkworthy.py, same C), each
fit debate scored by a model fitted on the other fit debates (leave one debate out), so that
no sentence is scored by a model that saw it; the bar is the highest score that still keeps 90 %
of the check-worthy sentences (a check-worthy claim left unchecked costs more than an extra
item: the F2-best bar, 0.53, kept a third of them). The held-out debates of `casegraph eval checkthat` are never read. Writes the
bar and how it was fitted into src/casegraph/check/models/thresholds.json; deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_checkworthy import MODEL_FILE, fit  # noqa: E402

from casegraph.analyze.evaldata import checkthat_split, eval_root, read_checkthat  # noqa: E402
from casegraph.analyze.linear import load_packaged  # noqa: E402
from casegraph.check import calibration  # noqa: E402

BETA = 2.0
RECALL = 0.9  # share of check-worthy sentences the bar must keep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None)
    parser.add_argument(
        "--out", default=str(ROOT / "src" / "casegraph" / "check" / "models" / calibration.THRESHOLDS_FILE)
    )
    args = parser.parse_args()
    model = load_packaged(MODEL_FILE)
    c = float(model.data.get("C", 0.3)) if model is not None else 0.3
    debates, _ = checkthat_split(read_checkthat(eval_root(args.data)))
    scores: list[float] = []
    labels: list[int] = []
    for i, (_, rows) in enumerate(debates):
        train = [r for j, (_, rs) in enumerate(debates) if j != i for r in rs]
        vec, clf = fit([r[1] for r in train], [r[2] for r in train], c)
        scores += [float(p) for p in clf.predict_proba(vec.transform([r[1] for r in rows]))[:, 1]]
        labels += [r[2] for r in rows]
    s, y = np.array(scores), np.array(labels)
    best_t, best_f = 0.0, 0.0
    for t in np.unique(np.round(s, 3)):  # ascending: the last that keeps the recall wins
        pred = s >= t
        tp = float(np.sum(pred & (y == 1)))
        r = tp / max(1, int(np.sum(y)))
        if r < RECALL:
            break
        p = tp / max(1, int(np.sum(pred)))
        best_t, best_f = float(t), (1 + BETA**2) * p * r / (BETA**2 * p + r) if p + r else 0.0
    pred = s >= best_t
    kept = float(np.mean(pred))
    recall = float(np.sum(pred & (y == 1)) / max(1, int(np.sum(y))))
    thresholds = calibration.load(args.out)
    thresholds.min_checkworthiness = round(best_t, 3)
    thresholds.fitted["min_checkworthiness"] = (
        f"fitted by scripts/fit_checkworthiness_threshold.py on {len(debates)} CheckThat! 2019 fit debates"
        f" ({len(y)} sentences, {int(np.sum(y))} check-worthy), leave-one-debate-out scores, highest bar keeping"
        f" {RECALL:.0%} of the check-worthy (F{BETA:.0f} {best_f:.3f}): keeps {kept:.1%} of sentences and {recall:.1%} of the check-worthy ones"
    )
    calibration.save(thresholds, args.out)
    print(
        json.dumps(
            {
                "min_checkworthiness": thresholds.min_checkworthiness,
                "f2": round(best_f, 4),
                "kept": round(kept, 4),
                "recall": round(recall, 4),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Fit the propaganda-technique model shipped as src/casegraph/analyze/models/rhetoric.json.gz.

Data: ../shared/eval/ptc (SemEval-2020 Task 11), one sentence per line. A sentence carries a
technique when a gold span of that technique overlaps it. One logistic regression per
technique on TF-IDF word 1-2 grams; each technique's probability threshold maximises F1 on
5-fold cross-validated predictions (folds by article). Fitted on the "fit" articles only
(every 5th article by name is held out for `casegraph eval ptc`). Deterministic.

    .venv/bin/python scripts/train_rhetoric.py [--data ../shared/eval]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from casegraph.analyze.evaldata import eval_root, ptc_split, read_ptc
from casegraph.analyze.linear import save_model
from casegraph.analyze.rhetoric import MODEL_FILE

OUT = Path(__file__).resolve().parent.parent / "src" / "casegraph" / "analyze" / "models" / MODEL_FILE
MIN_EXAMPLES = 20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    fit_articles, _ = ptc_split(read_ptc(eval_root(args.data)))
    texts, labels, groups = [], [], []
    for gi, art in enumerate(fit_articles):
        for s, e in art.sentences():
            texts.append(art.text[s:e])
            labels.append(art.labels(s, e))
            groups.append(gi)
    techniques = sorted({t for ls in labels for t in ls})
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=15000)
    x = vec.fit_transform(texts)
    classes, models, thresholds = [], [], {}
    for tech in techniques:
        y = np.array([tech in ls for ls in labels], dtype=int)
        if y.sum() < MIN_EXAMPLES:
            print(f"{tech}: {y.sum()} examples, skipped")
            continue
        probs = np.zeros(len(y))
        for train, test in GroupKFold(n_splits=5).split(x, y, groups):
            clf = LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000)
            clf.fit(x[train], y[train])
            probs[test] = clf.predict_proba(x[test])[:, 1]
        best = (0.0, 0.5)
        for th in np.arange(0.3, 0.96, 0.025):
            pred = probs >= th
            tp = int((pred & (y == 1)).sum())
            p = tp / max(1, pred.sum())
            r = tp / max(1, y.sum())
            f = 2 * p * r / (p + r) if p + r else 0.0
            best = max(best, (f, float(th)))
        clf = LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000)
        clf.fit(x, y)
        classes.append(tech)
        models.append(clf)
        thresholds[tech] = round(best[1], 3)
        print(f"{tech}: {y.sum()} sentences, CV F1 {best[0]:.3f} at threshold {best[1]:.3f}")
    save_model(
        str(OUT),
        vec,
        models,
        classes,
        {
            "thresholds": thresholds,
            "trained_on": f"ptc fit articles ({len(fit_articles)}), sentence level",
        },
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

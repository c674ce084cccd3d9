"""Fit the check-worthiness model shipped as src/casegraph/analyze/models/checkworthy.json.gz.

Data: ../shared/eval/checkthat2019 (CLEF CheckThat! 2019 Task 1, debates and speeches with
check-worthy sentences marked). Fitted on the "fit" debates only (every 5th debate by name is
held out for `casegraph eval checkthat`); C is chosen by leave-one-debate-out MAP on the fit
part. Deterministic: same data, same model file.

    .venv/bin/python scripts/train_checkworthy.py [--data ../shared/eval]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from casegraph.analyze.checkworthy import MODEL_FILE
from casegraph.analyze.evaldata import checkthat_split, eval_root, read_checkthat
from casegraph.analyze.linear import save_model

OUT = Path(__file__).resolve().parent.parent / "src" / "casegraph" / "analyze" / "models" / MODEL_FILE


def vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=12000)


def fit(texts: list[str], labels: list[int], c: float) -> tuple[TfidfVectorizer, LogisticRegression]:
    vec = vectorizer()
    x = vec.fit_transform(texts)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(x, labels)
    return vec, clf


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    debates, _ = checkthat_split(read_checkthat(eval_root(args.data)))
    best = (-1.0, 1.0)
    for c in (0.1, 0.3, 1.0, 3.0, 10.0):
        aps = []
        for i, (_, rows) in enumerate(debates):  # leave one debate out
            train = [r for j, (_, rs) in enumerate(debates) if j != i for r in rs]
            vec, clf = fit([r[1] for r in train], [r[2] for r in train], c)
            y = [r[2] for r in rows]
            if sum(y):
                aps.append(
                    average_precision_score(y, clf.predict_proba(vec.transform([r[1] for r in rows]))[:, 1])
                )
        score = float(np.mean(aps))
        print(f"C={c}: leave-one-debate-out MAP {score:.4f}")
        best = max(best, (score, c))
    rows = [r for _, rs in debates for r in rs]
    vec, clf = fit([r[1] for r in rows], [r[2] for r in rows], best[1])
    save_model(
        str(OUT),
        vec,
        clf,
        ["checkworthy"],
        {
            "trained_on": "checkthat2019 fit debates: " + ", ".join(name for name, _ in debates),
            "C": best[1],
            "cv_map": round(best[0], 4),
        },
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes), C={best[1]}")


if __name__ == "__main__":
    main()

"""Check-worthiness of a statement in [0, 1]: a TF-IDF + logistic-regression model fitted by
scripts/train_checkworthy.py on part of ../shared/eval/checkthat2019 (CLEF CheckThat! 2019
Task 1) and shipped as models/checkworthy.json.gz. Without the model file, every score is 0."""

from __future__ import annotations

from collections.abc import Callable

from casegraph.analyze.linear import load_packaged

MODEL_FILE = "checkworthy.json.gz"


def scorer() -> Callable[[list[str]], list[float]] | None:
    model = load_packaged(MODEL_FILE)
    if model is None:
        return None
    return lambda texts: [row[0] for row in model.scores_many(texts)]

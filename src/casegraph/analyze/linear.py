"""A TF-IDF + logistic-regression text model stored as plain JSON (no pickle: nothing in a
model file can run code). Written by scripts/train_*.py from scikit-learn, read here without
scikit-learn so that scoring is the same dot product at training and at run time."""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def ngrams(words: list[str], n_max: int) -> list[str]:
    out = list(words)
    for n in range(2, n_max + 1):
        out += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return out


class LinearTextModel:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.classes: list[str] = data["classes"]
        self.vocabulary: dict[str, int] = data["vocabulary"]
        self.idf: list[float] = data["idf"]
        self.coef: list[dict[int, float]] = [{int(k): v for k, v in row.items()} for row in data["coef"]]
        self.intercept: list[float] = data["intercept"]
        self.n_max: int = data.get("ngram_max", 1)
        self.sublinear: bool = data.get("sublinear_tf", False)
        self.thresholds: dict[str, float] = data.get("thresholds", {})
        self._weights: Any = None

    def features(self, text: str) -> dict[int, float]:
        counts = Counter(t for t in ngrams(tokens(text), self.n_max) if t in self.vocabulary)
        vec = {}
        for term, c in counts.items():
            i = self.vocabulary[term]
            tf = 1.0 + math.log(c) if self.sublinear else float(c)
            vec[i] = tf * self.idf[i]
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {i: v / norm for i, v in vec.items()}

    def scores(self, text: str) -> list[float]:
        """Probability of each class (one-vs-rest logistic)."""
        return self.scores_many([text])[0]

    def scores_many(self, texts: list[str]) -> list[list[float]]:
        """Probabilities for many texts at once: one sparse-dense product instead of loops."""
        import numpy as np
        from scipy.sparse import csr_matrix

        if self._weights is None:
            w = np.zeros((len(self.idf), len(self.coef)), dtype=np.float64)
            for c, row in enumerate(self.coef):
                for i, v in row.items():
                    w[i, c] = v
            self._weights = w
        data: list[float] = []
        cols: list[int] = []
        ptr = [0]
        for text in texts:
            vec = self.features(text)
            cols += vec.keys()
            data += vec.values()
            ptr.append(len(cols))
        x = csr_matrix((data, cols, ptr), shape=(len(texts), len(self.idf)))
        z = np.clip(x @ self._weights + np.asarray(self.intercept), -30.0, 30.0)
        probabilities: list[list[float]] = (1.0 / (1.0 + np.exp(-z))).tolist()
        return probabilities


def save_model(
    path: str, vectorizer: Any, classifier: Any, classes: list[str], extra: dict[str, Any]
) -> None:
    """Export a fitted TfidfVectorizer + LogisticRegression (or one per class) to JSON.gz."""
    vocab = {t: int(i) for t, i in vectorizer.vocabulary_.items()}
    coefs = classifier if isinstance(classifier, list) else [classifier]
    rows, intercepts = [], []
    for clf in coefs:
        for r in range(clf.coef_.shape[0]):
            rows.append({str(i): round(float(w), 5) for i, w in enumerate(clf.coef_[r]) if abs(w) >= 1e-4})
            intercepts.append(round(float(clf.intercept_[r]), 5))
    data = {
        "kind": "tfidf-logreg",
        "classes": classes,
        "vocabulary": vocab,
        "idf": [round(float(x), 5) for x in vectorizer.idf_],
        "ngram_max": vectorizer.ngram_range[1],
        "sublinear_tf": bool(vectorizer.sublinear_tf),
        "coef": rows,
        "intercept": intercepts,
        **extra,
    }
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=8)
def load_packaged(name: str) -> LinearTextModel | None:
    """A model shipped in casegraph/analyze/models/, or None if it has not been built."""
    entry = resources.files("casegraph.analyze").joinpath("models").joinpath(name)
    if not entry.is_file():
        return None
    with entry.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return LinearTextModel(json.load(fh))

"""The support score and its thresholds, fitted on WiCE (scripts/fit_check_thresholds.py).

score(cosine, lexical) = sigmoid(bias + w_cos * cosine + w_lex * lexical), the probability that
a source sentence supports the item, with `support` the threshold above which an item counts as
found (paraphrased when not verbatim). The fitted values live in check/models/thresholds.json,
which records how they were fitted; the defaults below are used only when it is missing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

THRESHOLDS_FILE = "thresholds.json"


@dataclass
class Thresholds:
    bias: float = -6.0
    w_cos: float = 7.0
    w_lex: float = 4.0
    support: float = 0.5  # score at or above which the item counts as found in the evidence
    min_cosine: float = (
        0.55  # ...and the embedding similarity at least this (no paraphrase by shared words alone)
    )
    verbatim: float = 90.0  # rapidfuzz partial_ratio at or above which the words are the source's own
    related: float = 0.35  # score at or above which a conflicting sentence is the same statement
    related_lexical: float = 0.5  # ...or this share of the item's (weighted) words
    min_checkworthiness: float = 0.2  # claims below are not checked (unless about documents): a low bar
    fitted: dict[str, Any] = field(default_factory=dict)  # provenance of the fit

    def score(self, cosine: float, lexical: float) -> float:
        z = self.bias + self.w_cos * cosine + self.w_lex * lexical
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def supports(self, cosine: float, lexical: float) -> bool:
        return self.score(cosine, lexical) >= self.support and cosine >= self.min_cosine

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load(path: str | Path | None = None) -> Thresholds:
    """The shipped thresholds (or those at `path`)."""
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        entry = resources.files("casegraph.check").joinpath("models", THRESHOLDS_FILE)
        if not entry.is_file():
            return Thresholds()
        text = entry.read_text(encoding="utf-8")
    data = json.loads(text)
    known = set(Thresholds.__dataclass_fields__)
    return Thresholds(**{k: v for k, v in data.items() if k in known})


def save(thresholds: Thresholds, path: str | Path) -> None:
    Path(path).write_text(json.dumps(thresholds.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")

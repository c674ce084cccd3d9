"""Propaganda techniques (the technique names of SemEval-2020 Task 11 / PTC) as sentence spans.

Two detectors: `LexiconDetector`, a hand-written cue list (the baseline `eval ptc` reports),
and the learned one, a TF-IDF + logistic-regression model per technique fitted by
scripts/train_rhetoric.py on part of ../shared/eval/ptc and shipped as models/rhetoric.json.gz.
Analysis uses the learned model when it is shipped, else the lexicon."""

from __future__ import annotations

import re
from typing import Any

from casegraph.analyze.linear import load_packaged

MODEL_FILE = "rhetoric.json.gz"

LEXICON: dict[str, list[str]] = {
    "Loaded_Language": [
        "shocking",
        "outrageous",
        "disgusting",
        "evil",
        "horrific",
        "disaster",
        "disastrous",
        "radical",
        "brutal",
        "shameful",
        "despicable",
        "vicious",
        "dirty",
        "shady",
        "sinister",
        "catastrophic",
        "massive",
        "insane",
        "ruthless",
        "heinous",
        "stunning",
        "devastating",
        "corrupt",
        "crooked",
        "slaughter",
        "destroy",
    ],
    "Name_Calling,Labeling": [
        "traitor",
        "idiot",
        "moron",
        "liar",
        "thug",
        "terrorist",
        "extremist",
        "puppet",
        "clown",
        "fascist",
        "communist",
        "globalist",
        "snowflake",
        "crook",
        "regime",
        "deplorable",
        "loser",
        "lunatic",
        "elite",
    ],
    "Doubt": ["so-called", "allegedly", "questionable", "dubious", "supposedly", "really", "is it possible"],
    "Exaggeration,Minimisation": [
        "never",
        "always",
        "everyone",
        "nobody",
        "the worst",
        "the best",
        "the greatest",
        "the biggest",
        "of all time",
        "only a",
        "merely",
        "just a",
        "completely",
        "totally",
        "entire",
    ],
    "Appeal_to_fear-prejudice": [
        "threat",
        "danger",
        "dangerous",
        "fear",
        "destroy",
        "invasion",
        "invade",
        "collapse",
        "chaos",
        "attack",
        "catastrophe",
        "crisis",
    ],
    "Flag-Waving": [
        "patriot",
        "patriotic",
        "our nation",
        "our country",
        "american people",
        "great nation",
        "homeland",
    ],
    "Slogans": ["make america great", "lock her up", "build the wall", "drain the swamp", "america first"],
    "Causal_Oversimplification": ["because of", "the reason is", "the cause of", "is to blame", "caused by"],
    "Appeal_to_Authority": ["experts say", "scientists say", "according to experts", "studies show"],
    "Black-and-White_Fallacy": ["either", "the only way", "there is no alternative", "you are either"],
    "Thought-terminating_Cliches": ["it is what it is", "enough is enough", "end of story", "period."],
    "Whataboutism,Straw_Men,Red_Herring": ["what about"],
    "Bandwagon,Reductio_ad_hitlerum": ["everyone knows", "hitler", "nazi", "nazis", "everybody"],
    "Repetition": [],
}


class LexiconDetector:
    """Baseline: a technique fires on a sentence that contains one of its cue words."""

    name = "lexicon"

    def __init__(self, lexicon: dict[str, list[str]] | None = None):
        self.patterns = {
            tech: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.I)
            for tech, words in (lexicon or LEXICON).items()
            if words
        }

    def detect(self, text: str) -> list[tuple[str, float]]:
        return [(tech, 0.5) for tech, pattern in self.patterns.items() if pattern.search(text)]

    def detect_many(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        return [self.detect(t) for t in texts]


class LearnedDetector:
    """A technique fires when its classifier's probability reaches its fitted threshold."""

    name = "learned"

    def __init__(self, model: Any):
        self.model = model

    def detect(self, text: str) -> list[tuple[str, float]]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        out = []
        for scores in self.model.scores_many(texts) if texts else []:
            out.append(
                [
                    (tech, round(p, 4))
                    for tech, p in zip(self.model.classes, scores, strict=False)
                    if p >= self.model.thresholds.get(tech, 0.5)
                ]
            )
        return out


def detector() -> LexiconDetector | LearnedDetector:
    model = load_packaged(MODEL_FILE)
    return LearnedDetector(model) if model is not None else LexiconDetector()

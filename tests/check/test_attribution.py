"""Who said the words in a source: speech cues read on a real estate document, and speakers
compared by name when entities are not resolved."""

from __future__ import annotations

import re

import pytest

from casegraph.check.attribution import EvidenceSpeaker, _cue_speaker, same_person
from casegraph.check.items import Speaker
from casegraph.check.text import sentences
from tests.check.conftest import SOURCE


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        (
            "They cut a deal which they have to know was a failure",
            "Marci Hamilton",
        ),  # "…," said Marci Hamilton
        ("We did not reach this decision lightly", "Sloman"),  # continues a quote closed by "said Sloman"
        (
            "I won't let it happen without first being heard",
            "Sloman",
        ),  # Sloman called Acosta "…," adding, "…"
        ("They would obtain concessions as part of a negotiation", "Acosta"),  # "…," Acosta wrote
    ],
)
def test_speech_cues_name_the_speaker(words: str, speaker: str):
    text = SOURCE.read_text(encoding="utf-8")
    m = re.search(r"\s+".join(map(re.escape, words.split())), text)
    assert m, words
    window = next(s for s in sentences(text) if s[0] <= m.start() < s[1])
    assert _cue_speaker(text, m.start(), m.end(), window) == speaker


def test_narration_has_no_speaker():
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("He served 13 months")
    window = next(s for s in sentences(text) if s[0] <= start < s[1])
    assert _cue_speaker(text, start, window[1], window) == ""


def test_names_are_compared_by_family_and_given_name():
    hamilton = EvidenceSpeaker("Marci Hamilton", None, "speech cue")
    assert same_person(Speaker("Hamilton"), hamilton)
    assert same_person(Speaker("Ms. Marci Hamilton"), hamilton)
    assert same_person(Speaker("Alan Dershowitz"), hamilton) is False
    assert same_person(Speaker("Hunter Biden"), EvidenceSpeaker("Joe Biden", None, "speech cue")) is False
    assert same_person(
        Speaker("Epstein", names=["Jeffrey Epstein"]), EvidenceSpeaker("Epstein, Jeffrey", None, "author")
    )
    # resolved entities decide when both sides have one
    assert same_person(
        Speaker("Nazarbayev", "e1"), EvidenceSpeaker("Nursultan Nazarbayev", "e1", "quote in the source")
    )
    assert (
        same_person(Speaker("Aliyev", "e2"), EvidenceSpeaker("Rakhat Aliyev", "e3", "quote in the source"))
        is False
    )

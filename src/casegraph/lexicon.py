"""Word lists shared by several stages: each list is written once, here, and imported.

- MONTHS: month names and their abbreviations, with the month's number (check/facts reads
  dates in claims, graph/timeline dates in sentences, check/verifier keeps month names out of
  the names it compares).
- SPEECH_VERBS: lemmas of verbs that report words said or written ("say", "write", "shout").
  Attribution (analyze/attribution) takes them as the cue of a statement; a quote's cue
  (analyze/quotes) may be one of them or one of QUOTE_CUES_NOT_SPEECH.
- FAMILY_NOUNS: kinship nouns. Relations (analyze/relations) type a "family" relation by them;
  speaker resolution (analyze/attribution/resolve) takes "the widow", "his son" as describing
  a person.

Abbreviations that do not end a sentence are ingest's (ingest/segment), the one sentence
splitter every stage uses.
"""

from __future__ import annotations

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# full names, the three-letter abbreviations and "sept", lower case -> 1..12
MONTHS: dict[str, int] = {
    **{name: i for i, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: i for i, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
# a regular expression alternative for any of MONTHS, longest first ("september" before "sep")
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

SPEECH_VERBS = frozenset(
    {
        "acknowledge",
        "accuse",
        "add",
        "admit",
        "agree",
        "allege",
        "announce",
        "argue",
        "ask",
        "assert",
        "boast",
        "cable",
        "call",
        "caution",
        "cite",
        "claim",
        "comment",
        "complain",
        "concede",
        "conclude",
        "confirm",
        "contend",
        "continue",
        "declare",
        "demand",
        "deny",
        "describe",
        "e-mail",
        "email",
        "emphasise",
        "emphasize",
        "explain",
        "insist",
        "joke",
        "lament",
        "maintain",
        "mention",
        "muse",
        "note",
        "observe",
        "plead",
        "pledge",
        "post",
        "predict",
        "promise",
        "propose",
        "quote",
        "recall",
        "recount",
        "reiterate",
        "remark",
        "repeat",
        "reply",
        "report",
        "respond",
        "retort",
        "reveal",
        "say",
        "scream",
        "shout",
        "state",
        "stress",
        "suggest",
        "testify",
        "tell",
        "tout",
        "tweet",
        "urge",
        "vow",
        "warn",
        "whisper",
        "write",
        "yell",
    }
)
# verbs that may introduce words in quote marks without reporting them as said: beliefs and
# wishes ("he thinks"), estimates, orders, threats, "pointed out", "signed", and "speak", whose
# object is whom or what someone spoke about ("spoke with reporters"), not the words
QUOTE_CUES_NOT_SPEECH = frozenset(
    {"believe", "estimate", "hope", "order", "point", "sign", "speak", "think", "threaten", "wish"}
)

FAMILY_NOUNS = frozenset(
    {
        "aunt",
        "brother",
        "cousin",
        "daughter",
        "ex-husband",
        "ex-wife",
        "father",
        "fiance",
        "fiancee",
        "fiancé",
        "fiancée",
        "granddaughter",
        "grandfather",
        "grandmother",
        "grandson",
        "husband",
        "mother",
        "nephew",
        "niece",
        "sibling",
        "sister",
        "son",
        "spouse",
        "stepdaughter",
        "stepfather",
        "stepmother",
        "stepson",
        "uncle",
        "widow",
        "widower",
        "wife",
    }
)

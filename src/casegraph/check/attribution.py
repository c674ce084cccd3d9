"""Who said the evidence, and whether that is who the article says.

The evidence's speaker comes, in this order, from the source's own quotes (analysis stage:
speaker mention -> resolved entity), from a speech cue next to the words in the source
("…," said Marci Hamilton / Sloman wrote), or from the document's sender or author (an
e-mail's From). Speakers are compared by resolved entity where both have one, else by name:
the family name (titles stripped, accents folded) must agree, and the first names too when
both give one, so that Joe Biden is not Hunter Biden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from casegraph.check.items import Speaker
from casegraph.check.text import fold
from casegraph.store import CaseStore

_NAME = r"((?:[A-Z][\w.'’-]*\.?\s){0,3}[A-Z][\w'’-]+)"
_VERBS = (
    r"(?:said|says|wrote|writes|told|tells|stated|states|noted|notes|added|adds|adding|saying|explained|argued|"
    r"recalled|insisted|declared|replied|called|warned|claimed|asked|testified|continued|emphasized|stressed)"
)
_SUBJECT_CUE = re.compile(_NAME + r"(?:,[^,]{0,60},)?\s+(?:has\s+|had\s+)?" + _VERBS + r"\b")
_CUE_AFTER = re.compile(r"[,\"”]+\s*" + _VERBS + r"\s+" + _NAME)  # "…," said Marci Hamilton
_CUE_AFTER_NAME_FIRST = re.compile(r"[,\"”]+\s*" + _NAME + r"\s+" + _VERBS + r"\b")  # "…," Acosta wrote
_ACCORDING = re.compile(r"according to\s+" + _NAME)
_FROM_HEADER = re.compile(r"^\s*From:\s*([^\n<\[]{2,80})", re.MULTILINE)
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sir",
    "president",
    "senator",
    "sen",
    "rep",
    "representative",
    "ambassador",
    "secretary",
    "minister",
    "judge",
    "gov",
    "governor",
    "former",
    "the",
    "attorney",
    "general",
    "lobbyist",
}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "the", "but", "and", "in", "as"}


@dataclass
class EvidenceSpeaker:
    name: str
    entity_id: str | None
    how: str  # "quote in the source" | "speech cue" | "sender" | "author"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "entity_id": self.entity_id, "how": self.how}


def evidence_speaker(
    store: CaseStore, doc: dict[str, Any], start: int, end: int, window: tuple[int, int]
) -> EvidenceSpeaker | None:
    """The speaker of doc.text[start:end]; `window` is the sentence(s) around it to read cues in."""
    for quote in store.source_quotes_overlapping(doc["id"], start, end):
        if quote.get("speaker_mention") is not None:
            name = quote.get("speaker_name") or quote.get("speaker_text") or ""
            if fold(name) not in _PRONOUNS:
                return EvidenceSpeaker(name, quote.get("speaker_entity"), "quote in the source")
    text = doc["text"]
    cue = _cue_speaker(text, start, end, window)
    if cue:
        return EvidenceSpeaker(cue, None, "speech cue")
    if _inside_quote_marks(text, start, window):
        return None  # someone quoted in the document, not its sender: speaker unknown
    for sender in store.email_senders(doc["id"]):
        name = sender.get("entity_name") or sender.get("name") or sender.get("address") or ""
        if name:
            return EvidenceSpeaker(name, sender.get("entity_id"), "sender")
    meta = doc.get("meta") or {}
    for name in (meta.get("from_name"), meta.get("email_from"), meta.get("from"), doc.get("author")):
        if isinstance(name, str) and name.strip():
            return EvidenceSpeaker(name.strip(), None, "author")
    header = _FROM_HEADER.search(text[:800])
    if header and start > header.end():
        name = header.group(1).strip(" ;,")
        if name:
            return EvidenceSpeaker(name, None, "sender")
    return None


def _cue_speaker(text: str, start: int, end: int, window: tuple[int, int]) -> str:
    """A speaker named by a cue tied to these words: right after them ("…," said X), right
    before them (X wrote: "…"), or, for a quote continuing an earlier one, after that one."""
    for pattern in (_CUE_AFTER, _CUE_AFTER_NAME_FIRST):
        after = pattern.search(text, max(0, end - 1), min(len(text), end + 80))
        if after and after.start() - end <= 3:
            name = _clean_name(after.group(1))
            if name:
                return name
    before = text[max(0, start - 120) : start]
    m = re.search(_NAME + r",?(?:\s+\w+){0,3}?\s+" + _VERBS + r"\s*(?:that\s*)?[:,]?\s*[\"“]?\s*$", before)
    if m:
        name = _clean_name(m.group(1))
        if name:
            return name
    sentence = text[window[0] : window[1]]
    for pattern in (_CUE_AFTER, _CUE_AFTER_NAME_FIRST, _ACCORDING):
        for m in pattern.finditer(sentence):
            name = _clean_name(m.group(1))
            if name:
                return name
    if _inside_quote_marks(text, start, window):
        # the subject of the sentence introducing the quote (Sloman called Acosta "…," adding, "…")
        subjects = [_clean_name(m.group(1)) for m in _SUBJECT_CUE.finditer(text[window[0] : start])]
        subjects = [n for n in subjects if n]
        if subjects:
            return subjects[-1]
        if text[window[0] : window[0] + 1] in ('"', "“"):  # a quote continuing one closed earlier
            earlier = list(_CUE_AFTER.finditer(text[max(0, window[0] - 300) : window[0]]))
            if earlier:
                return _clean_name(earlier[-1].group(1))
    return ""


def _inside_quote_marks(text: str, start: int, window: tuple[int, int]) -> bool:
    """Whether `start` lies inside quotation marks opened in its sentence (or opens them)."""
    before = text[window[0] : start]
    if text[max(0, start - 2) : start + 1].strip()[-1:] in ('"', "“") or before.rstrip()[-1:] in ('"', "“"):
        return True
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _clean_name(raw: str) -> str:
    tokens = [t for t in raw.split() if fold(t).strip(".") not in _TITLES]
    if not tokens or fold(tokens[0]) in _PRONOUNS:
        return ""
    return " ".join(tokens)


def _name_parts(name: str) -> tuple[list[str], str]:
    """(given names, family name) of a person's name, folded; "Surname, Given" is turned round."""
    name = fold(name)
    if "," in name:
        family, _, given = name.partition(",")
        name = f"{given} {family}"
    tokens = [t.strip(".'\"") for t in re.split(r"[\s]+", name) if t.strip(".'\"")]
    tokens = [
        t for t in tokens if t not in _TITLES and not t.startswith("@") and t not in ("jr", "sr", "ii", "iii")
    ]
    if not tokens:
        return [], ""
    return tokens[:-1], tokens[-1]


def same_person(speaker: Speaker, evidence: EvidenceSpeaker) -> bool | None:
    """True, False, or None when it cannot be told (no names)."""
    if speaker.entity_id and evidence.entity_id:
        return speaker.entity_id == evidence.entity_id
    names = [n for n in [speaker.text, *speaker.names] if n]
    if not names or not evidence.name:
        return None
    other_given, other_family = _name_parts(
        evidence.name.split("@")[0].replace(".", " ") if "@" in evidence.name else evidence.name
    )
    if not other_family:
        return None
    for name in names:
        given, family = _name_parts(name)
        if not family:
            continue
        if family == other_family or fuzz.ratio(family, other_family) >= 88:
            if given and other_given and not _given_compatible(given[0], other_given[0]):
                continue
            return True
        # "Epstein" as the e-mail's "jeffrey E." or "J": initials only
        if len(other_family) <= 2 and given and other_given == [] and other_family[0] == given[0][0]:
            return True
        if (
            len(other_family) <= 2
            and given
            and other_given
            and other_given[0] == given[0]
            and other_family[0] == family[0]
        ):
            return True
    return False


def _given_compatible(a: str, b: str) -> bool:
    a, b = a.strip("."), b.strip(".")
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b or fuzz.ratio(a, b) >= 80


def named_near(speaker: Speaker, text: str) -> bool:
    """Whether the article's speaker is named in this stretch of source text."""
    folded = fold(text)
    for name in [speaker.text, *speaker.names]:
        _, family = _name_parts(name or "")
        if len(family) >= 3 and re.search(r"\b" + re.escape(family) + r"\b", folded):
            return True
    return False

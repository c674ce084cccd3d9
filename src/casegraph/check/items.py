"""What gets checked: the article's quotes and its check-worthy claims, each with the
speaker or source the article names, the entities it mentions and the article's own
hedges, boosters, claim type and rhetoric around it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from casegraph.check.text import strip_quotes
from casegraph.models import ArticleSpeaker, RhetoricSpan, TextSpan

# Claims about what documents contain are checked whatever their check-worthiness score.
DOCUMENT_CLAIM = re.compile(
    r"\b(documents?|materials?|correspondence|files?|records?|e-?mails?|letters?|cables?|papers?|memos?)\b"
    r"[^.;:]{0,60}?\b(state[sd]?|show(?:s|ed)?|reveal(?:s|ed)?|say|says|said|indicate[sd]?|describe[sd]?|"
    r"mention(?:s|ed)?|contain(?:s|ed)?|suggest(?:s|ed)?|confirm(?:s|ed)?|note[sd]?)\b"
    r"|\b(according to|from|in) the (documents|materials|correspondence|files|records|e-?mails|letters)\b",
    re.IGNORECASE,
)
# "The documents state that X" / "According to the correspondence, X": X is what is checked.
_ATTRIBUTION_PREFIX = re.compile(
    r"^\s*(?:according to [^,]{1,80},\s*|(?:[^.;:\"“]{0,100}?\b(?:state[sd]?|show(?:s|ed)?|reveal(?:s|ed)?|"
    r"say|says|said|indicate[sd]?|claim(?:s|ed)?|suggest(?:s|ed)?|confirm(?:s|ed)?|wrote|writes|note[sd]?)"
    r"\s+that\s+))",
    re.IGNORECASE,
)


# Lines that organise the article rather than state anything: transitions, lead-ins ending in a
# colon, invitations to the reader ("Let's break it down step by step.").
_FILLER = re.compile(
    r"^\W*(?:let'?s|let us|let me|here'?s|here is|here are|now,? let|so,? let|to sum up|in summary|"
    r"in conclusion|to conclude|in short|first,? let|next,? let|finally,? let|consider the following|"
    r"read on|stay tuned|more on that|see below|as follows)\b"
    r"|\b(?:step by step|break (?:it|this|that) down|the following|it became clear that|"
    r"take a (?:closer )?look|what we know|what this means)\W*$",
    re.IGNORECASE,
)


def _title_like(text: str) -> bool:
    """Most longer words capitalised ("Lobbyists and the Kazakh Feud"): a heading, not a list
    item that states something ("Aliyev paid $2 billion")."""
    long_words = [w for w in re.findall(r"[^\W\d_]{4,}", text)]
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return bool(long_words and capitalised / len(long_words) >= 0.6)


_READER = re.compile(r"\b(?:you|your|we|us|our|let'?s)\b", re.IGNORECASE)


def line_of(text: str, start: int, end: int) -> str:
    """The whole line of the article around [start, end) (its own paragraph or list item)."""
    if not text:
        return ""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a : len(text) if b < 0 else b]


def not_an_item(text: str, kind: str = "claim", line: str = "") -> str:
    """Why a piece of the article is not checked ("" when it is): a heading (a short line
    without final punctuation, title-cased or alone on its `line` with no bullet before it),
    a question to the reader, a transition or lead-in ("From the documents, it became clear
    that:"). Quotes are checked unless they are a heading."""
    bare = " ".join(text.split()).strip("\"'“”‘’«» ")
    if not bare:
        return "empty"
    if len(bare.split()) <= 14 and bare[-1] not in '.!?;:,"”’)':
        if _title_like(bare):
            return "heading"
        whole = " ".join(line.split())
        if whole and whole.strip("\"'“”‘’«» ") == bare:  # a line of its own, no bullet before it
            return "heading"
    if kind == "quote":
        return ""
    if bare.endswith(":"):
        return "lead-in"
    if bare.endswith("?") and (_READER.search(bare) or len(bare.split()) <= 12):
        return "question to the reader"
    if _FILLER.search(bare) and len(bare.split()) <= 16:
        return "transition"
    return ""


@dataclass
class Speaker:
    """Who the article says spoke: the mention's text, its resolved entity and that entity's names."""

    text: str
    entity_id: str | None = None
    names: list[str] = field(default_factory=list)

    def to_dict(self) -> ArticleSpeaker:
        return ArticleSpeaker(
            name=self.names[0] if self.names else self.text,
            entity_id=self.entity_id,
            text=self.text,
        )


@dataclass
class Item:
    kind: Literal["quote", "claim"]
    start: int
    end: int
    text: str  # as the article has it
    core: str  # the words looked for in the sources (no quote marks, no "the documents state that")
    speaker: Speaker | None = None
    entity_ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # names mentioned in the item
    claim_type: str = ""
    checkworthiness: float | None = None
    hedges: list[TextSpan] = field(default_factory=list)
    boosters: list[TextSpan] = field(default_factory=list)
    rhetoric: list[RhetoricSpan] = field(default_factory=list)
    about_documents: bool = False

    @property
    def speculative(self) -> bool:
        return self.claim_type == "speculation" or bool(self.hedges)


# "One of the documents describes a conflict between A and B": what a document is said to
# describe, a description to find in one document rather than a statement.
DESCRIBES = re.compile(
    r"^\s*(?:(?:one|some|several|many|two|three|none) of )?(?:the |these |those |an? )?"
    r"(?:(?:released|leaked|estate|court|internal) )?(?:documents?|materials?|e-?mails?|files?|records?|letters?|"
    r"cables?|memos?|papers?)\s+(?:also\s+)?(?:describes?|described|mentions?|mentioned|details?|detailed|"
    r"discuss(?:es|ed)?|refers? to|referred to|shows?|showed|reveals?|revealed|recounts?|recounted)\s+"
    r"(?!that\b)",
    re.IGNORECASE,
)


def claim_core(text: str) -> str:
    """The checkable content of a claim, without its attribution prefix."""
    core = DESCRIBES.sub("", text, count=1).strip()
    if core == text.strip():
        core = _ATTRIBUTION_PREFIX.sub("", text, count=1).strip()
    return core if len(core.split()) >= 3 else text.strip()


def quote_core(text: str) -> str:
    return strip_quotes(text)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def contained(inner: tuple[int, int], outer: tuple[int, int], share: float = 0.8) -> bool:
    """Whether most of `inner` lies inside `outer`."""
    length = max(1, inner[1] - inner[0])
    common = min(inner[1], outer[1]) - max(inner[0], outer[0])
    return common >= share * length

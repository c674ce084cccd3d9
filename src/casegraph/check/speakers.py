"""Who said the evidence, and whether that is who the article says: read from the analysis.

The evidence's speaker is, in this order:
- the speaker of an attribution that analysis found around the words (analyze/attribution:
  the source as the text names it, "she" or "the ambassador", resolved inside the document to
  a named person, and across documents by the entity of that person's mention);
- else the role of the text the words lie in (analysis's text-inside-text blocks): narration
  of a pasted news story (nobody's statement; its author is the story's byline or outlet), a
  pasted story, a reply's quoted history or a forwarded message (their author), or the
  sender's own text;
- else the document's sender or author.
Speakers are compared by resolved entity where both have one, else by name with resolution's
name library (resolve/matching.same_person): partial names agree with full ones ("John Q."
with "John Q. Smith", "Ms. Doe" with "Jane Doe"), transliterations with each other
("Назарбаев" with "Nazarbayev"), a family name must agree, and first names too when both give
one (Joe Biden is not Hunter Biden); a role given with a family name
("lobbyist Doe") must stand next to that person in the source when the source names two
persons of that family name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from casegraph.check.items import Item, Speaker
from casegraph.check.text import fold
from casegraph.models import AttributionRow
from casegraph.resolve.matching import person_words as _tokens
from casegraph.resolve.matching import same_person as same_name
from casegraph.store import CaseStore

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "this", "that", "who", "which"})
ROLE_WORDS = frozenset(
    {
        "lobbyist",
        "ambassador",
        "diplomat",
        "lawyer",
        "attorney",
        "senator",
        "minister",
        "president",
        "prosecutor",
        "judge",
        "financier",
        "businessman",
        "spokesman",
        "spokeswoman",
        "secretary",
        "governor",
        "banker",
        "agent",
        "journalist",
        "reporter",
    }
)
ROLE_LABELS = {
    "quote": "quoted in the source",
    "authored": "the sender's own text",
    "pasted": "a news story pasted into the e-mail",
    "narration": "narration of a pasted news story",
    "quoted": "a message quoted in the e-mail's history",
    "forwarded": "a forwarded message",
}


@dataclass
class EvidenceSpeaker:
    name: str
    entity_id: str | None
    how: str  # "quote in the source" | "narration" | "pasted story" | "quoted message" | "sender" | "author"
    role: str = ""  # quote | authored | pasted | narration | quoted | forwarded ("" when unknown)
    said_as: str = ""  # the source as the text names it ("she", "the ambassador")
    resolved: str = ""  # name | pronoun | description: how "said_as" became the named person
    sender: str = ""  # the e-mail's sender, when the words are not theirs

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "entity_id": self.entity_id,
            "how": self.how,
            "role": self.role,
            "said_as": self.said_as,
            "resolved": self.resolved,
        }


def evidence_speaker(
    store: CaseStore, doc: dict[str, Any], start: int, end: int, window: tuple[int, int]
) -> EvidenceSpeaker | None:
    """The speaker of doc.text[start:end] as analysis stored it; `window` is the sentence(s)
    around the words."""
    doc_id = doc["id"]
    best: AttributionRow | None = None
    best_overlap = 0
    for row in store.attributions_overlapping(doc_id, start, end):
        overlap = min(end, row["end"]) - max(start, row["start"])
        if overlap > best_overlap:
            best, best_overlap = row, overlap
    sender = _sender(store, doc, start)
    text = doc["text"]
    blocks = store.text_roles(doc_id, start, end)
    in_story = any(b.role in ("pasted", "narration") for b in blocks)
    cited = ""
    if best is not None and best_overlap >= 0.3 * min(end - start, best["end"] - best["start"]):
        name = best.get("speaker_name") or best.get("speaker_text") or ""
        said_as = best.get("source_text") or ""
        if not name and in_story:
            cited = said_as  # a story's own reporting ("court documents show ..."): its narration
        elif name or (said_as and fold(said_as) not in PRONOUNS):
            return EvidenceSpeaker(
                name or said_as,
                best.get("speaker_entity"),
                "quote in the source",
                "quote",
                said_as,
                best.get("speaker_how") or "",
                sender.name if sender else "",
            )
    inner = [b for b in blocks if b.role == "narration"] or blocks
    if inner:
        block = max(inner, key=lambda b: min(end, b.end) - max(start, b.start))
        if block.role in ("narration", "pasted"):
            if block.role == "pasted" and not cited and _inside_quote_marks(text, start, window):
                return None  # someone quoted in the story whom analysis could not name
            role = "narration" if block.role == "narration" or cited else "pasted"
            how = "narration" if role == "narration" else "pasted story"
            return EvidenceSpeaker(block.author, None, how, role, cited, sender=sender.name if sender else "")
        if block.role in ("quoted", "forwarded") and block.author:
            return EvidenceSpeaker(block.author, None, "quoted message", block.role)
    if _inside_quote_marks(text, start, window):
        return None  # someone quoted in the document, not its sender: speaker unknown
    if sender is not None:
        sender.role = "authored" if blocks else ""
        return sender
    return None


def _sender(store: CaseStore, doc: dict[str, Any], start: int) -> EvidenceSpeaker | None:
    # the sender of the message the words are in: the last header before them (in a print of
    # several e-mails, words before every header are no sender's that the case knows)
    found, headed = None, False
    for row in store.email_senders(doc["id"]):
        at = row.get("start")  # None: read from the metadata, not from a header in the text
        if at is not None:
            headed = True
            if at > start:
                break
        name = row.get("entity_name") or row.get("name") or row.get("address") or ""
        if name:
            found = EvidenceSpeaker(name, row.get("entity_id"), "sender")
    if found is not None or headed:
        return found
    meta = doc.get("meta") or {}
    sender = meta.get("email_from")
    if isinstance(sender, dict):
        name = sender.get("name") or sender.get("address")
        if name:
            return EvidenceSpeaker(str(name), None, "sender")
    for name in (meta.get("from_name"), meta.get("from"), doc.get("author")):
        if isinstance(name, str) and name.strip():
            return EvidenceSpeaker(name.strip(), None, "author")
    # a header block near the top, as ingest stored it (ingest/email_header.py): its sender
    headers = store.email_headers(doc["id"])
    if headers is not None:
        froms = [s for s in headers.of_kind("field") if s.field == "from" and s.start < 800]
        senders = {s.number: s.author for s in headers.of_kind("header")}
        if froms and senders.get(froms[0].number) and start > froms[0].end:
            return EvidenceSpeaker(senders[froms[0].number], None, "sender")
    return None


def _inside_quote_marks(text: str, start: int, window: tuple[int, int]) -> bool:
    """Whether `start` lies inside quotation marks opened in its sentence (or opens them)."""
    before = text[window[0] : start]
    if text[max(0, start - 2) : start + 1].strip()[-1:] in ('"', "“") or before.rstrip()[-1:] in ('"', "“"):
        return True
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


# -- comparing speakers ------------------------------------------------------------------


def names_agree(a: str, b: str) -> bool | None:
    """True when one name is the other in part or whole ("John Q." / "John Q. Smith", "Doe" /
    "Jane Doe"), False when they differ, None when either has no name words: resolution's
    judgement (resolve/matching.same_person)."""
    return same_name(a, b)


def same_person(speaker: Speaker, evidence: EvidenceSpeaker) -> bool | None:
    """True, False, or None when it cannot be told (no names)."""
    if speaker.entity_id and evidence.entity_id and speaker.entity_id == evidence.entity_id:
        return True
    names = [n for n in [speaker.text, *speaker.names] if n]
    if not names or not evidence.name:
        return None
    verdicts = [names_agree(n, evidence.name) for n in names]
    if any(v is True for v in verdicts):
        return True
    if speaker.entity_id and evidence.entity_id:
        return False
    return False if any(v is False for v in verdicts) else None


def role_fits(speaker: Speaker, evidence_text: str, name: str) -> bool | None:
    """For an article speaker given with a role ("lobbyist Doe"): whether the source puts that
    role next to `name` (True), next to someone else of that family name only (False), or
    nowhere (None)."""
    roles = [w for w in _tokens_raw(speaker.text) if w in ROLE_WORDS]
    if not roles:
        return None
    family = (_tokens(name) or ("",))[-1]
    if not family:
        return None
    folded = fold(evidence_text)
    near_name = near_other = False
    for m in re.finditer(r"\b" + re.escape(family) + r"\b", folded):
        # the role next to this name: within a few words, in the same sentence
        left = folded[max(0, m.start() - 40) : m.start()].split(". ")[-1]
        right = folded[m.end() : m.end() + 40].split(". ")[0]
        around = left + " " + right
        if not any(r in around for r in roles):
            continue
        full = folded[max(0, m.start() - 30) : m.end()]
        given = (_tokens(name) or ("",))[0]
        if len(_tokens(name)) < 2 or given in full:
            near_name = True
        else:
            near_other = True
    if near_name:
        return True
    return False if near_other else None


def _tokens_raw(text: str) -> list[str]:
    return [t.strip(".,'\"") for t in fold(text).split()]


def named_near(speaker: Speaker, text: str) -> bool:
    """Whether the article's speaker is named in this stretch of source text."""
    folded = fold(text)
    for name in [speaker.text, *speaker.names]:
        words = _tokens(name or "")
        family = words[-1] if words else ""
        if len(family) >= 3 and re.search(r"\b" + re.escape(family) + r"\b", folded):
            return True
    return False


def misattribution(item: Item, evidence: EvidenceSpeaker | None, cite: str, context: str, firm: bool) -> str:
    """Why the evidence is not the words of the article's speaker ("" when it is, or when it
    cannot be told), in words a reader can check in the source. `cite` names the evidence
    ("DOC [start:end]"), `context` is the source text around it, `firm` says the words are a
    direct quote found verbatim. Applies to paraphrases as well as verbatim quotes."""
    assert item.speaker is not None
    named = item.speaker.names[0] if item.speaker.names else item.speaker.text
    if evidence is None:
        return ""
    if evidence.how == "quote in the source":
        same = same_person(item.speaker, evidence)
        if same is True and role_fits(item.speaker, context, evidence.name) is False:
            return f"in {cite} these words are {evidence.name}'s, and the source gives the role in the article to another {evidence.name.split()[-1]}"
        if same is False:
            said = evidence.said_as
            how = (
                f'; the source says "{said}", which refers to {evidence.name}'
                if said and fold(said) != fold(evidence.name)
                else ""
            )
            return f"in {cite} these words are {evidence.name}'s{how}, not {named}'s"
        return ""
    if evidence.role in ("narration", "pasted"):
        if same_person(item.speaker, evidence) is True:
            return ""  # the article credits the story's own author or outlet
        story = f" ({evidence.name})" if evidence.name else ""
        pasted_by = (
            f" that {evidence.sender} pasted into an e-mail" if evidence.sender else " pasted into an e-mail"
        )
        what = "narration of a news story" if evidence.role == "narration" else "text of a news story"
        citing = f", citing {evidence.said_as}" if evidence.said_as else ""
        return f"in {cite} this is {what}{story}{pasted_by}{citing}, not {named}'s words"
    if evidence.role in ("quoted", "forwarded"):
        if same_person(item.speaker, evidence) is False:
            return f"in {cite} these words are from a message by {evidence.name} quoted in the e-mail, not {named}'s"
        return ""
    if evidence.how in ("sender", "author"):
        same = same_person(item.speaker, evidence)
        if same is False and not named_near(item.speaker, context):
            return (
                f"in {cite} these words are {evidence.name}'s (the document's {evidence.how}), not {named}'s"
            )
        return ""
    return ""

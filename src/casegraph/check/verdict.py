"""From an item and its scored candidates to a verdict: status, score, reason, evidence.

Order of the decision (the first that holds):
- the best evidence conflicts with the item (number, money, date, negation) while being the
  same statement (verbatim, or scored as related, or sharing most of its rare words) ->
  contradicted;
- the words are the source's own (verbatim) or the score passes the fitted `support`
  threshold, but the source gives them to someone else, or they are narration with the
  article's speaker not named there -> misattributed;
- verbatim -> supported; over the threshold -> paraphrased;
- otherwise -> not_found, saying what was searched.
`score` is the confidence in the status: the support score of the best evidence, or one minus
it for not_found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from casegraph.check import facts
from casegraph.check.attribution import EvidenceSpeaker, evidence_speaker, named_near, same_person
from casegraph.check.calibration import Thresholds
from casegraph.check.items import Item
from casegraph.check.retrieve import Candidate, Retriever, Search
from casegraph.check.text import fold

SHORT_WORDS = 7


@dataclass
class Verdict:
    status: str
    score: float
    reason: str
    evidence: list[tuple[Candidate, EvidenceSpeaker | None]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def decide(
    item: Item, ranked: list[Candidate], search: Search, retriever: Retriever, t: Thresholds
) -> Verdict:
    if not ranked:
        return Verdict("not_found", 1.0, _not_found_reason(search, None, t))
    short = len(item.core.split()) < SHORT_WORDS  # a few words occur verbatim in many places

    def verbatim(c: Candidate) -> bool:
        return c.verbatim >= t.verbatim

    def same_statement(c: Candidate) -> bool:
        return (
            (verbatim(c) and not short)
            or t.supports(c.cosine, c.lexical)
            or (c.cosine >= t.min_cosine - 0.1 and c.lexical >= t.related_lexical)
        )

    for c in ranked[:5]:
        if not same_statement(c):
            continue
        reasons = facts.conflicts(item.core, aligned(item.core, c.text))
        if not (c.verbatim >= 80 or c.cosine >= 0.8):  # a negation flips meaning only in the same words
            reasons = [r for r in reasons if not r.startswith("negation")]
        if reasons:
            return Verdict(
                "contradicted",
                round(max(c.score, c.verbatim / 100 if verbatim(c) else 0.0), 3),
                f"{_cite(retriever, c)} says otherwise: {reasons[0]}",
                [(c, _speaker(retriever, c))],
                reasons,
            )
    for best in ranked:
        if (verbatim(best) and not short) or t.supports(best.cosine, best.lexical):
            break
        if verbatim(best) and short and item.speaker is not None:
            speaker = _speaker(retriever, best)
            if _attributed_to(item, best, speaker, retriever):
                break
    else:
        return Verdict(
            "not_found", round(1 - ranked[0].score, 3), _not_found_reason(search, ranked[0], t, short), []
        )
    speaker = _speaker(retriever, best)
    score = round(max(best.score, best.verbatim / 100 if verbatim(best) else 0.0), 3)
    if item.speaker is not None:
        wrong = _misattribution(item, best, speaker, retriever, firm=verbatim(best) and item.kind == "quote")
        if wrong:
            return Verdict("misattributed", score, wrong, [(best, speaker)])
    if verbatim(best):
        return Verdict(
            "supported",
            score,
            f"near verbatim ({best.verbatim:.0f}/100) in {_cite(retriever, best)}",
            [(best, speaker)],
        )
    return Verdict(
        "paraphrased",
        score,
        f"same content in other words in {_cite(retriever, best)} (similarity {best.cosine:.2f}, shared words {best.lexical:.0%})",
        [(best, speaker)],
    )


def _attributed_to(item: Item, c: Candidate, speaker: EvidenceSpeaker | None, retriever: Retriever) -> bool:
    assert item.speaker is not None
    if speaker is not None and speaker.how in ("quote in the source", "speech cue"):
        return bool(same_person(item.speaker, speaker))
    text = retriever.document(c.doc_id)["text"]
    window = _sentence_window(retriever, c)
    return named_near(item.speaker, text[window[0] : window[1]])


def aligned(item: str, evidence: str, margin: int = 25) -> str:
    """The part of the evidence that lines up with the item (whole when the item is longer):
    a number or "not" elsewhere in a long sentence is not a conflict."""
    a, b = fold(item), fold(evidence)
    if len(a) >= len(b):
        return b
    m = fuzz.partial_ratio_alignment(a, b)
    if m is None:
        return b
    return b[max(0, m.dest_start - margin) : m.dest_end + margin]


def _speaker(retriever: Retriever, c: Candidate) -> EvidenceSpeaker | None:
    doc = retriever.document(c.doc_id)
    window = _sentence_window(retriever, c)
    return evidence_speaker(retriever.store, doc, c.start, c.end, window)


def _sentence_window(retriever: Retriever, c: Candidate) -> tuple[int, int]:
    _starts, spans = retriever._sentence_index(c.doc_id)
    inside = [s for s in spans if s[0] < c.end and c.start < s[1]]
    return (inside[0][0], inside[-1][1]) if inside else (c.start, c.end)


def _misattribution(
    item: Item, c: Candidate, speaker: EvidenceSpeaker | None, retriever: Retriever, firm: bool
) -> str:
    """Why the words are not the named speaker's ("" when they are, or cannot be told).
    A speaker read from the source's quotes or a speech cue always counts; the document's
    sender or author, and narration, count only for a direct quote found verbatim (`firm`):
    an e-mail forwarding a news story is not its sender's statement."""
    assert item.speaker is not None
    named = item.speaker.names[0] if item.speaker.names else item.speaker.text
    if speaker is not None and (firm or speaker.how in ("quote in the source", "speech cue")):
        same = same_person(item.speaker, speaker)
        if same is False:
            return f"in {_cite(retriever, c)} these words are {speaker.name}'s ({speaker.how}), not {named}'s"
        if same:
            return ""
    if not firm:
        return ""
    text = retriever.document(c.doc_id)["text"]
    window = _sentence_window(retriever, c)
    if named_near(item.speaker, text[max(0, window[0] - 300) : window[1] + 300]):
        return ""
    return f"in {_cite(retriever, c)} these words are narration; {named} is not named as saying them"


def _cite(retriever: Retriever, c: Candidate) -> str:
    doc = retriever.document(c.doc_id)
    label = (doc.get("meta") or {}).get("bates_begin") or doc.get("title") or c.doc_id
    return f"{label} [{c.start}:{c.end}]"


def _not_found_reason(search: Search, best: Candidate | None, t: Thresholds, short: bool = False) -> str:
    terms = ", ".join(search.terms[:6]) or "(no searchable words)"
    parts = [f"searched {search.documents} source documents / {search.sentences} sentences for {terms}"]
    if search.entities:
        parts.append("names " + ", ".join(dict.fromkeys(search.entities)))
    if search.absent:
        parts.append("no source document names " + ", ".join(search.absent))
    if best is not None and short and best.verbatim >= t.verbatim:
        parts.append(
            f"the phrase occurs in {best.doc_id} [{best.start}:{best.end}] but not as the named speaker's words"
        )
    elif best is not None:
        parts.append(
            f"closest sentence scored {best.score:.2f} (similarity {best.cosine:.2f}; needs {t.support:.2f} and {t.min_cosine:.2f})"
        )
    return "; ".join(parts)


def evidence_dict(retriever: Retriever, c: Candidate, speaker: EvidenceSpeaker | None) -> dict[str, Any]:
    doc = retriever.document(c.doc_id)
    return {
        "doc_id": c.doc_id,
        "path": doc.get("path", ""),
        "title": doc.get("title", ""),
        "bates": (doc.get("meta") or {}).get("bates_begin"),
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "speaker": speaker.name if speaker else None,
        "speaker_entity": speaker.entity_id if speaker else None,
        "speaker_source": speaker.how if speaker else None,
        "date": doc.get("date"),
        "score": round(c.score, 3),
        "cosine": round(c.cosine, 3),
        "lexical": round(c.lexical, 3),
        "verbatim": round(c.verbatim, 1),
    }

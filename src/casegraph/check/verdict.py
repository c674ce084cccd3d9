"""From an item and its scored candidates to a verdict: status, score, reason, evidence.

Each of the best-ranked candidates is read by the learned verifier (check/verifier.py), which
asks whether the sentence states the item (same actors, action, object, numbers after
normalisation), not only whether it is about the same topic. Order of the decision:
- a candidate states the item in its own words (supported) or in other words (paraphrased),
  or a short phrase is verbatim where the named speaker says it; if the source gives the
  words to someone else, or they are narration with the article's speaker not named there
  -> misattributed; else supported / paraphrased;
- a candidate is the same statement with a number, amount, date or negation that disagrees
  -> contradicted;
- otherwise -> not_found, saying what was searched and how close the closest sentence came.
`score` is the confidence in the status: the verifier's probability for the evidence, or one
minus the closest one's for not_found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casegraph.check import verifier
from casegraph.check.calibration import Thresholds
from casegraph.check.items import DESCRIBES, Item
from casegraph.check.retrieve import Candidate, Retriever, Search
from casegraph.check.speakers import (
    EvidenceSpeaker,
    evidence_speaker,
    misattribution,
    named_near,
    same_person,
)
from casegraph.models import VerdictEvidence, VerdictStatus

SHORT_WORDS = 7
JUDGED = 8  # candidates per item read by the verifier, best ranked first (about 3 ms each)


@dataclass
class Verdict:
    status: VerdictStatus
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

    v = verifier.load()
    judged = {c.key: v.judge(item.core, c.text, c.cosine) for c in ranked[:JUDGED]}
    for c in ranked[:JUDGED]:
        c.score = judged[c.key].probability

    def verbatim(c: Candidate) -> bool:
        j = judged.get(c.key)
        return j is not None and j.status == "supported"

    # Found: the best candidate that states the item (its own words first, then the most
    # probable paraphrase); a short verbatim phrase only where the named speaker says it.
    found = [c for c in ranked[:JUDGED] if judged[c.key].status in ("supported", "paraphrased")]
    found.sort(key=lambda c: (not verbatim(c), -judged[c.key].probability))
    best: Candidate | None = found[0] if found else None
    if best is None and short and item.speaker is not None:
        for c in ranked[:JUDGED]:
            if (
                c.verbatim >= t.verbatim
                and not judged[c.key].conflicts
                and _attributed_to(item, c, _speaker(retriever, c), retriever)
            ):
                judged[c.key].status = "supported"
                best = c
                break
    if best is None and item.kind == "quote" and item.speaker is not None:
        # A quote the source gives to the same speaker, close but under the bar (a clause-swapped
        # or translated quote): the attribution is evidence that it is the same statement.
        for c in ranked[:JUDGED]:
            j = judged[c.key]
            if (
                j.status == "not_found"
                and j.same_statement >= v.related
                and j.probability >= v.related
                and not j.conflicts
                and _attributed_to(item, c, _speaker(retriever, c), retriever)
            ):
                j.status = "paraphrased"
                best = c
                break
    described = ""
    if best is None and item.about_documents and DESCRIBES.search(item.text):
        for c in ranked[:JUDGED]:  # "one of the documents describes ...": one passage that does
            a, b = _sentence_window(retriever, c)
            window = retriever.document(c.doc_id)["text"][max(0, a - 300) : b + 300]
            if not judged[c.key].conflicts and v.describes(item.core, window, c.cosine):
                judged[c.key].status = "paraphrased"
                best = c
                described = (
                    f"{_cite(retriever, c)} names {', '.join(item.names[:4]) or 'them'} and describes it"
                )
                break
    if best is None:
        for c in ranked[:5]:  # the same statement with a number, amount, date or negation changed
            j = judged[c.key]
            if j.status == "contradicted":
                return Verdict(
                    "contradicted",
                    round(j.same_statement, 3),
                    f"{_cite(retriever, c)} says otherwise: {j.conflicts[0]}",
                    [(c, _speaker(retriever, c))],
                    j.conflicts,
                )
        closest = max(ranked[:JUDGED], key=lambda c: c.score)
        return Verdict(
            "not_found", round(1 - closest.score, 3), _not_found_reason(search, closest, t, short), []
        )
    speaker = _speaker(retriever, best)
    score = round(judged[best.key].probability, 3)
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
    if described:
        return Verdict("paraphrased", score, described, [(best, speaker)])
    return Verdict(
        "paraphrased",
        score,
        f"same statement in other words in {_cite(retriever, best)} (verifier {best.score:.2f}, similarity {best.cosine:.2f})",
        [(best, speaker)],
    )


def _attributed_to(item: Item, c: Candidate, speaker: EvidenceSpeaker | None, retriever: Retriever) -> bool:
    assert item.speaker is not None
    if speaker is not None and speaker.how in ("quote in the source", "speech cue"):
        return bool(same_person(item.speaker, speaker))
    text = retriever.document(c.doc_id)["text"]
    window = _sentence_window(retriever, c)
    return named_near(item.speaker, text[window[0] : window[1]])


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
    """Why the words are not the named speaker's ("" when they are, or cannot be told): see
    check/speakers.misattribution (verbatim and paraphrased evidence alike)."""
    text = retriever.document(c.doc_id)["text"]
    window = _sentence_window(retriever, c)
    context = text[max(0, window[0] - 300) : window[1] + 300]
    return misattribution(item, speaker, _cite(retriever, c), context, firm)


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
            f"closest sentence scored {best.score:.2f} by the verifier (similarity {best.cosine:.2f};"
            f" needs {verifier.load().support:.2f}: the same actors, action, object and numbers)"
        )
    return "; ".join(parts)


def evidence_dict(retriever: Retriever, c: Candidate, speaker: EvidenceSpeaker | None) -> VerdictEvidence:
    doc = retriever.document(c.doc_id)
    return VerdictEvidence(
        doc_id=c.doc_id,
        path=doc.get("path", ""),
        title=doc.get("title", ""),
        bates=(doc.get("meta") or {}).get("bates_begin"),
        start=c.start,
        end=c.end,
        text=c.text,
        speaker=speaker.name if speaker else None,
        speaker_entity=speaker.entity_id if speaker else None,
        speaker_source=speaker.how if speaker else None,
        speaker_said_as=speaker.said_as if speaker else None,
        speaker_resolved=speaker.resolved if speaker else None,
        role=speaker.role if speaker else None,
        date=doc.get("date"),
        score=round(c.score, 3),
        cosine=round(c.cosine, 3),
        lexical=round(c.lexical, 3),
        verbatim=round(c.verbatim, 1),
    )

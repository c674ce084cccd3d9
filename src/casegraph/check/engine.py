"""Checking one article: its items, their evidence and verdicts, and the report (the JSON
shape of `casegraph check --json`)."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np
from rapidfuzz import fuzz

from casegraph.check import calibration, embed, verifier
from casegraph.check.calibration import Thresholds
from casegraph.check.items import (
    DOCUMENT_CLAIM,
    Item,
    Speaker,
    claim_core,
    contained,
    line_of,
    not_an_item,
    overlaps,
    quote_core,
)
from casegraph.check.retrieve import Candidate, Retriever, Search
from casegraph.check.text import content_terms, fold
from casegraph.check.verdict import decide, evidence_dict
from casegraph.models import (
    ArticleClaimRow,
    CheckArticle,
    CheckedItem,
    CheckReport,
    CheckStamp,
    CheckSummary,
    CheckThresholds,
    Cue,
    ItemContext,
    RhetoricSpan,
    Searched,
    SpeakerColumns,
    VerdictStatus,
)
from casegraph.store import CaseStore

STATUSES: tuple[VerdictStatus, ...] = (
    "supported",
    "paraphrased",
    "misattributed",
    "contradicted",
    "not_found",
)


def article_items(store: CaseStore, article_id: str, t: Thresholds) -> list[Item]:
    """Every quote of the article and every claim worth checking, in text order."""
    quotes = store.article_quotes(article_id)
    claims = store.article_claims(article_id)
    rhetoric = store.article_rhetoric(article_id)
    document = store.get_document(article_id)
    text = (document.get("text") if document else None) or ""
    items: list[Item] = []
    for q in quotes:
        core = quote_core(q["text"])
        if not_an_item(q["text"], "quote", line_of(text, q["start"], q["end"])):
            continue  # a heading taken for a quote
        if len(core.split()) < 3:
            continue  # a scare-quoted word ("bad reputation" is kept, "truth" is not worth a search)
        items.append(Item("quote", q["start"], q["end"], q["text"], core, speaker=_speaker(store, q)))
    quote_spans = [(i.start, i.end) for i in items]
    # Without a check-worthiness model every score is 0: then every claim is checked.
    scored = any(c["checkworthiness"] > 0 for c in claims)
    for c in claims:
        about_documents = bool(DOCUMENT_CLAIM.search(c["text"]))
        if scored and c["checkworthiness"] < t.min_checkworthiness and not about_documents:
            continue
        if not_an_item(c["text"], "claim", line_of(text, c["start"], c["end"])):
            continue  # headings, questions to the reader, transitions and lead-ins
        if any(contained((c["start"], c["end"]), span) or _only_attribution(c, span) for span in quote_spans):
            continue  # the quote itself is checked
        item = Item(
            "claim",
            c["start"],
            c["end"],
            c["text"],
            claim_core(c["text"]),
            speaker=_speaker(store, c),
            claim_type=c["type"],
            checkworthiness=c["checkworthiness"],
            hedges=c["hedges"],
            boosters=c["boosters"],
            about_documents=about_documents,
        )
        items.append(item)
    for item in items:
        _add_context(store, article_id, item, claims, rhetoric)
    return sorted(items, key=lambda i: (i.start, i.kind))


def _only_attribution(claim: ArticleClaimRow, quote: tuple[int, int]) -> bool:
    """A claim that is a quote plus its attribution ("…," said X, a law professor)."""
    if not (claim["start"] <= quote[0] and quote[1] <= claim["end"]):
        return False
    outside = claim["text"][: quote[0] - claim["start"]] + " " + claim["text"][quote[1] - claim["start"] :]
    return len(content_terms(outside)) <= 6


def _speaker(store: CaseStore, row: SpeakerColumns) -> Speaker | None:
    if row["speaker_mention"] is None:
        return None
    entity = row["speaker_entity"]
    names = store.entity_aliases([entity]).get(entity, []) if entity else []
    return Speaker(row["speaker_text"] or "", entity, names)


def _add_context(
    store: CaseStore,
    article_id: str,
    item: Item,
    claims: list[ArticleClaimRow],
    rhetoric: list[RhetoricSpan],
) -> None:
    """Names and entities inside the item; for quotes, the claim around them (type, hedges)."""
    speaker_mention = item.speaker.text if item.speaker else None
    for m in store.mentions_in_span(article_id, item.start, item.end):
        if m["label"] in (
            "PERSON",
            "ORG",
            "GPE",
            "NORP",
            "FAC",
            "LOC",
            "EVENT",
            "WORK_OF_ART",
            "LAW",
            "PRODUCT",
        ):
            if m["text"] != speaker_mention:
                item.names.append(m["text"])
            if m["entity_id"]:
                item.entity_ids.append(m["entity_id"])
    if item.kind == "quote":
        around = [c for c in claims if overlaps(c["start"], c["end"], item.start, item.end)]
        item.about_documents = any(DOCUMENT_CLAIM.search(c["text"]) for c in around)
        if item.speaker is not None and DOCUMENT_CLAIM.search(item.speaker.text + " state"):
            item.speaker = None  # "the documents state that …": a source, not a person, is named
        if around:
            item.claim_type = around[0]["type"]
            item.hedges = [h for c in around for h in c["hedges"]]
            item.boosters = [b for c in around for b in c["boosters"]]
    item.rhetoric = [r for r in rhetoric if overlaps(r["start"], r["end"], item.start, item.end)]


def score_candidates(
    retriever: Retriever, items: list[Item], t: Thresholds, article_id: str = ""
) -> list[tuple[list[Candidate], Search]]:
    """Retrieve for every item, embed all candidates in one batch, score and rank them."""
    retriever.prepare(items)
    found = [retriever.candidates(item) for item in items]
    spans = [(c.doc_id, c.start, c.end, c.text) for cands, _ in found for c in cands]
    if article_id:  # candidates and items embedded together: one batched model run
        item_spans = [(article_id, i.start, i.end, i.core) for i in items]
        vectors, item_vectors = retriever.embed_groups(
            [(spans, embed.STORE_KEY), (item_spans, embed.STORE_KEY + "/item")]
        )
        queries = [item_vectors[(article_id, i.start, i.end)] for i in items]
    else:
        vectors = retriever.embed_spans(spans) if spans else {}
        queries = list(embed.encode([i.core for i in items]))
    vectors = {
        **vectors,
        **retriever.add_semantic(items, queries, found),
    }  # every source sentence, by meaning
    results = []
    for item, query, (cands, search) in zip(items, queries, found, strict=False):
        folded = fold(item.core)
        for c in cands:
            c.cosine = float(np.dot(query, vectors[c.key]))
            c.score = t.score(c.cosine, c.lexical)
            if len(folded) >= 15:
                c.verbatim = float(fuzz.partial_ratio(folded, fold(c.text)))
        cands.sort(
            key=lambda c: (
                -max(c.score, c.verbatim / 100 if c.verbatim >= t.verbatim else 0),
                -c.score,
                c.doc_id,
                c.start,
            )
        )
        results.append((cands, search))
    return results


def check_article(
    store: CaseStore,
    article_id: str,
    thresholds: Thresholds | None = None,
    save: bool = True,
    semantic: bool = True,
) -> CheckReport:
    """The check report of an analyzed article (see casegraph.check.api.CheckAPI.check).
    semantic=False leaves the sentence-embedding index out (full-text candidates only)."""
    t = thresholds or calibration.load()
    began = time.perf_counter()
    article = store.get_document(article_id, with_text=False)
    assert article is not None
    items = article_items(store, article_id, t)
    retriever = Retriever(store, exclude=article_id, semantic=semantic)
    scored = score_candidates(retriever, items, t, article_id)
    out_items: list[CheckedItem] = []
    for item, (ranked, search) in zip(items, scored, strict=False):
        verdict = decide(item, ranked, search, retriever, t)
        evidence = [evidence_dict(retriever, c, s) for c, s in verdict.evidence]
        if verdict.status == "not_found" and ranked:
            evidence = []  # nothing supports it; the closest sentence is named in the reason
        out_items.append(
            CheckedItem(
                kind=item.kind,
                text=item.text,
                start=item.start,
                end=item.end,
                status=verdict.status,
                score=verdict.score,
                reason=verdict.reason,
                evidence=evidence,
                speaker=item.speaker.to_dict() if item.speaker else None,
                searched=Searched(terms=search.terms, names=item.names, documents=search.documents),
                context=ItemContext(
                    claim_type=item.claim_type or None,
                    checkworthiness=item.checkworthiness,
                    about_documents=item.about_documents,
                    speculative=item.speculative,
                    hedges=[_cue(h) for h in item.hedges],
                    boosters=[_cue(b) for b in item.boosters],
                    rhetoric=[
                        RhetoricSpan(
                            start=r["start"],
                            end=r["end"],
                            text=r["text"],
                            technique=r["technique"],
                            score=r["score"],
                        )
                        for r in item.rhetoric
                    ],
                ),
            )
        )
    report = CheckReport(
        article=CheckArticle(
            id=article["id"],
            title=article.get("title") or "",
            path=article.get("path", ""),
        ),
        summary=summary(out_items, store.source_count(), time.perf_counter() - began),
        items=out_items,
        thresholds=CheckThresholds(
            support=t.support,
            verbatim=t.verbatim,
            min_checkworthiness=t.min_checkworthiness,
            verifier_support=verifier.load().support,  # the bar paraphrased needs (check/verifier.py)
        ),
    )
    if save:
        report["check"] = CheckStamp(id=store.save_check(article_id, report))
    return report


def _cue(span: object) -> Cue:
    """A hedge or booster as the report shows it: stored as {start, end, text} (older
    analyses: a [start, end, text] list, or only the words)."""
    if isinstance(span, dict):
        return Cue(start=span.get("start"), end=span.get("end"), text=span.get("text", ""))
    if isinstance(span, (list, tuple)) and len(span) >= 2:
        return Cue(start=span[0], end=span[1], text=span[2] if len(span) > 2 else "")
    return Cue(start=None, end=None, text=str(span))


def summary(items: list[CheckedItem], sources: int, seconds: float) -> CheckSummary:
    counts = Counter(i["status"] for i in items)
    speculative = [i for i in items if i["context"]["speculative"]]
    return CheckSummary(
        items=len(items),
        quotes=sum(1 for i in items if i["kind"] == "quote"),
        claims=sum(1 for i in items if i["kind"] == "claim"),
        supported=counts.get("supported", 0),
        paraphrased=counts.get("paraphrased", 0),
        misattributed=counts.get("misattributed", 0),
        contradicted=counts.get("contradicted", 0),
        not_found=counts.get("not_found", 0),
        speculative=len(speculative),
        speculation_share=round(len(speculative) / len(items), 3) if items else 0.0,
        speculative_not_found=sum(1 for i in speculative if i["status"] == "not_found"),
        sources=sources,
        seconds=round(seconds, 2),
    )

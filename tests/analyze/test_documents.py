"""Analysis of real estate documents: e-mail headers, boilerplate left out, offsets kept across
chunks of a long document, and a failing document reported without stopping the run."""

from __future__ import annotations

import hashlib

import pytest

from casegraph.models import Document, Segment
from tests.analyze.conftest import ingest_or_add
from tests.conftest import ESTATE, new_case_db

EMAIL = ESTATE / "Emails" / "HOUSE_OVERSIGHT_011277.json"  # From: Ens, Amanda; To: Jeffrey E., Rich Kahn
LONG = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_012130.txt"


def test_email_header_gives_people_and_communicated_relations(case, corpus):
    pytest.importorskip("casegraph.ingest.pipeline")
    ingest_or_add(case, [EMAIL], "source")
    case.analyze(progress=False, resolve=False)
    (doc,) = case.docs()
    text = case.store.get_document(doc["id"])["text"]
    header = text[: text.index("\n\n")]
    people = {m["text"] for m in case.mentions(doc["id"], "PERSON") if m["end"] <= len(header)}
    assert {"Ens, Amanda", "Jeffrey E.", "Rich Kahn"} <= people
    rels = case.relations(doc["id"], "communicated")
    pairs = {(r["subject"]["name"], r["object"]["name"]) for r in rels}
    assert ("Ens, Amanda", "Rich Kahn") in pairs and ("Ens, Amanda", "Jeffrey E.") in pairs
    evidence = rels[0]["evidence"][0]
    assert (
        evidence["text"].startswith("To: ") and text[evidence["start"] : evidence["end"]] == evidence["text"]
    )
    # the header is not sent through the model: no claims or rhetoric inside it
    assert all(c["start"] >= len(header) for c in case.claims(doc["id"]))


def _add(case, text: str, segments: list[Segment]) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    case.store.add_document(
        Document(id=digest[:16], sha256=digest, kind="source", path=str(LONG), text=text, segments=segments)
    )
    return digest[:16]


def _paragraphs(text: str) -> list[Segment]:
    """One paragraph per line (this OCR letter has no blank lines)."""
    segs, pos = [], 0
    for i, block in enumerate(text.split("\n")):
        if block.strip():
            segs.append(Segment("paragraph", pos, pos + len(block), number=i))
        pos += len(block) + 1
    return segs


def test_boilerplate_paragraphs_are_not_analyzed(case, corpus):
    text = LONG.read_text(encoding="utf-8", errors="replace")
    segs = _paragraphs(text)
    names_by_seg = []
    for s in segs:
        block = text[s.start : s.end]
        names_by_seg.append(sum(w[:1].isupper() for w in block.split()))
    # mark the line with the most capitalised words as boilerplate
    marked = max(range(len(segs)), key=names_by_seg.__getitem__)
    segs[marked].boilerplate = True
    assert names_by_seg[marked] >= 3
    doc_id = _add(case, text, segs)
    case.analyze(progress=False, resolve=False)
    start, end = segs[marked].start, segs[marked].end
    mentions = case.mentions(doc_id)
    assert mentions, "nothing found outside the boilerplate"
    for rows in (mentions, case.claims(doc_id), case.quotes(doc_id), case.rhetoric(doc_id)):
        assert not [r for r in rows if start <= r["start"] < end]


def test_long_document_is_chunked_with_offsets_kept(case, corpus, monkeypatch):
    from casegraph.analyze import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1500)  # force many chunks on a short real document
    text = LONG.read_text(encoding="utf-8", errors="replace")
    doc_id = _add(case, text, [])
    case.analyze(progress=False, resolve=False)
    rows = case.mentions(doc_id) + case.claims(doc_id)
    assert len(rows) > 20
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert max(r["end"] for r in rows) > 3 * 1500


def test_chunks_cover_allowed_ranges_only():
    from casegraph.analyze.pipeline import allowed_ranges, chunk_ranges

    text = "alpha beta.\n" * 1000
    ranges = allowed_ranges(
        text,
        [
            {"start": 0, "end": 6000, "boilerplate": 0},
            {"start": 6000, "end": 7000, "boilerplate": 1},
            {"start": 7000, "end": len(text), "boilerplate": 0},
        ],
    )
    chunks = chunk_ranges(text, ranges, limit=2000)
    assert all(e - s <= 2000 for s, e in chunks)
    assert not [c for c in chunks if c[0] < 7000 and c[1] > 6000]
    assert sum(e - s for s, e in chunks) >= len(text) - 1000 - 10 * len(chunks)


def test_a_failing_document_is_recorded_and_the_run_goes_on(case, corpus, monkeypatch):
    from casegraph.analyze import analyzer

    good = _add(case, SEED_TEXT, [])
    bad = _add(case, SEED_TEXT + "\nBROKEN", [])
    real = analyzer.analyze_parsed

    def flaky(payload, *args):
        if payload.text.endswith("BROKEN"):
            raise ValueError("simulated extractor fault")
        return real(payload, *args)

    monkeypatch.setattr(analyzer, "analyze_parsed", flaky)
    summary = case.analyze(progress=False, resolve=False)
    assert summary["documents"] == 1 and summary["failed"][0]["doc_id"] == bad
    assert "simulated extractor fault" in summary["failed"][0]["error"]
    assert case.mentions(good) and not case.mentions(bad)
    assert case.info()["failed"][0]["doc_id"] == bad


SEED_TEXT = (
    (ESTATE.parent / "seeds" / "000_91a462219fb05cc3.txt").read_text(encoding="utf-8")
    if ESTATE.parent.is_dir()
    else ""
)


def test_two_processes_give_the_same_annotations(tmp_path, seeds_case):
    from casegraph.api import Case
    from tests.conftest import SEEDS

    with Case(new_case_db(tmp_path, "two.db")) as case:
        ingest_or_add(case, sorted(SEEDS.glob("*.txt")), "article")
        summary = case.analyze(processes=2, progress=False, resolve=False)
        assert summary["documents"] == 2 and not summary["failed"]

        def key(c):
            return sorted(
                (m["doc_id"], m["start"], m["end"], m["label"], m["entity_id"]) for m in c.mentions()
            )

        assert key(case) == key(seeds_case)
        assert len(case.quotes()) == len(seeds_case.quotes())
        assert case.store.counts()["relations"] == seeds_case.store.counts()["relations"]

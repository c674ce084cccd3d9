"""Recall at corpus scale, on real estate documents: the sentence-embedding index built by
`analyze` lets `check` find a paraphrase whose words are common in the corpus, among
documents that full-text search ranks above its source.

The distractors are estate documents that BM25 ranks above the source for the paraphrase's
words when the whole estate is ingested (the short ones, to keep the test quick): there the
source is not among the first 60 documents. Word rarity is measured on the case, so in a
16-document case full text finds the source again; the test therefore searches by meaning
alone, and benchmarks/check_bench.py measures recall over the whole estate.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from tests.conftest import ESTATE, new_case_db

MERGED = ESTATE / "Merged Documents"
SOURCE = MERGED / "HOUSE_OVERSIGHT_022977.txt"  # Raw Story piece pasted into an e-mail, 2017
SOURCE_WORDS = "one of thousands of people who has visited"
DISTRACTORS = [
    MERGED / name
    for name in (
        "HOUSE_OVERSIGHT_022990 - Untitled attachment 461953.txt",
        "HOUSE_OVERSIGHT_033561.txt",
        "HOUSE_OVERSIGHT_033157.txt",
        "HOUSE_OVERSIGHT_014865 - Dershowitz details chat about Israel with president at his estate"
        " - The Boston Globe.txt",
        "HOUSE_OVERSIGHT_022994.txt",
        "HOUSE_OVERSIGHT_019212 - Trump and Doctors Meet.txt",
        "HOUSE_OVERSIGHT_010477.txt",
        "HOUSE_OVERSIGHT_015028 - Exhibit 1 - Article.txt",
        "HOUSE_OVERSIGHT_013437 - JeffreyEpsteinKepaDiaryofHisUnderAgedVictims - The Telegraph.txt",
        "HOUSE_OVERSIGHT_022267 - Forbes answers.txt",
        "HOUSE_OVERSIGHT_012704 - 4501_001.txt",
        "HOUSE_OVERSIGHT_022211 - IMG_1339.txt",
        "HOUSE_OVERSIGHT_025292 - WebPage.txt",
        "HOUSE_OVERSIGHT_030094 - IMG_2074.txt",
        "HOUSE_OVERSIGHT_031396 - A Justice Dept. discipline office with limited reach to probe"
        " handling of contro.txt",
    )
]
# The source says: In 2015, Trump lawyers denied claims of the then-candidate's involvement
# with Epstein by saying their only relation was that Epstein was "one of thousands of people
# who has visited Mar-a-Lago". Every rare word of this paraphrase is common in the estate.
PARAPHRASE = (
    "Back in 2015 the candidate's attorneys said the financier had simply been one of many"
    " thousands of guests at his Florida club."
)


@pytest.fixture(scope="module")
def indexed_case(tmp_path_factory: pytest.TempPathFactory):
    from casegraph.api import Case

    case = Case(new_case_db(tmp_path_factory.mktemp("semantic")))
    case.ingest([str(SOURCE), *map(str, DISTRACTORS)], kind="source")
    summary = case.analyze(progress=False, resolve=False)
    source_id = case.store.document_id_for_sha256(hashlib.sha256(SOURCE.read_bytes()).hexdigest())
    assert source_id is not None
    yield case, summary, source_id
    case.close()


def _item(text: str):
    from casegraph.check.items import Item

    return Item("claim", 0, len(text), text, text)


def test_analyze_embeds_every_source_sentence_once(indexed_case):
    from casegraph.check import embed
    from casegraph.search import SentenceIndex, build_index

    case, summary, source_id = indexed_case
    built = summary["index"]
    assert built["documents"] == 1 + len(DISTRACTORS)
    assert built["sentences"] > 500
    assert 0 < built["embedded"] <= built["sentences"]  # repeated sentences embedded once
    index = SentenceIndex.from_store(case.store)
    assert index is not None and index.size == built["sentences"]
    assert set(index.doc_ids) <= {r["id"] for r in case.store.query("SELECT id FROM documents")}
    # the stored int8 vector of a sentence is its model vector, to within rounding
    row = next(i for i in range(index.size) if index.doc_ids[index.doc_of[i]] == source_id)
    start, end = (int(x) for x in index.spans[row])
    text = case.store.document_text(source_id)[start:end]
    exact = embed.encode([text])[0]
    assert float(np.dot(exact, index.vector(row))) > 0.995
    assert index.row_of(source_id, start, end) == row  # check reuses it instead of the model
    assert index.row_of(source_id, start, end + 1) is None
    # a second run finds nothing left to embed
    assert build_index(case.store).documents == 0


def test_paraphrase_with_common_words_is_found_among_distractors(indexed_case):
    from casegraph.check import calibration
    from casegraph.check.engine import score_candidates
    from casegraph.check.retrieve import Retriever

    case, _, source_id = indexed_case
    thresholds = calibration.load()

    def holds_source(cands):
        return [c for c in cands if c.doc_id == source_id and SOURCE_WORDS in " ".join(c.text.split())]

    # by meaning alone (no full-text slot at all), among every sentence of the 16 documents
    semantic = Retriever(case.store, documents_per_item=0)
    [(cands, search)] = score_candidates(semantic, [_item(PARAPHRASE)], thresholds)
    found = holds_source(cands)
    assert found, [(c.doc_id, c.text[:80]) for c in cands]
    assert found[0].via == ["embedding"] and search.semantic > 0
    assert cands[0] is found[0]  # and the best scored of all candidates

    # with full-text search as well, the same sentence stays a candidate, scored once
    both = Retriever(case.store, documents_per_item=5)
    [(cands, _)] = score_candidates(both, [_item(PARAPHRASE)], thresholds)
    assert len(holds_source(cands)) == 1
    assert len({c.key for c in cands}) == len(cands)


def test_no_index_means_lexical_only(tmp_path):
    """A case analyzed with --no-index checks as before (and says nothing was embedded)."""
    from casegraph.api import Case
    from casegraph.search import SentenceIndex

    case = Case(new_case_db(tmp_path))
    case.ingest([str(SOURCE)], kind="source")
    summary = case.analyze(progress=False, resolve=False, index=False)
    assert "index" not in summary
    assert SentenceIndex.from_store(case.store) is None
    case.close()

"""Same statement, not same topic (issue 9, requirement 4): the learned verifier on real
estate text, and `check` on an article-style text written from a pasted news story.

Source: an e-mail of the estate (Steven Victor MD, 2012) whose body is a pasted BioWorld report
on stem cell funding, with amounts; and a Justice Department letter ("Jeffrey Epstein, a
successful self-made businessman ...") that the issue's topic-match false positive was about.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from casegraph.check import embed, verifier
from casegraph.check.text import sentences
from tests.check.conftest import item_with
from tests.conftest import ESTATE, new_case_db

EMAIL = ESTATE / "Emails" / "HOUSE_OVERSIGHT_013482.json"
LETTER = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_030318.txt"
OTHERS = [ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_030315.txt"]


def _source_sentence(words: str) -> str:
    """The sentence of the pasted story that contains `words`, as the corpus has it."""
    body = json.loads(EMAIL.read_text(encoding="utf-8"))["body"][0]["message_content"]
    (sentence,) = [body[a:b] for a, b in sentences(body) if words in body[a:b]]
    return sentence


def _cos(a: str, b: str) -> float:
    v = embed.encode([a, b])
    return float(np.dot(v[0], v[1]))


def _judge(claim: str, evidence: str) -> verifier.Judgement:
    return verifier.load().judge(claim, evidence, _cos(claim, evidence))


def test_model_file_is_plain_json_with_matching_hash():
    v = verifier.load()
    assert len(v.coef) == len(verifier.FEATURES)
    data = v.to_dict()
    assert data["sha256"] == verifier.weights_hash({k: data[k] for k in data if k not in ("sha256", "meta")})
    tampered = dict(data, intercept=data["intercept"] + 1.0)
    with pytest.raises(ValueError):
        verifier.from_dict(tampered)


def test_amount_spelled_out_is_the_same_statement():
    source = _source_sentence("established in 2004 with $3 billion")
    j = _judge(
        "the California Institute of Regenerative Medicine (CIRM), which was established in 2004 with"
        " three billion dollars for stem cell research",
        source,
    )
    assert j.status in ("supported", "paraphrased"), j


def test_changed_number_in_a_fragment_is_contradicted():
    source = _source_sentence("Bluebird Bio Inc. will use a $9.3 million grant")
    j = _judge("Bluebird Bio Inc. will use a $19.3 million grant", source)
    assert j.status == "contradicted", j
    assert "9.3" in j.conflicts[0]


def test_topic_match_is_not_a_paraphrase():
    letter = " ".join(LETTER.read_text(encoding="utf-8").split())
    evidence = re.search(r"Jeffrey Epstein, a successful self-made businessman[^.]*\.", letter)
    assert evidence is not None
    for claim in (
        "The Department of Justice has initiated an investigation into possible connections between"
        " Jeffrey Epstein and former President Bill Clinton.",
        "Mr. Epstein is a highly successful, self-made businessman with a long association with former"
        " President Bill Clinton.",
    ):
        j = _judge(claim, evidence.group(0))
        assert j.status == "not_found", (claim, j)


ARTICLE = """Stem cell money in the estate files

A 2012 e-mail in the estate documents forwards a report on stem cell research in the United States.

Let's break it down step by step.

From the documents, it became clear that:

California's stem cell institute, CIRM, was established in 2004 with three billion dollars for stem cell research at California universities and research institutions.

Bluebird Bio Inc. will use a $19.3 million grant to support a Phase I/II study of LentiGlobin, the report says.

According to the report, CIRM has become the largest single investor in European stem cell companies listed in London.
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    from casegraph.api import Case

    folder = tmp_path_factory.mktemp("verifier")
    article = folder / "stem-cells.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    case = Case(new_case_db(folder))
    case.ingest([str(EMAIL), str(LETTER), *map(str, OTHERS)], kind="source")
    case.analyze(progress=False)
    yield case.check(str(article))
    case.close()


def test_article_amount_in_words_is_found(report):
    item = item_with(report, "three billion dollars")
    assert item["status"] in ("supported", "paraphrased"), item
    assert "$3 billion" in item["evidence"][0]["text"]


def test_article_changed_amount_is_contradicted(report):  # (d)
    item = item_with(report, "$19.3 million")
    assert item["status"] == "contradicted", item
    assert "$9.3 million" in item["evidence"][0]["text"]


def test_article_topic_similar_claim_is_not_found(report):  # (e)
    item = item_with(report, "largest single investor")
    assert item["status"] == "not_found", item


def test_filler_lines_are_not_items(report):
    texts = [i["text"] for i in report["items"]]
    assert not any("step by step" in t or "it became clear that" in t for t in texts), texts
    assert not any(t.strip() == "Stem cell money in the estate files" for t in texts), texts


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Let's break it down step by step.", "transition"),
        ("From the documents, it became clear that:", "lead-in"),
        ("Lobbyists and the Kazakh feud", "heading"),
        ("What does this tell us about the deal?", "question to the reader"),
    ],
)
def test_filler_is_not_an_item(text, why):
    from casegraph.check.items import not_an_item

    assert not_an_item(text, "claim", text) == why


def test_statements_and_list_items_are_items():
    from casegraph.check.items import line_of, not_an_item

    article = "Stem cells\n\n- CIRM was established in 2004 with $3 billion\n\nIt has allocated $150 million."
    start = article.index("CIRM")
    end = article.index("\n\nIt has")
    assert not_an_item(article[start:end], "claim", line_of(article, start, end)) == ""
    start = article.index("It has")
    assert not_an_item(article[start:], "claim", line_of(article, start, len(article))) == ""


def test_a_document_that_names_both_and_describes_the_dispute_supports_the_claim():
    from casegraph.check.items import DESCRIBES, claim_core

    claim = "One of the documents describes a conflict between Orascom and the Algerian military over Djezzy."
    assert DESCRIBES.search(claim)
    core = claim_core(claim)
    assert core.startswith("a conflict between Orascom")
    source = " ".join(
        (ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_025610 - 3 April.txt").read_text().split()
    )
    match = re.search(r"\(There is evidence for this in the legal dispute over Djezzy[^.]*\.", source)
    assert match is not None
    window = match.group(0)
    v = verifier.load()
    assert v.describes(core, window, _cos(core, window))
    other = "a conflict between Orascom and Vodafone over Djezzy"  # Vodafone is not named there
    assert not v.describes(other, window, _cos(other, window))


def test_handwritten_pairs_quote_the_corpus_and_topic_matches_are_not_found():
    """tests/data/verdict_pairs.jsonl: every evidence sentence is in its estate document; no
    topic-similar claim is called found (the rule before the verifier called two of them
    paraphrased); every changed number is contradicted."""
    from casegraph.check.verdict_eval import cosines, handwritten

    pairs = handwritten()
    assert len(pairs) >= 20
    for p in pairs:
        path = ESTATE / p.doc
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            raw = json.loads(raw)["body"][0]["message_content"]

        def flat(text: str) -> str:  # page stamps of the OCR left out, white space collapsed
            return " ".join(re.sub(r"HOUSE OVERSIGHT \d+", " ", text).split())

        assert flat(p.evidence) in flat(raw), p.evidence
    v = verifier.load()
    statuses = [
        v.judge(p.claim, p.evidence, k).status
        for p, k in zip(pairs, cosines([(p.claim, p.evidence) for p in pairs]), strict=True)
    ]
    for p, status in zip(pairs, statuses, strict=True):
        if p.label == "not_found":
            assert status == "not_found", (p.claim, status)
        if p.label == "contradicted":
            assert status == "contradicted", (p.claim, status)
    found = [s in ("supported", "paraphrased") for s in statuses]
    gold = [p.label in ("supported", "paraphrased") for p in pairs]
    assert sum(f and g for f, g in zip(found, gold, strict=True)) >= 4  # some human paraphrases are found

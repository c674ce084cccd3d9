"""A real case for the check stage: estate documents ingested as sources (the one the test
articles draw on, a garbled OCR copy of the same story and other documents about the plea
deal), articles written from them, analyzed by the real pipeline."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import ESTATE, new_case_db

MERGED = ESTATE / "Merged Documents"
SOURCE = MERGED / "HOUSE_OVERSIGHT_023126.txt"  # Miami Herald story on Sloman, Acosta, Hamilton
DISTRACTORS = [
    MERGED / "HOUSE_OVERSIGHT_023125 - IMG_1129.txt",  # the same story, garbled newspaper OCR
    MERGED / "HOUSE_OVERSIGHT_016420 - NY POST PROPOSED FILING 1-15-19.txt",
    MERGED / "HOUSE_OVERSIGHT_013415.txt",
    MERGED / "HOUSE_OVERSIGHT_019412.txt",
]

# Each line reproduces one sentence of SOURCE in a different way.
ARTICLE = """Prosecutors Under Fire Over the Epstein Deal

The plea agreement is back in the news after a series of reports.

"They cut a deal which they have to know was a failure," said Marci Hamilton, a law professor.

"They cut a deal which they have to know was a failure," said Alan Dershowitz.

"We should have insisted on much tougher conditions, that is clear to me now that more details about Epstein's crimes have come out," Sloman wrote.

Sloman said the decision had not been taken lightly and came only after considerable, often bitter internal debate.

The documents show that about 50 members of Congress demanded the probe following a Miami Herald series of stories.

The documents state that Epstein secretly owned a vineyard on the Moon, bought from a Kazakh oligarch.
"""


@pytest.fixture(scope="module")
def checked_case(tmp_path_factory: pytest.TempPathFactory):
    """(case, report, source document id): the article checked against the sources."""
    from casegraph.api import Case

    folder = tmp_path_factory.mktemp("check")
    article = folder / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    case = Case(new_case_db(folder))
    case.ingest([str(SOURCE), *map(str, DISTRACTORS)], kind="source")
    case.analyze(progress=False)  # sources analyzed too: their quotes and speakers, resolved entities
    source_id = case.store.document_id_for_sha256(hashlib.sha256(SOURCE.read_bytes()).hexdigest())
    assert source_id is not None, "the source document was not ingested"
    report = case.check(str(article))
    yield case, report, source_id, article
    case.close()


def item_with(report: dict, words: str, kind: str | None = None) -> dict:
    found = [i for i in report["items"] if words in i["text"] and (kind is None or i["kind"] == kind)]
    assert found, f"no checked item contains {words!r}: {[i['text'] for i in report['items']]}"
    return found[0]

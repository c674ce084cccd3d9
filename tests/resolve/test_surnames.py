"""A surname alone ("Mr. Aliyev", "President Wade") links to the full-name entity that its
document's context supports, with the reason kept; people who share a surname stay apart."""

from __future__ import annotations

import re

import pytest

from casegraph.resolve.resolver import resolve_rows
from tests.conftest import ESTATE, SEED_KAZAKH, new_case_db

# A letter to Congress forwarded in an estate e-mail thread: former President Abdoulaye Wade
# and his son, former Minister Karim Wade, then "President Wade" (the father) and "Mr. Wade"
# (the son, detained and sentenced).
WADE = ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_026835.txt"


def _rows(text: str) -> list[dict]:
    """Person mentions as the model gives them: full names, and the surname alone without
    its title (the title stays in the text before it)."""
    rows: list[dict] = []
    for pattern in (r"Abdoulaye Wade", r"Karim Wade", r"(?<!Abdoulaye )(?<!Karim )\bWade\b"):
        for m in re.finditer(pattern, text):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "doc_id": "wade",
                    "start": m.start(),
                    "end": m.end(),
                    "text": m.group(0),
                    "label": "PERSON",
                    "cluster": "",
                }
            )
    return rows


def _owner(entities: list[dict], mention_id: int) -> dict:
    [owner] = [e for e in entities if mention_id in e["mention_ids"]]
    return owner


def test_titled_surname_goes_to_the_person_last_named_in_full(corpus):
    text = WADE.read_text(encoding="utf-8")
    rows = _rows(text)
    entities = resolve_rows(rows, [], text_of=lambda _: text)
    by_start = {r["start"]: r["id"] for r in rows}
    abdoulaye = _owner(entities, next(r["id"] for r in rows if r["text"] == "Abdoulaye Wade"))
    karim = _owner(entities, next(r["id"] for r in rows if r["text"] == "Karim Wade"))
    assert abdoulaye["id"] != karim["id"]

    def owner_of(words: str) -> dict:
        at = text.index(words) + words.index("Wade")
        return _owner(entities, by_start[at])

    assert owner_of("President Wade adopted a new constitution")["id"] == abdoulaye["id"]
    assert owner_of("sentenced Mr. Wade to six years")["id"] == karim["id"]
    assert owner_of("determined that Mr. Wade was arbitrarily arrested")["id"] == karim["id"]
    rules = [r["rule"] for r in karim["meta"]["reasons"]]
    assert any("named in full last before it" in r for r in rules), karim["meta"]["reasons"]
    # "praised Wade" has no title, and the subject line "detention of Mr. Wade" comes before
    # either full name: both stay as the bare surname, given to neither son nor father
    assert owner_of("praised Wade for his quick")["id"] not in (abdoulaye["id"], karim["id"])
    assert owner_of("Arbitrary detention of Mr. Wade")["id"] not in (abdoulaye["id"], karim["id"])


def test_without_the_text_only_written_titles_count(corpus):
    """Mention rows alone (no document text) keep the surname apart: nothing is guessed."""
    text = WADE.read_text(encoding="utf-8")
    rows = _rows(text)
    entities = resolve_rows(rows, [])
    bare = {_owner(entities, r["id"])["id"] for r in rows if r["text"] == "Wade"}
    assert len(bare) == 1


# Written for this test in the shape of the source of the first seed article (that document is
# kept out of the shared corpus): an e-mail pasting a story that calls him "Mr. Aliyev" only.
CABLE = """From: Lesley Groff
Sent: 3/2/2011 9:14:05 AM
To: jeffrey E. [jeevacation@gmail.com]
Subject: Fwd: Kazakh feud

In a cable sent in February 2009, the ambassador wrote that the dispute between President \
Nursultan Nazarbayev and his former son-in-law had become a test for American diplomats in Astana.
Mr. Aliyev, who lives in exile in Vienna, has accused the Kazakh leader of seizing his media \
companies and his bank.
According to the cable, Mr. Aliyev wants either safe haven in the United States or help in \
recovering two billion dollars.
"""
# Another Aliyev, in other company.
BAKU = """From: Jeffrey Epstein
Sent: 5/9/2013 7:02:11 PM
To: Boris Nikolic
Subject: Baku

President Ilham Aliyev of Azerbaijan opened the new terminal at Baku airport on Thursday.
The Azerbaijani president told guests that the oil revenues of the Caspian region would pay for it.
"""


@pytest.fixture(scope="module")
def aliyev_case(tmp_path_factory: pytest.TempPathFactory, corpus):
    from casegraph.api import Case

    folder = tmp_path_factory.mktemp("aliyev")
    (folder / "cable.txt").write_text(CABLE, encoding="utf-8")
    (folder / "baku.txt").write_text(BAKU, encoding="utf-8")
    case = Case(new_case_db(folder))
    case.ingest([str(SEED_KAZAKH)], kind="article")
    case.ingest([str(folder / "cable.txt"), str(folder / "baku.txt")], kind="source")
    case.analyze(progress=False, index=False)
    yield case
    case.close()


def _entity_of(case, doc_path_part: str, text: str) -> dict:
    rows = case.store.query(
        "SELECT m.entity_id FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " WHERE d.path LIKE ? AND m.text = ?",
        (f"%{doc_path_part}%", text),
    )
    assert rows and len({r["entity_id"] for r in rows}) == 1, rows
    found = case.store.get_entity(rows[0]["entity_id"])
    assert found is not None
    return found


def test_mr_aliyev_links_to_rakhat_aliyev_by_the_company_his_document_keeps(aliyev_case):
    case = aliyev_case
    rakhat = _entity_of(case, "000_91a462219fb05cc3", "Rakhat Aliyev")
    assert _entity_of(case, "cable.txt", "Aliyev")["id"] == rakhat["id"]
    ilham = _entity_of(case, "baku.txt", "Ilham Aliyev")
    assert ilham["id"] != rakhat["id"]
    reasons = [r for r in rakhat["meta"]["reasons"] if "Aliyev" in (r["a"], r["b"])]
    assert reasons and all(r["rule"] for r in reasons), rakhat["meta"]["reasons"]


def test_the_article_name_is_found_in_sources_through_the_entity(aliyev_case):
    """The check no longer says "no source document names Rakhat Aliyev" when a source
    calls him Mr. Aliyev."""
    from casegraph.check.retrieve import Retriever

    case = aliyev_case
    rakhat = _entity_of(case, "000_91a462219fb05cc3", "Rakhat Aliyev")
    retriever = Retriever(case.store)
    assert retriever.absent_names(["Rakhat Aliyev"]) == ["Rakhat Aliyev"]  # the words alone
    assert retriever.absent_names(["Rakhat Aliyev"], [rakhat["id"]]) == []

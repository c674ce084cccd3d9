"""Resolution over mention rows taken from the real seed articles (spans found in their text),
without the NLP stage: merges and non-merges across documents, with their reasons."""

from __future__ import annotations

import re

import pytest

from casegraph.resolve.resolver import resolve_rows
from tests.conftest import SEED_BIDEN, SEED_KAZAKH


class Rows:
    """Mention rows for names as they occur in a text (every occurrence, real offsets)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, doc_id: str, text: str, name: str, label: str = "PERSON") -> None:
        found = [m.start() for m in re.finditer(re.escape(name), text)]
        assert found, f"{name!r} is not in {doc_id}"
        for start in found:
            self.rows.append(
                {
                    "id": len(self.rows) + 1,
                    "doc_id": doc_id,
                    "start": start,
                    "end": start + len(name),
                    "text": name,
                    "label": label,
                    "cluster": "",
                }
            )

    def entity_of(self, entities, doc_id: str, name: str) -> dict:
        ids = {r["id"] for r in self.rows if r["doc_id"] == doc_id and r["text"] == name}
        owners = [e for e in entities if ids & set(e["mention_ids"])]
        assert len(owners) == 1, owners
        return owners[0]


@pytest.fixture(scope="module")
def seed_rows(corpus) -> Rows:
    kazakh, biden = SEED_KAZAKH.read_text(encoding="utf-8"), SEED_BIDEN.read_text(encoding="utf-8")
    rows = Rows()
    for name in (
        "Nursultan Nazarbayev",
        "Nazarbayev",
        "Rakhat Aliyev",
        "Aliyev",
        "Jeffrey Epstein",
        "Epstein",
        "Rahall",
        "Bill Clinton",
        "Clinton",
        "Trump",
    ):
        rows.add("kazakh", kazakh, name)
    for name in (
        "Joe Biden",
        "Hunter Biden",
        "Karim Massimov",
        "Massimov",
        "Kenes Rakishev",
        "Kassym-Jomart Tokayev",
        "President Tokayev",
        "Biden",
    ):
        rows.add("biden", biden, name)
    rows.add("biden", biden, "Kazakhstan", "GPE")
    rows.add("kazakh", kazakh, "Kazakhstan", "GPE")
    return rows


def test_surnames_join_the_full_name_across_and_within_documents(seed_rows):
    entities = resolve_rows(seed_rows.rows, [])
    nazarbayev = seed_rows.entity_of(entities, "kazakh", "Nursultan Nazarbayev")
    assert nazarbayev is seed_rows.entity_of(entities, "kazakh", "Nazarbayev")
    assert nazarbayev["name"] == "Nursultan Nazarbayev" and nazarbayev["type"] == "PERSON"
    tokayev = seed_rows.entity_of(entities, "biden", "Kassym-Jomart Tokayev")
    assert tokayev is seed_rows.entity_of(entities, "biden", "President Tokayev")
    kazakhstan = seed_rows.entity_of(entities, "kazakh", "Kazakhstan")
    assert kazakhstan is seed_rows.entity_of(entities, "biden", "Kazakhstan")
    assert kazakhstan["type"] == "GPE"


def test_people_sharing_a_surname_stay_apart(seed_rows):
    entities = resolve_rows(seed_rows.rows, [])
    joe = seed_rows.entity_of(entities, "biden", "Joe Biden")
    hunter = seed_rows.entity_of(entities, "biden", "Hunter Biden")
    bare = seed_rows.entity_of(entities, "biden", "Biden")  # "the Biden family": either, or both
    assert len({joe["id"], hunter["id"], bare["id"]}) == 3


def test_transliteration_spelling_variants_and_ocr_join_with_reasons(seed_rows):
    rows = Rows()
    rows.rows = [dict(r) for r in seed_rows.rows]
    # the same people as written elsewhere: Russian-language text, another transliteration, OCR
    rows.add("ru", "Назарбаев и Масимов", "Назарбаев")
    rows.add("ru", "Назарбаев и Масимов", "Масимов")
    rows.add("other", "Karim Masimov, chairman", "Karim Masimov")
    rows.add("ocr", "Jeffrey Epstcin wrote", "Jeffrey Epstcin")
    entities = resolve_rows(rows.rows, [])
    nazarbayev = rows.entity_of(entities, "kazakh", "Nursultan Nazarbayev")
    assert nazarbayev is rows.entity_of(entities, "ru", "Назарбаев")
    massimov = rows.entity_of(entities, "biden", "Karim Massimov")
    assert massimov is rows.entity_of(entities, "other", "Karim Masimov")
    assert massimov is rows.entity_of(entities, "ru", "Масимов")
    assert {"Karim Masimov", "Масимов"} <= set(massimov["aliases"])
    rules = {r["rule"] for r in massimov["meta"]["reasons"]}
    assert any("variant spelling" in r for r in rules) and any("surname" in r for r in rules)
    epstein = rows.entity_of(entities, "kazakh", "Jeffrey Epstein")
    assert epstein is rows.entity_of(entities, "ocr", "Jeffrey Epstcin")


def test_a_bare_surname_goes_to_the_person_whose_company_the_document_keeps():
    rows = Rows()
    rows.add("d1", "Hunter Biden met Karim Massimov.", "Hunter Biden")
    rows.add("d1", "Hunter Biden met Karim Massimov.", "Karim Massimov")
    rows.add("d2", "Joe Biden spoke with Barack Obama.", "Joe Biden")
    rows.add("d2", "Joe Biden spoke with Barack Obama.", "Barack Obama")
    rows.add("d3", "Biden and Massimov", "Biden")
    rows.add("d3", "Biden and Massimov", "Massimov")
    rows.add("d4", "Biden thanked Obama", "Biden")
    rows.add("d4", "Biden thanked Obama", "Obama")
    rows.add("d5", "Biden", "Biden")
    entities = resolve_rows(rows.rows, [])
    hunter = rows.entity_of(entities, "d1", "Hunter Biden")
    joe = rows.entity_of(entities, "d2", "Joe Biden")
    assert rows.entity_of(entities, "d3", "Biden") is hunter
    assert rows.entity_of(entities, "d4", "Biden") is joe
    alone = rows.entity_of(entities, "d5", "Biden")
    assert alone is not joe and alone is not hunter  # no context: not guessed


def test_rahall_the_congressman_is_not_rahall_the_lobbyist():
    rows = Rows()
    rows.add("a", "Representative Nick J. Rahall II (D-WV)", "Representative Nick J. Rahall II")
    rows.add("b", "Nick Rahall chairs the committee", "Nick Rahall")
    rows.add("c", "lobbyist Tanya Rahall wrote", "Tanya Rahall")
    entities = resolve_rows(rows.rows, [])
    nick = rows.entity_of(entities, "a", "Representative Nick J. Rahall II")
    assert nick is rows.entity_of(entities, "b", "Nick Rahall")
    assert nick["name"] == "Nick J. Rahall II"
    assert rows.entity_of(entities, "c", "Tanya Rahall") is not nick


def test_entity_ids_are_stable_across_runs_and_input_order(seed_rows):
    first = {e["name"]: e["id"] for e in resolve_rows(seed_rows.rows, [])}
    again = {e["name"]: e["id"] for e in resolve_rows(list(reversed(seed_rows.rows)), [])}
    assert first == again


def test_type_is_voted_over_mentions():
    rows = Rows()
    text = "Nursultan Nazarbayev said. Nazarbayev left."
    rows.add("a", text, "Nursultan Nazarbayev", "PERSON")
    rows.add("b", "Nazarbayev said", "Nazarbayev", "ORG")  # the model's usual mistake on a lone surname
    rows.add("c", "Nursultan Nazarbayev", "Nursultan Nazarbayev", "PERSON")
    entities = resolve_rows(rows.rows, [])
    entity = rows.entity_of(entities, "b", "Nazarbayev")
    assert entity is rows.entity_of(entities, "a", "Nursultan Nazarbayev")
    assert entity["type"] == "PERSON"
    assert entity["meta"]["labels"]["ORG"] == 1


def test_ner_slips_on_ocr_name_nothing(corpus):
    """Strings the NER model tags PERSON in the estate's OCR that name no person."""
    from tests.conftest import ESTATE

    merged = ESTATE / "Merged Documents"
    case_law = (merged / "HOUSE_OVERSIGHT_017830 - 349_F.Supp.2d_765.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    deeds = (merged / "HOUSE_OVERSIGHT_016552.txt").read_text(encoding="utf-8", errors="replace")
    rows = Rows()
    rows.add("case-law", case_law, "Berkovitz v. United")
    rows.add("x", "TR", "TR")
    rows.add("x", "Jr.", "Jr.")
    rows.add("deeds", deeds, "PALM BEACH LP")  # a legal form: an organisation
    entities = resolve_rows(rows.rows, [])
    assert [e["name"] for e in entities] == ["Palm Beach LP"]
    assert entities[0]["type"] == "ORG"


def test_middle_names_and_initials_join(corpus):
    """Both writings occur in the estate (HOUSE_OVERSIGHT_010566 and 012197)."""
    rows = Rows()
    rows.add("a", "Lilly Ann Sanchez", "Lilly Ann Sanchez")
    rows.add("b", "Lilly Sanchez", "Lilly Sanchez")
    rows.add("c", "Barbro C. Ehnbom", "Barbro C. Ehnbom")
    rows.add("d", "Barbro Ehnbom", "Barbro Ehnbom")
    entities = resolve_rows(rows.rows, [])
    assert rows.entity_of(entities, "a", "Lilly Ann Sanchez") is rows.entity_of(
        entities, "b", "Lilly Sanchez"
    )
    assert rows.entity_of(entities, "c", "Barbro C. Ehnbom") is rows.entity_of(entities, "d", "Barbro Ehnbom")


def test_an_address_tagged_as_a_name_joins_its_owner():
    rows = Rows()
    rows.add("a", "write to jeeyacation@gmail.com today", "jeeyacation@gmail.com", "ORG")  # the model's tag
    parties = [
        {
            "id": 1,
            "doc_id": "m",
            "role": "from",
            "name": "Jeffrey Epstein",
            "address": "jeeyacation@gmail.com",
            "start": 0,
            "end": 10,
            "text": "",
        }
    ]
    entities = resolve_rows(rows.rows, parties)
    owner = rows.entity_of(entities, "a", "jeeyacation@gmail.com")
    assert owner["name"] == "Jeffrey Epstein" and owner["type"] == "PERSON"


def test_a_surname_in_capitals_joins_only_as_written():
    rows = Rows()
    rows.add("a", "Jeffrey Epstein", "Jeffrey Epstein")
    rows.add("b", "Plaintiff v. EPSTEIN", "EPSTEIN")  # court captions
    rows.add("c", "Larry Summers", "Larry Summers")
    rows.add("d", "SOMMER 12", "SOMMER")  # an OCR'd table cell, one letter off
    entities = resolve_rows(rows.rows, [])
    assert rows.entity_of(entities, "b", "EPSTEIN") is rows.entity_of(entities, "a", "Jeffrey Epstein")
    assert rows.entity_of(entities, "d", "SOMMER") is not rows.entity_of(entities, "c", "Larry Summers")

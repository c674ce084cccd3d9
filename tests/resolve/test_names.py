"""Name parsing and pairwise matching on names as the corpus and registers write them."""

from __future__ import annotations

import pytest

from casegraph.resolve.matching import compare_others, compare_persons
from casegraph.resolve.names import parse_other, parse_person


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        (
            "Assistant Secretary of State for the Bureau of South and Central Asian Affairs Donald Lu",
            ("donald", "lu"),
        ),
        ("Mr. Aliyev", ("aliyev",)),
        ("former President Nursultan Nazarbayev", ("nursultan", "nazarbayev")),
        ("President Kassym-Jomart Tokayev", ("kassym", "jomart", "tokayev")),
        ("Representative Nick J. Rahall II", ("nick", "j", "rahall")),
        ("Attorney General Pam Bondi", ("pam", "bondi")),
        ("Ens, Amanda", ("amanda", "ens")),  # e-mail header order
        ("Thomas Jr., Landon", ("landon", "thomas")),
        ("Nazarbayev's", ("nazarbayev",)),
    ],
)
def test_titles_honorifics_and_header_order_are_removed(written, tokens):
    assert parse_person(written).tokens == tokens


def test_generation_suffixes_are_kept_apart_from_the_name():
    parsed = parse_person("Representative Nick J. Rahall II")
    assert parsed.suffixes == ("ii",)
    assert parsed.surname == "rahall"


def test_cyrillic_is_transliterated():
    assert parse_person("Назарбаев").key == "nazarbaev"
    assert parse_person("Масимов").key == "masimov"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nursultan Nazarbayev", "Нурсултан Назарбаев"),
        ("Karim Massimov", "Karim Masimov"),
        ("Karim Massimov", "Масимов"),
        ("Jeffrey Epstein", "Jeffrey Epstcin"),  # OCR
        ("Nick J. Rahall II", "Representative Nick Rahall"),
        ("Kassym-Jomart Tokayev", "President Tokayev"),
        ("Richard Kahn", "Rich Kahn"),  # both in the estate e-mails, same thread
    ],
)
def test_same_person(a, b):
    verdict = compare_persons(parse_person(a), parse_person(b))
    assert verdict.same, verdict
    assert verdict.reason


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Joe Biden", "Hunter Biden"),
        ("Nick J. Rahall II", "Tanya Rahall"),
        ("Bill Clinton", "Hillary Clinton"),
        ("Kenes Rakishev", "Karim Massimov"),
        ("Jeffrey Epstein", "Jeffrey Epping"),
    ],
)
def test_different_people(a, b):
    assert not compare_persons(parse_person(a), parse_person(b)).same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # all four pairs are FARA foreign principals
        ("Korean National Tourism Organization", "Korea National Tourism Organization", True),
        ("Commission of the European Communities", "Commission of European Communities", True),
        ("Spanish National Tourist Office", "Danish National Tourist Office", False),
        ("IRELAND", "ICELAND", False),
        ("Brownstein Hyatt Farber Schreck, LLP", "Brownstein Hyatt Farber Schreck", True),
        ("Embassy of Kazakhstan", "Embassy of Kyrgyzstan", False),
    ],
)
def test_organisations_and_places(a, b, same):
    assert compare_others(parse_other(a), parse_other(b)).same is same

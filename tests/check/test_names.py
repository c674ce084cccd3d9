"""Check compares speakers with resolution's name library (resolve/matching.same_person): the
names of the seed article agree with their bare surnames, titles and other scripts as resolve
judges them, and persons who share a family name do not."""

from __future__ import annotations

import re

from casegraph.check.speakers import names_agree
from tests.conftest import CORPUS

SEED = CORPUS / "seeds" / "000_91a462219fb05cc3.txt"


def test_names_of_the_seed_article_agree_with_their_short_forms():
    text = SEED.read_text(encoding="utf-8")
    full = set(re.findall(r"\b([A-Z][a-z]+) (Nazarbayev|Aliyev)\b", text))
    assert ("Nursultan", "Nazarbayev") in full and ("Rakhat", "Aliyev") in full
    for given, family in full:
        assert re.search(rf"(?<!{given} ){family}\b", text)  # the article also writes it alone
        assert names_agree(family, f"{given} {family}") is True
        assert names_agree(f"Mr. {family}", f"{given} {family}") is True
        assert names_agree(f"{family}, {given}", f"{given} {family}") is True
    assert names_agree("Назарбаев", "Nursultan Nazarbayev") is True  # the Russian spelling
    assert names_agree("Nursultan Nazarbayev", "Rakhat Aliyev") is False
    assert names_agree("Nurali Aliyev", "Rakhat Aliyev") is False  # a family name shared
    assert names_agree("Richard E.", "Richard E. Hoagland") is True  # the article's partial name
    assert names_agree("Richard E.", "Richard Aliyev") is False  # E. is no A.
    assert names_agree("Former ambassador", "Richard E. Hoagland") is None  # a title names nobody

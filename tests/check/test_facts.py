"""Numbers, money, dates and negation are compared after normalisation (real phrases from the
seed article and the estate documents)."""

from __future__ import annotations

from casegraph.check import facts


def test_money_in_words_equals_money_in_figures():
    seed = "assistance in recovering two billion dollars"  # seed 000
    assert [q.value for q in facts.quantities(seed)] == [2e9]
    assert facts.quantities(seed)[0].kind == "money"
    assert facts.conflicts("to recover $2 billion", seed) == []
    assert facts.conflicts("to recover $3 billion", seed)[0].startswith("amount")


def test_month_year_is_compatible_with_year_and_day_not_with_other_month():
    (july,) = facts.dates("she wrote to her supervisor in July 2008.")
    assert (july.year, july.month, july.day) == (2008, 7, 0)
    assert facts.conflicts("in 2008", "on July 3, 2008") == []
    assert facts.conflicts("she wrote in June 2008", "she wrote in July 2008")[0].startswith("date")


def test_counted_things_conflict_only_with_the_same_unit():
    source = "He served 13 months in the county jail, where he was allowed liberal work release privileges"
    assert facts.conflicts("He served 18 months in the county jail", source)[0].startswith("number")
    assert facts.conflicts("He served 13 months in the county jail", source) == []
    # 30 members and 13 months are different things, not a conflict
    assert facts.conflicts("About 30 members of Congress demanded the probe", source) == []


def test_page_stamps_times_and_phone_numbers_are_not_quantities():
    text = "HOUSE OVERSIGHT 023126 February 15, 2019 12:17 PM call 212 750 9895"
    values = {q.value for q in facts.quantities(text)}
    assert not values & {23126, 12, 17, 2019}


def test_negation():
    assert facts.negated("We did not reach this decision lightly")
    assert not facts.negated("We reached this decision lightly")
    assert facts.conflicts("We reached this decision lightly", "We did not reach this decision lightly")

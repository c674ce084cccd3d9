"""Scoring a pair of names: is it the same person / organisation / place, and why.

Candidate pairs come from blocking.py; this module only judges a pair and explains the
judgement, so every merge can keep its reason. Fuzzy equality of name parts covers spelling
variants and transliterations (Massimov = Masimov, Назарбаев → Nazarbaev = Nazarbayev) and
OCR noise (Epstcin = Epstein): Jaro-Winkler plus a Levenshtein budget that grows with length.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein

from casegraph.resolve.blocking import FUNCTION_WORDS
from casegraph.resolve.names import ParsedName, is_initial, parse_person, title_only


@dataclass(frozen=True)
class Judgement:
    same: bool
    score: float
    reason: str


NO = Judgement(False, 0.0, "")


def edit_budget(length: int) -> int:
    """Edits tolerated between two spellings of a name part of this length."""
    if length < 5:
        return 0
    if length < 10:
        return 1
    return 2


def tokens_equal(a: str, b: str) -> tuple[bool, bool]:
    """(same, exact) for two name parts."""
    if a == b:
        return True, True
    if not (a.isalpha() and b.isalpha()) or a[0] != b[0]:
        return False, False
    shortest = min(len(a), len(b))
    budget = edit_budget(shortest)
    if budget == 0:
        return False, False
    if Levenshtein.distance(a, b, score_cutoff=budget) > budget:
        return False, False
    return JaroWinkler.similarity(a, b) >= 0.9, False


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names agree: equal, variant spellings, or an initial of the other. Missing
    given names never contradict; two different given names always do (Joe ≠ Hunter)."""
    if not a or not b:
        return True
    # compare first given names, then middle names where both have them
    for x, y in zip(a, b, strict=False):
        if is_initial(x) or is_initial(y):
            if x[0] != y[0]:
                return False
            continue
        same, _ = tokens_equal(x, y)
        if not same and not (len(x) >= 3 and len(y) >= 3 and (x.startswith(y) or y.startswith(x))):
            return False
    return True


def compare_persons(a: ParsedName, b: ParsedName) -> Judgement:
    if not a.tokens or not b.tokens:
        return NO
    if a.key == b.key:
        return Judgement(True, 1.0, "same name")
    if len(a.tokens) > 1 and sorted(a.tokens) == sorted(b.tokens):
        return Judgement(True, 0.95, "same name parts in another order")
    same_surname, exact = tokens_equal(a.surname, b.surname)
    if not same_surname:
        return NO
    if a.suffixes and b.suffixes and set(a.suffixes) != set(b.suffixes):
        return Judgement(False, 0.0, "different generation suffix")
    if not given_compatible(a.given, b.given):
        return Judgement(False, 0.0, "different given names")
    if not a.given or not b.given:
        return Judgement(
            True, 0.7 if exact else 0.6, "surname of the full name" if exact else "surname, variant spelling"
        )
    pairs = [(x, y) for x, y in zip(a.given, b.given, strict=False) if not (is_initial(x) or is_initial(y))]
    short_form = any(not tokens_equal(x, y)[0] for x, y in pairs)  # Rich / Richard, Alex / Alexander
    fuzzy_given = any(not tokens_equal(x, y)[1] for x, y in pairs)
    if exact and not fuzzy_given:
        return Judgement(True, 0.9, "same surname, given names agree (initials or middle names)")
    if exact and short_form:
        return Judgement(True, 0.85, "same surname, short form of the given name")
    return Judgement(True, 0.85, "variant spelling (transliteration or OCR)")


# Function words may come and go between two writings of an organisation's name.
_FUNCTION_WORDS = FUNCTION_WORDS


def compare_others(a: ParsedName, b: ParsedName) -> Judgement:
    """Organisations and places: the same words, or the same number of content words each
    equal up to a small spelling or OCR difference ("Korean" / "Korea", "Roumania" /
    "Romania"). Words that differ at their first letter never match (Spanish ≠ Danish),
    and one-word names must be identical (Ireland ≠ Iceland)."""
    if not a.tokens or not b.tokens:
        return NO
    if a.key == b.key:
        return Judgement(True, 1.0, "same name")
    ta = [t for t in a.tokens if t not in _FUNCTION_WORDS]
    tb = [t for t in b.tokens if t not in _FUNCTION_WORDS]
    if ta == tb and ta:
        return Judgement(True, 0.95, "same name without function words")
    if len(ta) < 2 or len(ta) != len(tb):
        return NO
    fuzzy = 0
    for x, y in zip(ta, tb, strict=False):
        same, exact = tokens_equal(x, y)
        if not same:
            return NO
        fuzzy += not exact
    if fuzzy > max(1, len(ta) // 3):
        return NO
    ratio = fuzz.ratio(a.key, b.key) / 100.0
    return Judgement(True, round(0.8 * ratio, 3), "near-identical name (spelling or OCR)")


# -- two writings of a person's name, for the stages after resolution ---------------------


def _person_written(text: str) -> ParsedName:
    """A person's name as a text, a header or an address writes it ("jane.doe@x.org": Jane Doe)."""
    if "@" in text:
        text = text.split("@")[0].replace(".", " ").replace("_", " ")
    return parse_person(text)


def person_words(text: str) -> tuple[str, ...]:
    """The words of a person's name as resolution reads it (ASCII, lower case, no titles or
    suffixes, "Surname, Given" turned round, an address's local part); () for titles alone."""
    return () if title_only(text) else _person_written(text).tokens


def _parts_agree(a: str, b: str) -> bool:
    if is_initial(a) or is_initial(b):
        return a[0] == b[0]
    return tokens_equal(a, b)[0]


def same_person(a: str, b: str) -> bool | None:
    """Whether two writings of a person's name name the same person, as resolution judges
    names (compare_persons; a lone first name as inside a document): True for "Ms. Doe" /
    "Jane Doe", "Nazarbayev" / "Назарбаев", "Epstein, Jeffrey" / "Jeffrey E. Epstein", and
    for given names without a surname that begin the other ("John Q." / "John Q. Smith");
    False for different given names (Joe Biden / Hunter Biden) or surnames; None when
    either names nobody (a title alone, an initial alone, no letters)."""
    if title_only(a) or title_only(b):
        return None
    pa, pb = _person_written(a), _person_written(b)
    if not (_names_someone(pa) and _names_someone(pb)):
        return None
    if compare_persons(pa, pb).same:
        return True
    short, long_ = sorted((pa, pb), key=lambda p: len(p.tokens))
    if short.is_single and long_.given and short.key == long_.given[0]:
        return True  # a first name alone ("Kevan" for "Kevan Soto")
    if len(short.tokens) > 1 and is_initial(short.surname):  # "John Q.": given names only
        return all(_parts_agree(x, y) for x, y in zip(short.tokens, long_.tokens, strict=False))
    return False


def _names_someone(name: ParsedName) -> bool:
    letters = [t for t in name.tokens if t.isalpha()]
    return bool(letters) and not (len(letters) == 1 and len(letters[0]) <= 2)

"""Candidate generation: which pairs of name groups are worth comparing at all.

Each group gets a few cheap keys; only groups sharing a key are compared (matching.py).
Keys are chosen so that spelling variants, transliterations and OCR noise still meet: the
first three letters of the surname, its metaphone, and its last four letters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from casegraph.resolve.names import ParsedName, phonetic

# Larger blocks are too common to mean anything ("john", "the") and would cost n² comparisons.
MAX_BLOCK = 400


def person_keys(name: ParsedName) -> set[str]:
    surname = name.surname
    if len(surname) < 2:
        return set()
    keys = {f"s:{surname[:3]}", f"p:{phonetic(surname)}"}
    if len(surname) >= 6:
        keys.add(f"t:{surname[-4:]}")
    return keys


# Function words dropped before comparing organisation names (matching.py does the same).
FUNCTION_WORDS = {
    "of",
    "the",
    "and",
    "for",
    "in",
    "de",
    "du",
    "la",
    "le",
    "des",
    "del",
    "di",
    "da",
    "do",
    "y",
    "et",
}


def other_keys(name: ParsedName) -> set[str]:
    """Organisations and places are compared only with names of as many content words
    starting with the same letters (the matcher tolerates small differences inside words)."""
    words = [t for t in name.tokens if t not in FUNCTION_WORDS]
    if len(words) < 2:
        return set()
    return {f"o:{len(words)}:{''.join(w[0] for w in words)}:{words[0][:2]}"}


def candidate_pairs(keyed: Iterable[tuple[int, set[str]]]) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, of items sharing at least one key, each pair once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for item, keys in keyed:
        for key in keys:
            blocks[key].append(item)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        members = sorted(set(members))
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair = (members[x], members[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair

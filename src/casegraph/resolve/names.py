"""Name parsing for resolution: strip titles, transliterate, split into given names and surname.

Transliteration and honorifics come from rigour (OpenSanctions' name library); we add only
the political and official roles that news and government text puts before names
("Representative", "former President"), which rigour's honorific list does not cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rigour.names.org_types import remove_org_types
from rigour.names.prefix import remove_person_prefixes
from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text

# Roles used as titles before a name. Matched case-insensitively, possibly several in a row
# ("Former U.S. President", "Assistant Secretary of State").
_ROLE_WORDS = (
    "former|ex|late|then|current|acting|deputy|vice|assistant|under|chief|senior|junior|first|lady|"
    "u\\.?s\\.?|us|american|russian|kazakh|british|"
    "president|presidents|prime|minister|secretary|senator|sen|representative|rep|congressman|"
    "congresswoman|governor|gov|mayor|ambassador|amb|judge|justice|attorney|general|ag|agent|"
    "detective|officer|lieutenant|lt|sgt|sergeant|chairman|chairwoman|chair|ceo|cfo|founder|"
    "director|professor|prof|dr|mr|mrs|ms|miss|mx|sir|dame|lord|king|queen|prince|princess|sheikh|"
    "emir|speaker|leader|commissioner|counsel|lawyer|lobbyist|businessman|financier|billionaire|"
    "diplomat|official|spokesman|spokeswoman|spokesperson|of|state|the|and|for|bureau|affairs|"
    "south|central|asian|national|security|committee|department|federal"
)
_ROLE_PREFIX = re.compile(rf"^(?:(?:{_ROLE_WORDS})\.?\s+)+", re.IGNORECASE)
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v", "esq", "phd", "md", "jnr", "snr"}
_SUFFIXES = SUFFIXES
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACE = re.compile(r"\s+")
# Characters that never belong to a name (OCR debris, markup).
_JUNK = re.compile(r"[\[\]{}()<>|*_=#\"“”«»]+")


@dataclass(frozen=True)
class ParsedName:
    """A name ready for comparison. `tokens` are ASCII, lower case, without titles or suffixes."""

    display: str
    tokens: tuple[str, ...]
    suffixes: tuple[str, ...] = field(default=())
    plain: str = ""  # the display form without titles, cased as written

    @cached_property
    def key(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def surname(self) -> str:
        return self.tokens[-1] if self.tokens else ""

    @cached_property
    def given(self) -> tuple[str, ...]:
        return self.tokens[:-1]

    @cached_property
    def is_full(self) -> bool:
        """A given name (not only an initial) plus a surname."""
        return len(self.tokens) >= 2 and len(self.surname) > 1 and any(len(t) > 1 for t in self.given)

    @cached_property
    def is_single(self) -> bool:
        return len(self.tokens) == 1


def clean_display(text: str) -> str:
    """The surface form with markup, possessives and extra spaces removed, titles kept."""
    text = _JUNK.sub(" ", text)
    text = _SPACE.sub(" ", text).strip(" ,;:-–—'’")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[A-Z]\.$", text):  # keep "U.S.", "Jeffrey E."
        text = text.rstrip(".")
    return _POSSESSIVE.sub("", text).strip()


def invert_comma_name(text: str) -> str:
    """ "Ens, Amanda" → "Amanda Ens"; "Thomas Jr., Landon" → "Landon Thomas Jr." (e-mail headers)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 2 and all(parts) and " " not in parts[1] and len(parts[0].split()) <= 2:
        return f"{parts[1]} {parts[0]}"
    return text


@lru_cache(maxsize=200_000)
def parse_person(text: str) -> ParsedName:
    display = invert_comma_name(clean_display(text))
    stripped = _ROLE_PREFIX.sub("", remove_person_prefixes(display)).strip()
    if not stripped:  # the whole thing was a title ("the President"): keep it as written
        stripped = display
    tokens = [t for t in re.split(r"[\s.,]+", ascii_text(stripped).lower().replace("-", " ")) if t]
    tokens = [re.sub(r"[^a-z0-9]", "", t) for t in tokens]
    suffixes = tuple(t for t in tokens if t in _SUFFIXES)
    core = tuple(t for t in tokens if t and t not in _SUFFIXES)
    # "Jr", "III" alone name nobody: no tokens, so resolution leaves them out
    return ParsedName(display=display, tokens=core, suffixes=suffixes, plain=stripped)


def title_only(text: str) -> bool:
    """Titles and roles alone ("the President", "Mr."): words that name nobody by themselves."""
    display = invert_comma_name(clean_display(text))
    return bool(display) and not _ROLE_PREFIX.sub("", remove_person_prefixes(display) + " ").strip()


@lru_cache(maxsize=200_000)
def parse_other(text: str) -> ParsedName:
    """Organisations and places: lower-case ASCII tokens without legal forms or a leading "the"."""
    display = clean_display(text)
    folded = ascii_text(display).lower()
    folded = re.sub(r"^the\s+", "", folded)
    folded = re.sub(r"(\w)'(s)\b", r"\1\2", folded)  # "People's" = "Peoples"
    stripped = remove_org_types(folded).strip(" ,.")
    # a legal form alone ("INC", "LLC") names no organisation: no tokens
    tokens = tuple(t for t in re.split(r"[^a-z0-9]+", stripped) if t)
    tokens = _join_initials(tokens)
    return ParsedName(display=display, tokens=tokens, plain=re.sub(r"^(?i:the)\s+", "", display))


def _join_initials(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """ "U.S." and "US" are one token: runs of single letters are an acronym."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        out.append(token)
    if run:
        out.append(run)
    return tuple(out)


def parse_name(text: str, label: str) -> ParsedName:
    return parse_person(text) if label == "PERSON" else parse_other(text)


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    return metaphone(token.upper()) if token.isalpha() else token


def is_initial(token: str) -> bool:
    return len(token) == 1

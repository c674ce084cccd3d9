"""Bytes to the normalised text the store keeps; every offset refers to that text.

decode (UTF-8, else charset-normalizer's best guess, else cp1252) → ftfy mojibake repair →
NFC → line endings and trailing blanks tidied. Language detection uses lingua on a
restricted set of languages, with the detector built once per process.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import ftfy

LANGUAGES = ("ENGLISH", "RUSSIAN", "KAZAKH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "UKRAINIAN")
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)
# lead bytes of UTF-8 sequences (Â Ã â Ð Ñ Ø Ù ...) as cp1252/latin-1, then a continuation byte
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00df\u00e0-\u00ef][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153"
    "\u017e\u0178]"
)
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.M)
_MANY_BLANKS = re.compile(r"\n{4,}")
_LATIN_FAMILY = {
    "latin_1",
    "iso8859_1",
    "cp1250",
    "cp1252",
    "iso8859_15",
    "iso8859_2",
    "mac_roman",
    "iso8859_9",
    "cp1254",
    "iso8859_3",
    "iso8859_4",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "cp1257",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Never raises: undecodable bytes become U+FFFD."""
    text, encoding, _ = decode_report(data)
    return text, encoding


def repair_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, bytes replaced) when `data` is overwhelmingly UTF-8 with a few stray bytes (at
    least four valid non-ASCII characters per bad byte, e.g. one cp1252 \\x92 in a Russian
    text): decoded as UTF-8 with the bad bytes replaced by U+FFFD, rather than the whole file
    re-read in a guessed single-byte code page. None otherwise."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad
    if bad > 0 and valid >= 4 * bad:
        return text, bad
    return None


def decode_report(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, invalid bytes replaced by U+FFFD in a mostly-UTF-8 text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", 0
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", 0
    repaired = repair_utf8(data)
    if repaired is not None:
        return repaired[0], "utf-8", repaired[1]
    text, encoding = _guess(data)
    return text, encoding, 0


def _guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    # charset-normalizer is slow on big inputs; its guess from the first MiB is as good.
    best = from_bytes(data[: 1 << 20]).best()
    if best is not None and best.encoding:
        encoding = best.encoding
        # Guesses among Western single-byte code pages are unreliable on short texts; cp1252
        # is by far the most common of them (and a superset of latin-1's printable range).
        if encoding in _LATIN_FAMILY:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def normalise(text: str) -> str:
    """Repair mojibake, NFC, unify line endings, drop control characters and trailing blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # ftfy is slow on big texts: run it only where UTF-8-read-as-cp1252/latin-1 pairs appear
    if not text.isascii() and _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, _FTFY)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\f", "\n\n"))
    text = _TRAILING.sub("", text)
    text = _MANY_BLANKS.sub("\n\n\n", text)
    return text.strip()


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.1).build()


def detect_language(text: str, sample: int = 2000) -> str:
    """ISO 639-1 code of the text's main language, or '' when unsure or too short."""
    letters = sum(c.isalpha() for c in text[: sample * 2])
    if letters < 20:
        return ""
    # a sample from the middle avoids headers and address blocks at the top
    middle = max(0, len(text) // 2 - sample // 2)
    chunk = text[middle : middle + sample] if len(text) > 2 * sample else text[:sample]
    language = _detector().detect_language_of(chunk)
    return language.iso_code_639_1.name.lower() if language is not None else ""

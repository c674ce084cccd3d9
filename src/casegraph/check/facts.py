"""Numbers, money, dates and negation, normalised so that two texts can be compared.

"two billion dollars" and "$2 billion" are both Money(2e9, "USD"); "July 2008" is the date
"2008-07" and is compatible with "2008" and "July 15, 2008" but not with "June 2008". A
conflict is reported only between values of the same kind (and, for plain numbers, the same
unit word where both texts have one), so that "13 months" never conflicts with "30 members".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casegraph.lexicon import MONTH_PATTERN, MONTHS

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₸": "KZT", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "tenge": "KZT",
    "rubles": "RUB",
    "roubles": "RUB",
    "yen": "JPY",
}
_NEGATIONS = {
    "not",
    "no",
    "never",
    "neither",
    "nor",
    "none",
    "nobody",
    "nothing",
    "without",
    "denied",
    "denies",
}

_NUMBER_WORDS = "|".join(
    sorted([*list(_UNITS), "hundred", "thousand", "million", "billion", "trillion"], key=len, reverse=True)
)
_QUANTITY = re.compile(
    r"(?P<cur>[$€£¥₸₽])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:(?:"
    + _NUMBER_WORDS
    + r")(?:[\s-]+(?:and\s+)?)?)+)"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b)\b)?"
    r"(?:\s*(?P<curword>dollars?|usd|euros?|eur|pounds?|gbp|tenge|rubles|roubles|yen)\b)?"
    r"(?:\s*(?:of\s+)?(?P<unit>[a-z]{3,}))?",
    re.IGNORECASE,
)
_DATE_MDY = re.compile(
    r"\b(?P<month>" + MONTH_PATTERN + r")\.?\s+"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_DATE_DMY = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>" + MONTH_PATTERN + r")\.?,?\s+"
    r"(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d{2})\b")
_DATE_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\b")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})s?\b")


@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # "money" or "number"
    unit: str = ""  # currency code for money; the following word's stem for numbers
    text: str = ""


@dataclass(frozen=True)
class Date:
    year: int
    month: int = 0
    day: int = 0
    text: str = ""

    def compatible(self, other: Date) -> bool:
        """Equal where both are precise: "July 2008" fits "2008" and "July 15, 2008"."""
        if self.year != other.year:
            return False
        if self.month and other.month and self.month != other.month:
            return False
        return not (self.day and other.day and self.day != other.day)

    def __str__(self) -> str:
        return "-".join(
            [f"{self.year:04d}"]
            + ([f"{self.month:02d}"] if self.month else [])
            + ([f"{self.day:02d}"] if self.day else [])
        )


def _words_to_number(text: str) -> float | None:
    total, current = 0.0, 0.0
    found = False
    if not any(w in _UNITS for w in re.split(r"[\s-]+", text.lower())):
        return None  # "billions of dollars", "hundreds": no amount
    for word in re.split(r"[\s-]+", text.lower()):
        if not word or word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
            found = True
        elif word == "hundred":
            current = (current or 1) * 100
            found = True
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[word]
            current = 0
            found = True
        else:
            return None
    return total + current if found else None


def dates(text: str) -> list[Date]:
    found: list[Date] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_DATE_MDY, _DATE_DMY, _DATE_NUMERIC, _DATE_ISO):
        for m in pattern.finditer(text):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
            day = int(m.group("day") or 0)
            if not 1 <= month <= 12 or day > 31:
                continue
            found.append(Date(int(m.group("year")), month, day, m.group(0)))
            taken.append(m.span())
    for m in _YEAR.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append(Date(int(m.group("year")), text=m.group(0)))
            taken.append(m.span())
    return found


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (_DATE_MDY, _DATE_DMY, _DATE_NUMERIC, _DATE_ISO, _YEAR):
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def quantities(text: str) -> list[Quantity]:
    """Money amounts and counted things, not dates, page stamps or phone numbers."""
    found: list[Quantity] = []
    date_spans = _date_spans(text)
    for m in _QUANTITY.finditer(text):
        raw = m.group("num").strip(" -")
        if not raw or any(a <= m.start("num") < b for a, b in date_spans):
            continue
        if raw[0].isdigit():
            before, after = text[m.start("num") - 1 : m.start("num")], text[m.end("num") : m.end("num") + 1]
            if (
                ":" in (before + after)
                or (raw[0] == "0" and len(raw) > 1)
                or len(raw.replace(",", "").split(".")[0]) > 9
            ):
                continue  # times, page stamps, phone and id numbers
            value = float(raw.replace(",", ""))
        else:
            if raw.lower() == "one":  # mostly a pronoun ("one of the documents")
                continue
            number = _words_to_number(raw)
            if number is None:
                continue
            value = number
        scale = (m.group("scale") or "").lower()
        if scale and not (scale in ("m", "b") and not m.group("cur")):
            value *= _SCALES[scale]
        prefix = text[max(0, m.start() - 4) : m.start()].strip().lower()  # "USD 5 million"
        currency = (
            _CURRENCY_SYMBOLS.get(m.group("cur") or "")
            or _CURRENCY_WORDS.get((m.group("curword") or "").lower())
            or _CURRENCY_WORDS.get(prefix if prefix in ("usd", "eur", "gbp") else "")
        )
        if currency:
            found.append(Quantity(value, "money", currency, m.group(0).strip()))
        else:
            unit = (m.group("unit") or "").lower()
            unit = "" if unit in _STOP_UNITS else unit[:5]
            found.append(Quantity(value, "number", unit, m.group(0).strip()))
    return found


_STOP_UNITS = {"and", "the", "for", "was", "were", "are", "that", "with", "who", "from", "than", "years_"}


def negated(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    return any(w in _NEGATIONS or w.endswith("n't") for w in words)


def conflicts(item: str, evidence: str) -> list[str]:
    """Why the evidence conflicts with the item, one short phrase per conflict ([] if none)."""
    reasons: list[str] = []
    item_money = [q for q in quantities(item) if q.kind == "money"]
    evidence_money = [q for q in quantities(evidence) if q.kind == "money"]
    if item_money and evidence_money:
        for q in item_money:
            if not any(_same_amount(q, e) for e in evidence_money):
                reasons.append(f"amount {q.text!r} vs {evidence_money[0].text!r} in the source")
                break
    item_numbers = [q for q in quantities(item) if q.kind == "number"]
    evidence_numbers = [q for q in quantities(evidence) if q.kind == "number"]
    for q in item_numbers:
        same_unit = [e for e in evidence_numbers if q.unit and e.unit == q.unit]
        lone = len(item_numbers) == len(evidence_numbers) == 1 and not (q.unit and evidence_numbers[0].unit)
        rivals = same_unit or (evidence_numbers if lone else [])
        if rivals and not any(abs(e.value - q.value) < 1e-9 for e in rivals):
            reasons.append(f"number {q.text!r} vs {rivals[0].text!r} in the source")
            break
    item_dates, evidence_dates = dates(item), dates(evidence)
    if item_dates and evidence_dates:
        for d in item_dates:
            if not any(d.compatible(e) for e in evidence_dates):
                reasons.append(
                    f"date {d.text!r} ({d}) vs {evidence_dates[0].text!r} ({evidence_dates[0]}) in the source"
                )
                break
    if negated(item) != negated(evidence):
        reasons.append(
            "negation: "
            + ("the article denies what the source affirms" if negated(item) else "the source denies it")
        )
    return reasons


def _same_amount(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit and abs(a.value - b.value) <= 0.01 * max(abs(a.value), abs(b.value), 1)


def canonical(text: str) -> str:
    """The text with every amount, number and date written one way, so that "two billion
    dollars" and "$2 billion" read alike ("usd2000000000") when words are compared."""
    spans: list[tuple[int, int, str]] = []
    for pattern in (_DATE_MDY, _DATE_DMY, _DATE_NUMERIC, _DATE_ISO):
        for m in pattern.finditer(text):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
            if 1 <= month <= 12:
                spans.append((m.start(), m.end(), f"d{m.group('year')}m{month:02d}"))
    for m in _QUANTITY.finditer(text):
        raw = (m.group("num") or "").strip(" -")
        if not raw or any(a <= m.start("num") < b for a, b, _ in spans):
            continue
        before, after = text[m.start("num") - 1 : m.start("num")], text[m.end("num") : m.end("num") + 1]
        if before.isalpha() or (
            after.isalpha() and not m.group("scale") and m.group("num")[-1] not in " \t\n-"
        ):
            continue  # "six" in "Sixth", "ten" in "often"
        q = quantities(m.group(0))
        if not q:
            continue
        end = m.end("unit") if m.group("unit") else m.end()
        if m.group("unit"):
            end = m.start("unit")
        v = q[0].value
        value = f"{v:.0f}" if float(v).is_integer() else f"{v:.6g}".replace("+", "").replace(".", "p")
        token = f"{q[0].unit.lower()}{value}" if q[0].kind == "money" else f"n{value}"
        spans.append((m.start(), end, " " + token + " "))
    out, cursor = [], 0
    for start, end, token in sorted(spans):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(token)
        cursor = end
    out.append(text[cursor:])
    return " ".join("".join(out).split())

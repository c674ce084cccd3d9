"""A labelled set of (claim, evidence) pairs built from the corpus at run time, for fitting the
verifier (the `fit` half) and for `casegraph eval verdicts` (the `report` half).

Evidence: well-formed sentences (12-45 words, naming someone or something) of the estate's
e-mails and merged documents, many of them pasted news stories, chosen by a hash of their text.
Claims, one per evidence sentence, written from it the way articles reuse sources:

- `supported`: a fragment of 8-14 of its words, as an article quotes it;
- `paraphrased`: the sentence in other words (synonyms, amounts spelled another way,
  appositives and openers dropped, "X said Y" turned into "Y, according to X", a clause kept
  as a list item keeps it); labelled `supported` if the rewrite left it near verbatim;
- `contradicted`: a fragment around a number, amount or date with that value changed;
- `not_found` (topic): the most similar sentence of another document that names one of the
  same people or things (same topic, another statement);
- `not_found` (actors): a fragment with one of its names replaced by another name of the set.

Pairs are split in halves by a hash of the evidence sentence. Deterministic: same corpus,
same pairs. The rewrites are mechanical: a reader should expect human paraphrases to be harder
than `paraphrased` here, and topic distractors to be the realistic negatives.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casegraph.check import facts
from casegraph.check.text import STOPWORDS, sentences
from casegraph.check.verifier import names, verbatim_ratio

LABELS = ("supported", "paraphrased", "contradicted", "not_found")
MAX_EVIDENCE = 700


@dataclass
class LabelledPair:
    claim: str
    evidence: str
    label: str
    kind: str  # how the claim was made from the evidence
    split: str  # fit | report
    doc: str  # file the evidence comes from


def default_corpus() -> Path:
    root = os.environ.get("CASEGRAPH_CORPUS")
    candidates = [Path(root)] if root else []
    candidates += [
        Path("../shared/corpus/epstein-estate"),
        Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "epstein-estate",
    ]
    for folder in candidates:
        if folder.is_dir():
            return folder
    return candidates[0]


def _h(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _documents(corpus: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(corpus.rglob("*")):
        if path.suffix == ".json" and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
            except ValueError:
                continue
            body = data.get("body") if isinstance(data, dict) else None
            if isinstance(body, str):
                yield path.name, body
        elif path.suffix == ".txt" and path.is_file():
            yield path.name, path.read_text(encoding="utf-8", errors="replace")


_JUNK = re.compile(r"@|https?:|www\.|\b(?:From|Sent|To|Subject|Cc):|HOUSE OVERSIGHT|[|_{}<>\\]")
_WORDLIKE = re.compile(r"^[A-Za-z][a-z'’\-]*[a-z]$|^[A-Z]{2,}$|^\$?\d[\d,.]*$|^[a-z]$|^[A-Z][a-z]?\.?$")


def good_sentence(s: str) -> bool:
    tokens = s.split()
    if not 12 <= len(tokens) <= 45 or _JUNK.search(s):
        return False
    if not (s[0].isupper() or s[0] in '"“') or s[-1] not in '.!?"”':
        return False
    clean = [t.strip(".,;:!?\"“”()'’") for t in tokens]
    if sum(1 for t in clean if t and _WORDLIKE.match(t)) < 0.9 * len(tokens):
        return False
    return len(names(s)) >= 1


def corpus_sentences(corpus: Path, per_document: int = 6, limit: int = 1400) -> list[tuple[str, str]]:
    """(document, sentence) pairs: a hash-chosen sample of well-formed sentences."""
    chosen: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for name, text in _documents(corpus):
        flat = re.sub(r"(?<=[a-z,])-?\n(?=[a-z])", " ", text)  # OCR lines inside a sentence
        flat = re.sub(r"[ \t]*\n[ \t]*(?!\n)", " ", flat)
        found = []
        for a, b in sentences(flat):
            s = " ".join(flat[a:b].split())
            key = s.lower()
            if key in seen or not good_sentence(s):
                continue
            seen.add(key)
            found.append((_h(s), name, s))
        found.sort()
        chosen += found[:per_document]
    chosen.sort()
    return [(name, s) for _, name, s in chosen[:limit]]


_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "bought": "purchased",
    "buy": "purchase",
    "big": "large",
    "large": "big",
    "began": "started",
    "started": "began",
    "asked": "requested",
    "received": "got",
    "company": "firm",
    "firm": "company",
    "lawyer": "attorney",
    "lawyers": "attorneys",
    "attorney": "lawyer",
    "attorneys": "lawyers",
    "help": "assist",
    "helped": "assisted",
    "wanted": "sought",
    "tried": "attempted",
    "called": "described",
    "meeting": "talks",
    "money": "funds",
    "house": "home",
    "home": "house",
    "also": "in addition",
    "about": "roughly",
    "many": "numerous",
    "show": "indicate",
    "shows": "indicates",
    "showed": "indicated",
    "died": "passed away",
    "gave": "provided",
    "give": "provide",
    "paid": "handed over",
    "met": "sat down with",
    "worked": "served",
    "charged": "indicted",
    "arrested": "detained",
    "investigation": "inquiry",
    "victims": "accusers",
    "children": "kids",
    "girls": "young women",
    "wrote": "stated in writing",
    "sent": "forwarded",
    "government": "administration",
    "country": "nation",
    "important": "significant",
    "biggest": "largest",
    "job": "position",
    "week": "seven days",
}
_NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
}
_SCALE_WORDS = {1e9: "billion", 1e6: "million", 1e3: "thousand"}
_CURRENCY = {"USD": "dollars", "EUR": "euros", "GBP": "pounds"}


def _respell_amount(s: str) -> str:
    """ "$2 billion" -> "two billion dollars" (and plain small numbers in words)."""
    for q in facts.quantities(s):
        if q.kind == "money" and q.unit in _CURRENCY:
            for scale, word in _SCALE_WORDS.items():
                n = q.value / scale
                if n >= 1 and float(n).is_integer():
                    spoken = f"{_NUMBER_WORDS.get(int(n), str(int(n)))} {word} {_CURRENCY[q.unit]}"
                    return s.replace(q.text, spoken, 1)
            return s.replace(q.text, f"{q.value:,.0f} {_CURRENCY[q.unit]}", 1)
    return s


def paraphrase(s: str) -> str:
    out = _respell_amount(s)
    # "X, who ..., did" -> "X did"; "X, a former ..., did" -> "X did"
    out = re.sub(r",\s+(?:who|which|whose)\s[^,]{3,80},", "", out, count=1)
    out = re.sub(r",\s+(?:a|an|the)\s[^,]{3,60},", "", out, count=1)
    m = re.match(
        r"^(?P<who>[A-Z][\w.'’ -]{2,40}?)\s+(?:said|says|wrote|told [^,]{2,30})\s+(?:that\s+)?(?P<what>.+)$",
        out,
    )
    if m and len(m.group("what").split()) >= 6:
        out = f"{m.group('what').rstrip('.')}, according to {m.group('who')}."
    opener = re.match(r"^(?:In|On|At|By|After|Before|During|Since)\s[^,]{2,40},\s+(?P<rest>.+)$", out)
    if opener:
        rest = opener.group("rest")
        out = rest[0].upper() + rest[1:]
    parts = [p.strip() for p in re.split(r"(?<=\w),\s+(?:and\s+|but\s+)?", out.rstrip(".")) if p.strip()]
    if len(parts) >= 2 and all(len(p.split()) >= 4 for p in parts[:2]):
        if _h(s) % 2:  # the clauses the other way round
            first, second = parts[1], parts[0]
            lead = second[0].lower() if second.split()[0].lower() in STOPWORDS else second[0]
            out = f"{first[0].upper()}{first[1:]}, and {lead}{second[1:]}."
        else:  # compressed to its longest clause, as a list item does
            longest = max(parts, key=lambda p: len(p.split()))
            out = f"{longest[0].upper()}{longest[1:]}."
    changed = 0
    tokens = out.split(" ")
    for i, t in enumerate(tokens):
        core = t.strip('.,;:!?"“”()')
        repl = _SYNONYMS.get(core.lower())
        if repl and core[:1].isupper() and i > 0:
            continue  # part of a name ("White House"): a paraphrase keeps names as they are
        if repl and changed < 6:
            if core[:1].isupper():
                repl = repl[0].upper() + repl[1:]
            tokens[i] = t.replace(core, repl, 1)
            changed += 1
    return " ".join(tokens)


def _fragment(s: str, seed: int, low: int = 8, high: int = 14) -> str:
    tokens = s.split()
    size = min(len(tokens), low + seed % (high - low + 1))
    start = (seed // 7) % max(1, len(tokens) - size + 1)
    return " ".join(tokens[start : start + size]).strip(",;:")


def _change_number(s: str, seed: int) -> str | None:
    """A fragment of the sentence around one of its numbers, amounts or dates, changed."""
    for d in facts.dates(s):
        if d.year:
            changed = d.text.replace(str(d.year), str(d.year + 1 + seed % 3), 1)
            return _around(s, d.text, changed)
    for q in facts.quantities(s):
        m = re.search(r"\d[\d,]*(?:\.\d+)?", q.text)
        if m:
            value = float(m.group(0).replace(",", ""))
            new = value * 2 if value < 10 else value + 10 ** max(0, len(str(int(value))) - 1)
            text = f"{new:,.0f}" if "," in m.group(0) else (f"{new:g}")
            return _around(s, q.text, q.text.replace(m.group(0), text, 1))
        for word, n in sorted(((w, v) for v, w in _NUMBER_WORDS.items()), key=lambda x: -len(x[0])):
            if re.search(r"\b" + word + r"\b", q.text, re.I):
                other = _NUMBER_WORDS[n % 9 + 1]
                return _around(s, q.text, re.sub(r"\b" + word + r"\b", other, q.text, count=1, flags=re.I))
    return None


def _around(s: str, old: str, new: str, width: int = 6) -> str | None:
    i = s.find(old)
    if i < 0 or old == new:
        return None
    before = s[:i].split()[-width:]
    after = s[i + len(old) :].split()[:width]
    return " ".join([*before, new, *after]).strip(",;:")


def build(corpus: Path | None = None, limit: int = 1400) -> list[LabelledPair]:
    from casegraph.check import embed

    corpus = corpus or default_corpus()
    pool = corpus_sentences(corpus, limit=limit)
    pairs: list[LabelledPair] = []
    name_pool = sorted(
        {m for _, s in pool for m in re.findall(r"\b[A-Z][a-z]{3,}\b", s) if m.lower() in _PERSONS}
    )
    vectors = embed.encode([s for _, s in pool])
    sims = vectors @ vectors.T
    name_sets = [set(names(s)) for _, s in pool]
    for i, (doc, s) in enumerate(pool):
        seed = _h(s)
        split = "fit" if seed % 2 == 0 else "report"
        fragment = _fragment(s, seed)
        pairs.append(LabelledPair(fragment, s, "supported", "fragment", split, doc))
        rewritten = paraphrase(s)
        if rewritten != s:
            label = "supported" if verbatim_ratio(rewritten, s) >= 90 else "paraphrased"
            pairs.append(LabelledPair(rewritten, s, label, "rewrite", split, doc))
        changed = _change_number(s, seed)
        if changed:
            pairs.append(LabelledPair(changed, s, "contradicted", "number changed", split, doc))
        best, best_j = -1.0, -1
        for j, (other_doc, t) in enumerate(pool):
            if other_doc == doc or not (name_sets[i] & name_sets[j]):
                continue
            if float(sims[i, j]) > best and verbatim_ratio(t, s) < 60:
                best, best_j = float(sims[i, j]), j
        if best_j >= 0:
            pairs.append(LabelledPair(pool[best_j][1], s, "not_found", "topic distractor", split, doc))
        present = [n for n in re.findall(r"\b[A-Z][a-z]{3,}\b", fragment) if n.lower() in _PERSONS]
        if present and name_pool:
            swap = name_pool[seed % len(name_pool)]
            if swap != present[0] and swap.lower() not in s.lower():
                pairs.append(
                    LabelledPair(
                        re.sub(r"\b" + present[0] + r"\b", swap, fragment),
                        s,
                        "not_found",
                        "actor swapped",
                        split,
                        doc,
                    )
                )
    return pairs


# Names of people common in the estate's documents and news: a swapped actor must be a person.
_PERSONS = frozenset(
    [
        "epstein",
        "maxwell",
        "clinton",
        "trump",
        "dershowitz",
        "prince",
        "andrew",
        "giuffre",
        "roberts",
        "wexner",
        "brunel",
        "acosta",
        "barak",
        "summers",
        "mandelson",
        "aliyev",
        "nazarbayev",
        "gates",
        "bloomberg",
        "murdoch",
        "obama",
        "bush",
        "putin",
        "branson",
        "staley",
        "black",
        "richardson",
        "mitchell",
        "spacey",
        "jagger",
        "soros",
        "kerry",
        "romney",
        "biden",
        "cuomo",
        "weinstein",
        "brockman",
        "minsky",
        "lang",
        "chomsky",
        "pinker",
        "hawking",
        "krauss",
        "church",
        "nowak",
        "kahn",
        "ross",
    ]
)

"""Search snippets as SQLite's FTS5 writes them, for the PostgreSQL backend.

`snippet(documents_fts, 1, '[', ']', ' … ', 24)` on SQLite picks the 24-token window of the
document's text that holds the most distinct query phrases (a window starting a sentence
scores a bonus), brackets each match, and puts ' … ' where the text goes on. PostgreSQL's
ts_headline chooses and cuts differently, so the PostgreSQL backend computes the snippet
here, following FTS5's own code (fts5_aux.c: fts5SnippetFunction, fts5SnippetScore,
fts5HighlightCb, fts5CInstIterNext; SQLite 3.40) over FTS5's tokenizer (unicode61
remove_diacritics 2, each character beyond ASCII classified and folded by SQLite itself).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from casegraph.store.postgres.dialect import FTS_TOKEN

# a run that may hold tokens: ASCII letters and digits (always token characters, folded by
# lower()) and any other character, which FTS5's tables decide on (`_fts5_char`)
_RUN = re.compile(r"[A-Za-z0-9\u0080-\U0010ffff]+")

# SQLite's own tokenizer, asked once per character beyond ASCII: unicode61 classifies and
# folds with tables of its own Unicode version (a character newer than those is a token
# character; Greek tonos and Hangul syllables stay), which Python's unicodedata cannot stand in for
_probe = sqlite3.connect(":memory:", check_same_thread=False)
_probe.execute("CREATE VIRTUAL TABLE p USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
_probe.execute("CREATE VIRTUAL TABLE temp.p_terms USING fts5vocab(main, p, instance)")
_probe_lock = threading.Lock()


@lru_cache(maxsize=200_000)  # bounded: a text may hold any of 1.1M code points
def _fts5_char(c: str) -> str | None:
    """None where FTS5 separates tokens at `c`; else `c` folded (case, diacritics: '' for a
    mark that folds away)."""
    with _probe_lock:
        _probe.execute("DELETE FROM p")
        _probe.execute("INSERT INTO p(rowid, t) VALUES (1, ?)", ("x" + c + "x",))
        terms = [r[0] for r in _probe.execute("SELECT term FROM temp.p_terms ORDER BY offset")]
    return terms[0][1:-1] if len(terms) == 1 else None


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of each token of `text` (character offsets), as FTS5's
    unicode61 tokenizer reads it (a token that folds to nothing is dropped, as there)."""
    out = []
    for m in _RUN.finditer(text):
        run = m.group()
        if run.isascii():
            out.append((run.lower(), m.start(), m.end()))
            continue
        start, folded = -1, ""
        for i, c in enumerate(run, m.start()):
            kind = c.lower() if c.isascii() else _fts5_char(c)
            if kind is None:  # a separator
                if start >= 0 and folded:
                    out.append((folded, start, i))
                start, folded = -1, ""
            else:
                start = i if start < 0 else start
                folded += kind
        if start >= 0 and folded:
            out.append((folded, start, m.end()))
    return out


def phrases(match: str) -> list[tuple[list[str], bool]]:
    """The phrases of an FTS5 expression as `fts_query` writes them ("word word"*, AND, OR,
    NOT), numbered as FTS5 (and `fts.Expression`) number them: each phrase's folded tokens
    and whether its last token is a prefix."""
    found = []
    for m in FTS_TOKEN.finditer(match):
        text, star, bare = m.group(1), m.group(2), m.group(3)
        if bare in ("AND", "OR", "NOT"):
            continue
        words = [w for w, _, _ in tokens(text if text is not None else bare or "")]
        if words:
            found.append((words, bool(star)))
    return found


def instances(doc: list[tuple[str, int, int]], query: list[tuple[list[str], bool]]) -> list[tuple[int, int]]:
    """(token position, phrase number) of every match of every phrase, in position order
    (FTS5's xInst order: by position, then phrase)."""
    words = [t[0] for t in doc]
    where: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        where.setdefault(word, []).append(position)
    hits = []
    for number, (phrase, prefix) in enumerate(query):
        size = len(phrase)
        if size == 1 and prefix:
            starts = [p for word, found in where.items() if word.startswith(phrase[0]) for p in found]
        else:
            starts = where.get(phrase[0], [])
        for i in starts:
            if i + size > len(words) or any(words[i + k] != phrase[k] for k in range(1, size - 1)):
                continue
            last = words[i + size - 1]
            if size == 1 or (last.startswith(phrase[-1]) if prefix else last == phrase[-1]):
                hits.append((i, number))
    return sorted(hits)


def _score(
    hits: list[tuple[int, int]], sizes: list[int], size: int, start: int, count: int, adjust: bool
) -> tuple[int, int]:
    """fts5SnippetScore: the window of `count` tokens from `start`: its score (1000 for each
    phrase seen first, 1 for each again) and, if `adjust`, the start that centres its hits."""
    score, first, last = 0, -1, 0
    seen: set[int] = set()
    for position, phrase in hits[bisect_left(hits, (start, -1)) : bisect_left(hits, (start + count, -1))]:
        score += 1 if phrase in seen else 1000
        seen.add(phrase)
        if first < 0:
            first = position
        last = position + sizes[phrase]
    if not adjust:
        return score, start
    moved = first - (count - (last - first)) // 2
    if moved + count > size:
        moved = size - count
    return score, max(moved, 0)


def _sentence_starts(text: str, doc: list[tuple[str, int, int]]) -> list[int]:
    """fts5SentenceFinderCb: the first token, and each token after a '.' or ':' and space."""
    starts = [0] if doc else []
    for position in range(1, len(doc)):
        offset = doc[position][1]
        i = offset - 1
        while i >= 0 and text[i] in " \t\n\r":
            i -= 1
        if i != offset - 1 and i >= 0 and text[i] in ".:":
            starts.append(position)
    return starts


def snippet(
    text: str,
    match: str,
    count: int = 24,
    open_: str = "[",
    close: str = "]",
    ellipsis: str = " … ",
    counted: Sequence[bool] | None = None,
) -> str:
    """`snippet(fts, column, open_, close, ellipsis, count)` of FTS5 for one column's text
    and the FTS5 expression `match`; `counted`: the phrases FTS5 reports in this row (not
    one in an AND group the row fails, nor one after NOT), all by default."""
    doc = tokens(text)
    query = phrases(match)
    sizes = [len(words) for words, _ in query]
    hits = instances(doc, query)
    if counted is not None:
        hits = [(position, phrase) for position, phrase in hits if counted[phrase]]
    size = len(doc)
    best_score, best_start = 0, 0
    starts = _sentence_starts(text, doc)
    for position, _ in hits:
        score, start = _score(hits, sizes, size, position, count, True)
        if score > best_score:
            best_score, best_start = score, start
        if starts and size > count:
            j = 0
            while j < len(starts) - 1 and starts[j + 1] <= position:
                j += 1
            if starts[j] < position:
                score, _ = _score(hits, sizes, size, starts[j], count, False)
                score += 120 if starts[j] == 0 else 100
                if score > best_score:
                    best_score, best_start = score, starts[j]
    return _highlight(
        text, doc, _coalesced(hits, sizes), best_start, best_start + count - 1, size, (open_, close, ellipsis)
    )


def _coalesced(hits: list[tuple[int, int]], sizes: list[int]) -> list[tuple[int, int]]:
    """fts5CInstIterNext: (first, last token) of the matches, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for position, phrase in hits:
        end = position + sizes[phrase] - 1
        if merged and position <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((position, end))
    return merged


def _highlight(
    text: str,
    doc: list[tuple[str, int, int]],
    spans: list[tuple[int, int]],
    range_start: int,
    range_end: int,
    size: int,
    marks: tuple[str, str, str],
) -> str:
    """fts5HighlightCb over the window's tokens, with the ellipses of fts5SnippetFunction."""
    open_, close, ellipsis = marks
    out = [ellipsis] if range_start > 0 else []
    offset = 0
    k = 0
    while k < len(spans) and spans[k][0] < range_start:
        k += 1
    span = spans[k] if k < len(spans) else (-1, -1)
    for position, (_, start, end) in enumerate(doc):
        if range_end > 0 and not range_start <= position <= range_end:
            continue
        if range_end > 0 and range_start and position == range_start:
            offset = start
        if position == span[0]:
            out += [text[offset:start], open_]
            offset = start
        if position == span[1]:
            if range_end > 0 and span[0] < range_start:
                out.append(open_)
            out += [text[offset:end], close]
            offset = end
            k += 1
            span = spans[k] if k < len(spans) else (-1, -1)
        if range_end > 0 and position == range_end:
            out.append(text[offset:end])
            offset = end
            if span[0] <= position < span[1]:
                out.append(close)
    if range_end >= size - 1:
        out.append(text[offset:])
    else:
        out.append(ellipsis)
    return "".join(out)

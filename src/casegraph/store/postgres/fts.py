"""SQLite FTS5's matching and bm25 ranking on PostgreSQL: the same hits, in the same order,
with the same scores, for search and for check's candidate documents.

FTS5 (fts5_aux.c: fts5Bm25Function, k1 1.2, b 0.75) scores a row as the sum over the query's
phrases of

    idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))

f: the phrase's instances in the row, each weighted by its column's weight (a phrase counts
only where its part of the expression matches the row: not under a NOT, not in an AND group
that fails); D: the row's tokens (all columns); avgdl: the mean tokens per row; idf:
log((N - n + 0.5) / (n + 0.5)), at least 1e-6, with N rows and n rows holding the phrase.

PostgreSQL's tsvector is exact for most documents: their words and positions are what FTS5
reads. It is not for long ones: it keeps 256 positions of a word, clamps positions at
16,383, and its generated column indexes the first 200,000 characters of a text whose index
would pass 1 MB. Each document's token counts (FTS5's tokenizer: `snippet.tokens`) go to
`fts_sizes` when it is stored, with whether its tsvector is exact; an inexact document's
words and positions go to `fts_postings`. The tsvector finds the exact documents that may
match; the postings, the long ones; the expression is then evaluated, and every phrase
counted, on the positions themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casegraph.store.postgres.dialect import FTS_TOKEN, tsquery
from casegraph.store.postgres.snippet import tokens

K1, B = 1.2, 0.75
# a tsvector is exact below these (001_core.sql; the margins cover the few tokens on which
# PostgreSQL's parser and FTS5's tokenizer may split a text differently)
EXACT_TOKENS, EXACT_POSITIONS, INDEXED_CHARS = 15_000, 250, 200_000
TITLE, BODY = 0, 1

Positions = dict[int, dict[str, list[int]]]  # column -> word -> token positions in it


@dataclass(frozen=True)
class Sizes:
    title: int
    body: int
    exact: bool  # the tsvector holds every position of every word


def measure(title: str, text: str) -> tuple[Sizes, Positions]:
    """A document's token counts, whether its tsvector is exact, and its words' positions."""
    positions: Positions = {}
    counts: dict[str, int] = {}
    for column, body in ((TITLE, title or ""), (BODY, text or "")):
        words = positions.setdefault(column, {})
        for i, (word, _, _) in enumerate(tokens(body)):
            words.setdefault(word, []).append(i)
            counts[word] = counts.get(word, 0) + 1
    title_n = sum(len(p) for p in positions[TITLE].values())
    body_n = sum(len(p) for p in positions[BODY].values())
    exact = (
        title_n + body_n <= EXACT_TOKENS
        and len(text or "") <= INDEXED_CHARS
        and max(counts.values(), default=0) < EXACT_POSITIONS
    )
    return Sizes(title_n, body_n, exact), positions


def store_document(conn: Any, rowid: int, title: str, text: str) -> None:
    """Write one stored document's sizes (and, where its tsvector is not exact, postings)."""
    sizes, positions = measure(title, text)
    conn.execute(
        "INSERT INTO fts_sizes(rowid, title, body, exact) VALUES (?, ?, ?, ?) ON CONFLICT (rowid) DO UPDATE"
        " SET title = EXCLUDED.title, body = EXCLUDED.body, exact = EXCLUDED.exact",
        (rowid, sizes.title, sizes.body, sizes.exact),
    )
    conn.execute("DELETE FROM fts_postings WHERE rowid = ?", (rowid,))
    if not sizes.exact:  # tens of thousands of rows for a long document: COPY
        with conn.raw.cursor().copy("COPY fts_postings (lexeme, rowid, col, positions) FROM STDIN") as copy:
            copy.set_types(["text", "int8", "int2", "int4[]"])
            for column, words in positions.items():
                for word, found in words.items():
                    copy.write_row((word, rowid, column, found))


def fill(store: Any, batch: int = 50) -> int:
    """Measure the documents stored without sizes (by a version before them); how many.
    Bounded memory: `batch` documents at a time."""
    filled = 0
    while True:
        rows = store.query(
            "SELECT d.rowid, d.title, d.text FROM documents d"
            " WHERE NOT EXISTS (SELECT 1 FROM fts_sizes s WHERE s.rowid = d.rowid) ORDER BY d.rowid LIMIT ?",
            (batch,),
        )
        if not rows:
            return filled
        with store.transaction() as conn:
            for r in rows:
                store.lock_in_transaction(f"fts:{r['rowid']}")
                store_document(conn, r["rowid"], r["title"], r["text"])
        filled += len(rows)


# -- the query ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    prefix: bool  # the last word is a prefix

    def match(self, word: str, k: int) -> bool:
        if self.prefix and k == len(self.words) - 1:
            return word.startswith(self.words[k])
        return word == self.words[k]

    def instances(self, words: dict[str, list[int]]) -> int:
        """How many times the phrase occurs among one column's (word -> positions)."""
        at = [
            [p for w, found in words.items() if self.match(w, k) for p in found]
            for k in range(len(self.words))
        ]
        if len(at) == 1:
            return len(at[0])
        following = [set(p) for p in at[1:]]
        return sum(1 for p in at[0] if all(p + k in following[k - 1] for k in range(1, len(at))))

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Expression:
    """An FTS5 expression as `fts_query` and the check stage write them: phrases joined by
    AND (or nothing), OR and NOT, where NOT binds tightest and OR loosest (FTS5's
    precedence): an OR of AND groups, each phrase of a group required or excluded."""

    phrases: tuple[Phrase, ...]  # FTS5's phrase numbers, in order
    groups: tuple[tuple[tuple[int, bool], ...], ...]  # (phrase number, excluded)

    @classmethod
    def parse(cls, match: str) -> Expression:
        phrases: list[Phrase] = []
        groups: list[list[tuple[int, bool]]] = [[]]
        operator = "AND"
        for m in FTS_TOKEN.finditer(match):
            text, star, bare = m.group(1), m.group(2), m.group(3)
            if bare in ("AND", "OR", "NOT"):
                operator = bare
                continue
            words = tuple(w for w, _, _ in tokens(text if text is not None else bare or ""))
            if not words:
                continue
            if operator == "OR" and groups[-1]:
                groups.append([])
            groups[-1].append((len(phrases), operator == "NOT" and bool(groups[-1])))
            phrases.append(Phrase(words, bool(star)))
            operator = "AND"
        return cls(tuple(phrases), tuple(tuple(g) for g in groups if g))

    def counted(self, present: Sequence[bool]) -> list[bool] | None:
        """Which phrases FTS5 counts in a row holding `present` ones; None: no match."""
        counted = [False] * len(self.phrases)
        matched = False
        for group in self.groups:
            if all(present[i] != excluded for i, excluded in group):
                matched = True
                for i, excluded in group:
                    counted[i] = not excluded
        return counted if matched else None


# -- ranking -----------------------------------------------------------------------------


def score(frequencies: Sequence[float], idf: Sequence[float], tokens_in_row: int, average: float) -> float:
    """fts5Bm25Function's sum, term by term in its order (so the same float)."""
    total = 0.0
    for f, weight in zip(frequencies, idf, strict=True):
        total += weight * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * tokens_in_row / average)))
    return total


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


INEXACT = "EXISTS (SELECT 1 FROM fts_sizes s WHERE s.rowid = d.rowid AND NOT s.exact)"


class Matcher:
    """The documents an FTS5 expression matches on a PostgreSQL store, ranked by bm25."""

    def __init__(self, store: Any, match: str):
        self.store = store
        self.match = match
        self.expression = Expression.parse(match)
        # the tsvector holds PostgreSQL's lexemes (unaccent, lower case); postings FTS5's words
        self.lexemes = [Phrase(tuple(self._lexemes(p.words)), p.prefix) for p in self.expression.phrases]

    def ranked(
        self,
        columns: str,
        where: Sequence[str],
        params: Sequence[Any],
        weights: tuple[float, float],
        limit: int,
    ) -> list[dict[str, Any]]:
        """The `limit` best documents `d` that match and pass `where` (SQL on `d`, with
        `params`), best bm25 first, ties by document id. Each row: `rowid`, `doc_id`, the
        `columns`, `score`, and `counted` (the phrases FTS5 counts in it). `weights`: the
        title's and the body's, as given to FTS5's bm25()."""
        if not self.expression.phrases:
            return []
        store = self.store
        filters = "".join(" AND " + w for w in where)
        selected = "d.rowid, d.id AS doc_id" + (", " + columns if columns else "")
        exact_rows = store.query(
            f"SELECT {selected} FROM documents d, to_tsquery('casegraph', ?) q"
            f" WHERE d.tsv @@ q AND NOT {INEXACT}{filters}",
            [tsquery(self.match), *params],
        )
        long_all = self._long_positions()
        matching = [
            rowid
            for rowid, found in long_all.items()
            if self._frequencies(found, self.expression.phrases) is not None
        ]
        long_rows = (
            store.query(
                f"SELECT {selected} FROM documents d WHERE d.rowid = ANY(?::bigint[]) AND {INEXACT}{filters}",
                [matching, *params],
            )
            if matching
            else []
        )
        totals = store.query_one(
            "SELECT count(*) AS n, coalesce(sum(title + body), 0) AS tokens FROM fts_sizes"
        )
        documents = int(totals["n"]) if totals else 0
        average = (int(totals["tokens"]) if totals else 0) / max(1, documents)
        idfs = [idf(documents, n) for n in self._documents_with(long_all)]
        sizes = {
            r["rowid"]: int(r["size"])
            for r in store.query(
                "SELECT rowid, title + body AS size FROM fts_sizes WHERE rowid = ANY(?)",
                ([r["rowid"] for r in exact_rows + long_rows],),
            )
        }
        exact_positions = self._exact_positions([r["rowid"] for r in exact_rows])
        ranked = []
        for rows, positions, phrases in (
            (exact_rows, exact_positions, self.lexemes),
            (long_rows, long_all, list(self.expression.phrases)),
        ):
            for row in rows:
                frequencies = self._frequencies(positions.get(row["rowid"], {}), phrases, weights)
                if frequencies is None:  # e.g. a phrase only across the title's end and the body
                    continue
                row["score"] = score(frequencies[0], idfs, sizes.get(row["rowid"], 0), average)
                row["counted"] = frequencies[1]
                ranked.append(row)
        ranked.sort(key=lambda r: (-r["score"], r["doc_id"]))  # ties by id, as on SQLite
        return ranked[:limit]

    def _lexemes(self, words: Sequence[str]) -> list[str]:
        rows = self.store.query(
            "SELECT coalesce((SELECT min(lexeme) FROM unnest(to_tsvector('casegraph', w))), w) AS lexeme"
            " FROM unnest(?::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            (list(words),),
        )
        return [r["lexeme"] for r in rows]

    def _frequencies(
        self, positions: Positions, phrases: Sequence[Phrase], weights: tuple[float, float] = (1.0, 1.0)
    ) -> tuple[list[float], list[bool]] | None:
        """Each phrase's weighted instances in one row as FTS5 counts them, and which phrases
        it counts; None: the row does not match."""
        found = [
            (p.instances(positions.get(TITLE, {})), p.instances(positions.get(BODY, {}))) for p in phrases
        ]
        counted = self.expression.counted([t + b > 0 for t, b in found])
        if counted is None:
            return None
        weighted = [
            weights[0] * t + weights[1] * b if c else 0.0 for (t, b), c in zip(found, counted, strict=True)
        ]
        return weighted, counted

    def _long_positions(self) -> dict[int, Positions]:
        """The query's words' postings in every document whose tsvector is not exact."""
        phrases = self.expression.phrases
        words = sorted({w for p in phrases for w in (p.words[:-1] if p.prefix else p.words)})
        prefixes = sorted({p.words[-1] + "%" for p in phrases if p.prefix})  # no % or _ in a word
        found: dict[int, Positions] = {}
        # each form on its own, so that both use the index on lexeme (an OR of them does not)
        rows = self.store.query(
            "SELECT rowid, col, lexeme, positions FROM fts_postings WHERE lexeme = ANY(?::text[])", (words,)
        )
        for prefix in prefixes:
            rows += self.store.query(
                "SELECT rowid, col, lexeme, positions FROM fts_postings WHERE lexeme LIKE ?", (prefix,)
            )
        for r in rows:
            found.setdefault(r["rowid"], {}).setdefault(r["col"], {})[r["lexeme"]] = r["positions"]
        return found

    def _exact_positions(self, rowids: Sequence[int]) -> dict[int, Positions]:
        """The query's words' positions in exact documents, read from their tsvector (the
        title's weight is A, the body's B)."""
        if not rowids:
            return {}
        words = sorted({w for p in self.lexemes for w in (p.words[:-1] if p.prefix else p.words)})
        prefixes = sorted({p.words[-1] for p in self.lexemes if p.prefix})
        found: dict[int, Positions] = {}
        for r in self.store.query(
            "SELECT d.rowid, u.lexeme, u.positions, u.weights FROM documents d CROSS JOIN LATERAL unnest(d.tsv) u"
            " WHERE d.rowid = ANY(?) AND (u.lexeme = ANY(?::text[])"
            " OR EXISTS (SELECT 1 FROM unnest(?::text[]) p WHERE starts_with(u.lexeme, p)))",
            (list(rowids), words, prefixes),
        ):
            columns = found.setdefault(r["rowid"], {})
            for position, weight in zip(r["positions"], r["weights"], strict=True):
                columns.setdefault(TITLE if weight == "A" else BODY, {}).setdefault(r["lexeme"], []).append(
                    position
                )
        return found

    def _documents_with(self, long_all: dict[int, Positions]) -> list[int]:
        """FTS5's n for each phrase: the documents that hold it anywhere (the exact ones
        counted on the tsvector in one pass, the long ones on their postings)."""
        queries = [tsquery(p.fts5()) for p in self.expression.phrases]
        counts = ", ".join(
            f"count(*) FILTER (WHERE d.tsv @@ to_tsquery('casegraph', ?)) AS n{i}"
            for i in range(len(queries))
        )
        row = self.store.query_one(
            f"SELECT {counts} FROM documents d WHERE d.tsv @@ to_tsquery('casegraph', ?) AND NOT {INEXACT}",
            [*queries, " | ".join(f"({q})" for q in queries)],
        )
        exact = [int(row[f"n{i}"]) if row else 0 for i in range(len(queries))]
        return [
            n
            + sum(
                1
                for p in long_all.values()
                if phrase.instances(p.get(TITLE, {})) + phrase.instances(p.get(BODY, {}))
            )
            for n, phrase in zip(exact, self.expression.phrases, strict=True)
        ]

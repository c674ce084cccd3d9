"""The SQL the store's methods speak (SQLite's), as PostgreSQL reads it.

The store's methods are written once, in the SQL subset both databases share; what differs
is spelling, and this module rewrites it statement by statement (cached):

- `?` and `?N` placeholders become `%s` (parameters reordered for `?N`), `:name` becomes
  `%(name)s`, a literal `%` `%%`;
- the column `end` (a reserved word in PostgreSQL; written in lower case, keywords in upper
  case) is quoted; `CASE ... END` is left alone;
- `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE` an upsert on the
  table's key (a replaced row takes a new `rowid`, as in SQLite);
- `LIKE` is case-insensitive (`ILIKE`), `x = ? COLLATE NOCASE` compares lower-cased,
  `json_object(` is `json_build_object(`, a bare `WHERE (1)` is `WHERE (TRUE)`, an empty
  list `x IN ()` is `x = ANY('{}')` (and `NOT IN ()` `<> ALL('{}')`), and a subquery in
  FROM without a name gets one.

The SQLite functions with no PostgreSQL namesake (`json_extract`, `instr`) are defined by
the migrations. Queries that cannot be spelled alike (full-text search) are methods of their
own in `casegraph.store.postgres.store`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

# The key an `INSERT OR REPLACE` replaces on, per table (its primary key in the migrations).
CONFLICT_KEYS: dict[str, tuple[str, ...]] = {
    "near_duplicates": ("a", "b"),
    "files": ("path",),
    "loadfile_rows": ("bates",),
    "minhashes": ("doc_id",),
    "analyses": ("doc_id",),
    "embeddings": ("doc_id", "start", "end", "model"),
    "sentence_vectors": ("doc_id", "model"),
    "graph_index_cache": ("version",),
    "graph_index_cache_by_evidence": ("version", "evidence"),
    "graph_state": ("key",),
    "document_paths": ("doc_id", "path"),
    "line_counted": ("doc_id",),
    "boilerplate": ("hash",),
    "line_counts": ("hash",),
}
# Tables whose rows carry a `rowid` that a replaced row renews (SQLite gives it a new one).
RENEWED_ROWID = {"sentence_vectors"}
# Tables with a generated integer `id`: an INSERT into them returns it (cursor.lastrowid).
SERIAL_ID = {
    "mentions",
    "quotes",
    "claims",
    "relations",
    "rhetoric",
    "corrections",
    "checks",
    "email_parties",
    "graph_edges",
}

_TOKENS = re.compile(
    r"""
    (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<comment>--[^\n]*)
  | (?P<cast>::)
  | (?P<named>:[A-Za-z_][A-Za-z_0-9]*)
  | (?P<param>\?\d*)
  | (?P<percent>%)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_INSERT = re.compile(
    r"^\s*INSERT\s+OR\s+(?P<how>IGNORE|REPLACE)\s+INTO\s+(?P<table>\w+)\s*\((?P<cols>[^)]*)\)",
    re.IGNORECASE,
)
_PLAIN_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(?P<table>\w+)\b", re.IGNORECASE)
# words after a FROM subquery that are not its alias
_CLAUSES = {
    "WHERE",
    "GROUP",
    "ORDER",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT",
    "INNER",
    "CROSS",
    "UNION",
    "ON",
    "HAVING",
}
_EMPTY_NOT_IN = re.compile(r"\bNOT\s+IN\s*\(\s*\)", re.IGNORECASE)
_EMPTY_IN = re.compile(r"\bIN\s*\(\s*\)", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.]+)\s*=\s*%s\s+COLLATE\s+NOCASE", re.IGNORECASE)


class Statement:
    """One translated statement: its PostgreSQL text, how to reorder the parameters, and
    whether it returns the generated id of the row it inserts."""

    __slots__ = ("order", "returns_id", "sql")

    def __init__(self, sql: str, order: tuple[int, ...] | None, returns_id: bool):
        self.sql = sql
        self.order = order
        self.returns_id = returns_id

    def params(self, given: Sequence[Any] | dict[str, Any] | None) -> Sequence[Any] | dict[str, Any] | None:
        if given is None or isinstance(given, dict) or self.order is None:
            return given
        return [given[i] for i in self.order]


@lru_cache(maxsize=4096)
def translate(sql: str, with_returning: bool = True) -> Statement:
    """The PostgreSQL spelling of one SQLite statement (see the module's docstring)."""
    out: list[str] = []
    order: list[int] = []
    numbered = False
    case_depth = 0
    previous = ""
    parens: list[bool] = []  # per open parenthesis: whether it opens a subquery in FROM / JOIN
    needs_alias = False  # a FROM subquery just closed: PostgreSQL wants it named
    for match in _TOKENS.finditer(sql):
        kind = match.lastgroup
        token = match.group()
        if needs_alias and not token.isspace():
            needs_alias = False
            if kind != "word" or token.upper() in _CLAUSES:
                out.append(f" AS _sub{len(out)} ")
        if kind == "param":
            if len(token) > 1:
                numbered = True
                order.append(int(token[1:]) - 1)
            else:
                order.append(len(order))
            out.append("%s")
        elif kind == "named":
            out.append(f"%({token[1:]})s")
        elif kind == "percent":
            out.append("%%")
        elif kind == "string":
            out.append(token.replace("%", "%%"))  # psycopg reads placeholders in literals too
        elif kind == "word":
            upper = token.upper()
            if upper == "CASE":
                case_depth += 1
                out.append(token)
            elif upper == "END":
                if case_depth > 0 and previous != "." and token != "end":
                    case_depth -= 1
                    out.append(token)
                else:
                    out.append('"end"')
            elif upper == "LIKE" and previous.upper() != "I":
                out.append("ILIKE")
            elif token.lower() == "json_object":
                out.append("json_build_object")
            else:
                out.append(token)
        else:
            if token == "(":
                parens.append(previous.upper() in ("FROM", "JOIN"))
            elif token == ")" and parens:
                needs_alias = parens.pop()
            out.append(token)
        if kind != "other" or not token.isspace():
            previous = token
    if needs_alias:
        out.append(f" AS _sub{len(out)}")
    text = "".join(out)
    text = re.sub(r"\bWHERE\s+\(1\)", "WHERE (TRUE)", text)
    if "()" in text.replace(" ", ""):  # an empty list: SQLite takes it, PostgreSQL wants a value
        text = _EMPTY_NOT_IN.sub("<> ALL('{}')", text)
        text = _EMPTY_IN.sub("= ANY('{}')", text)
    text = _NOCASE.sub(r"lower(\1) = lower(%s)", text)
    text = _qualify_upsert(text)
    if "ORDER" in text.upper():
        text = _nulls_like_sqlite(text)
        text = _ties_by_id(text)
    returns_id = False
    insert = _INSERT.match(text)
    if insert:
        how, table = insert.group("how").upper(), insert.group("table")
        text = text[: insert.start()] + f"INSERT INTO {table} ({insert.group('cols')})" + text[insert.end() :]
        if how == "IGNORE":
            text += " ON CONFLICT DO NOTHING"
        else:
            key = CONFLICT_KEYS.get(table, ())
            if not key:
                raise KeyError(
                    f"INSERT OR REPLACE INTO {table}: add the table's primary key to CONFLICT_KEYS in"
                    " casegraph/store/postgres/dialect.py (PostgreSQL needs it to upsert)"
                )
            cols = [c.strip() for c in insert.group("cols").split(",")]
            quoted_key = {_quote(k) for k in key}
            sets = [f"{c} = EXCLUDED.{c}" for c in cols if c not in quoted_key]
            if table in RENEWED_ROWID:
                sets.append("rowid = DEFAULT")
            conflict = ", ".join(_quote(k) for k in key)
            text += f" ON CONFLICT ({conflict}) DO " + (
                f"UPDATE SET {', '.join(sets)}" if sets else "NOTHING"
            )
    elif with_returning:
        plain = _PLAIN_INSERT.match(text)
        if plain and plain.group("table") in SERIAL_ID and "RETURNING" not in text.upper():
            text += " RETURNING id"
            returns_id = True
    if numbered:
        return Statement(text, tuple(order), returns_id)
    return Statement(text, None, returns_id)


_UPSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>\w+)\s*\((?P<cols>[^)]*)\).*?\bDO\s+UPDATE\s+SET\s+",
    re.IGNORECASE | re.DOTALL,
)


def _qualify_upsert(text: str) -> str:
    """In `ON CONFLICT ... DO UPDATE SET col = expr`, SQLite reads a bare column of `expr` as
    the stored row's; PostgreSQL finds it ambiguous (stored or EXCLUDED): name the table."""
    upsert = _UPSERT.match(text)
    if not upsert:
        return text
    table = upsert.group("table")
    columns = {c.strip().strip('"') for c in upsert.group("cols").split(",")}
    head, tail = text[: upsert.end()], text[upsert.end() :]
    out: list[str] = []
    assignment_start = True  # the next word is a column being set: left as it is
    depth = 0
    previous = ""
    for match in _TOKENS.finditer(tail):
        kind, token = match.lastgroup, match.group()
        if kind == "other" and token == "(":
            depth += 1
        elif kind == "other" and token == ")":
            depth -= 1
        elif kind == "other" and token == "," and depth == 0:
            assignment_start = True
        if kind in ("word", "quoted") and token.strip('"') in columns and previous not in (".", "EXCLUDED"):
            if assignment_start:
                assignment_start = False
            else:
                token = f"{table}.{token}"
        elif kind == "other" and token == "=" and depth == 0:
            assignment_start = False
        out.append(token)
        if kind != "other" or not token.isspace():
            previous = token.upper() if kind == "word" else token
    return head + "".join(out)


_ORDER_BY_START = re.compile(
    r"\bORDER\s+BY\s+(?P<items>(?:[\w.]+(?:\s+NULLS\s+FIRST)?\s*,\s*)*(?P<alias>\w+\.)?start(?:\s+NULLS\s+FIRST)?)"
    r"(?P<tail>\s*(?:LIMIT\b.*)?)$",
    re.IGNORECASE | re.DOTALL,
)
_FROM_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+(?P<table>\w+)(?:\s+(?:AS\s+)?(?P<alias>\w+))?", re.IGNORECASE)
_NOT_ALIASES = {"WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "ORDER", "GROUP", "LIMIT", "USING"}


def _ties_by_id(text: str) -> str:
    """Spans listed by position (`ORDER BY ..., x.start`) come out of SQLite in the order
    they were stored when two start at the same offset (its index holds them by rowid);
    PostgreSQL leaves such ties in any order. The span's generated id settles them, as
    SQLite does. Only for a plain SELECT (no DISTINCT, GROUP BY or UNION) whose ORDER BY
    ends the statement and whose table has that id."""
    upper = text.upper()
    if not upper.lstrip().startswith("SELECT") or any(
        w in upper for w in ("DISTINCT", "GROUP BY", "UNION", "(SELECT")
    ):
        return text
    order = _ORDER_BY_START.search(text)
    if not order:
        return text
    alias = (order.group("alias") or "").rstrip(".")
    tables = {}
    for m in _FROM_TABLES.finditer(text[: order.start()]):
        name = m.group("alias") if m.group("alias") and m.group("alias").upper() not in _NOT_ALIASES else None
        tables[name or m.group("table")] = m.group("table")
    table = tables.get(alias) if alias else (next(iter(tables.values())) if len(tables) == 1 else None)
    if table not in SERIAL_ID:
        return text
    key = f"{alias}.id" if alias else "id"
    return text[: order.end("items")] + f", {key}" + order.group("tail")


_KEY_COLUMN = re.compile(r"^(\w+\.)?(rowid|id)$", re.IGNORECASE)


def _nulls_like_sqlite(text: str) -> str:
    """SQLite sorts NULL first in ascending order and last in descending; PostgreSQL the
    other way round. Each ORDER BY item says which, except the never-NULL keys (id, rowid),
    whose index order PostgreSQL then still uses."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKENS.finditer(text)]
    out: list[str] = []
    depth = 0
    order_depths: list[int] = []  # depths at which an ORDER BY list is open
    item: list[str] = []

    def close_item() -> None:
        words = "".join(item).strip()
        if words and not _KEY_COLUMN.match(words) and "NULLS" not in words.upper():
            last = words.split()[-1].upper()
            spaces = []
            while out and out[-1].isspace():
                spaces.append(out.pop())
            out.append(" NULLS LAST" if last == "DESC" else " NULLS FIRST")
            out.extend(reversed(spaces))
        item.clear()

    for i, (kind, token) in enumerate(tokens):
        inside = bool(order_depths) and order_depths[-1] == depth
        upper = token.upper() if kind == "word" else token
        if inside and (
            (kind == "other" and token in (",", ")"))
            or upper in ("LIMIT", "OFFSET", "ROWS", "RANGE", "UNION")
        ):
            close_item()
            if token != ",":
                order_depths.pop()
        if kind == "other" and token == "(":
            depth += 1
        elif kind == "other" and token == ")":
            depth -= 1
        out.append(token)
        if upper == "BY" and any(t[1].upper() == "ORDER" for t in tokens[max(0, i - 2) : i]):
            order_depths.append(depth)
        elif bool(order_depths) and order_depths[-1] == depth and not (kind == "other" and token == ","):
            item.append(token)
    if order_depths and order_depths[-1] == depth:
        close_item()
    return "".join(out)


def _quote(column: str) -> str:
    return '"end"' if column == "end" else column


# -- full-text queries ------------------------------------------------------------------------

# one token of an FTS5 expression: a "phrase" (with * for a prefix) or a bare word or operator
FTS_TOKEN = re.compile(r'"([^"]*)"(\*?)|(\S+)')


def tsquery(match: str) -> str:
    """An FTS5 expression (as `casegraph.store.fts_query` and the check stage write them:
    "phrases", a trailing * for a prefix, AND / OR / NOT, adjacency meaning AND) as the text
    of a PostgreSQL `to_tsquery`. Every word is quoted, so no input is a syntax error."""
    parts: list[str] = []
    pending = "&"
    for m in FTS_TOKEN.finditer(match):
        phrase, star, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None and bare in ("AND", "OR", "NOT"):
            pending = {"AND": "&", "OR": "|", "NOT": "& !"}[bare]
            continue
        words = re.findall(r"[^\W_]+", phrase if phrase is not None else bare or "")  # _ splits, as in FTS5
        if not words:
            continue
        lexemes = [f"'{w.lower()}'" for w in words]
        if star:
            lexemes[-1] += ":*"
        term = " <-> ".join(lexemes)
        term = f"({term})" if len(lexemes) > 1 else term
        if parts:
            parts.append(pending)
        elif pending == "& !":
            parts.append("!")
        parts.append(term)
        pending = "&"
    return " ".join(parts)

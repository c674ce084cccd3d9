"""The PostgreSQL backend's own parts: the same migrations as SQLite's, the SQL dialect
translation, and full-text search that finds what SQLite's FTS5 finds (same documents for
words, phrases, prefixes, OR and NOT) on real estate documents."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from casegraph.api import Case
from casegraph.store.postgres import migrations
from casegraph.store.postgres.dialect import translate, tsquery
from tests.conftest import ESTATE, SEEDS, postgres_store

pytestmark = pytest.mark.both_backends  # compares a SQLite and a PostgreSQL case itself


def test_every_sqlite_migration_has_its_postgres_twin() -> None:
    sqlite = sorted(
        int(e.name.split("_", 1)[0])
        for e in resources.files("casegraph.store").joinpath("migrations").iterdir()
        if e.name.endswith(".sql")
    )
    assert [number for number, _, _ in migrations()] == sqlite, (
        "a migration was added to store/migrations: add its PostgreSQL version with the same"
        " number to store/postgres/migrations"
    )


def test_the_store_sql_reads_as_postgresql() -> None:
    upsert = translate(
        "INSERT INTO line_counts(hash, documents, text) VALUES (?1, 1, '')"
        " ON CONFLICT(hash) DO UPDATE SET documents = documents + 1,"
        " text = CASE WHEN text = '' THEN ?2 ELSE text END"
    )
    assert "documents = line_counts.documents + 1" in upsert.sql
    assert "CASE WHEN line_counts.text = '' THEN %s ELSE line_counts.text END" in upsert.sql
    assert upsert.params((7, "line")) == [7, "line"]
    select = translate(
        "SELECT CASE WHEN a = ? THEN b ELSE a END AS doc_id, s.end FROM near_duplicates s"
        " WHERE path LIKE ? || '%' ORDER BY d.date, s.id LIMIT ?"
    )
    assert 'END AS doc_id, s."end"' in select.sql
    assert "ILIKE %s || '%%'" in select.sql
    assert "d.date NULLS FIRST, s.id LIMIT" in select.sql  # SQLite's NULL order; keys keep their index
    replace = translate("INSERT OR REPLACE INTO sentence_vectors(doc_id, model, count) VALUES (?,?,?)")
    assert replace.sql.endswith(
        "ON CONFLICT (doc_id, model) DO UPDATE SET count = EXCLUDED.count, rowid = DEFAULT"
    )
    assert translate("INSERT INTO mentions(doc_id, start, end) VALUES (?,?,?)").returns_id
    assert "AS _sub" in translate("SELECT x FROM (SELECT 1 AS x) WHERE x > 0").sql
    ties = translate("SELECT r.id FROM rhetoric r WHERE r.doc_id = ? ORDER BY r.doc_id, r.start LIMIT ?").sql
    assert ties.endswith("r.start NULLS FIRST, r.id LIMIT %s")  # spans at one offset: in the order stored
    empty = translate("SELECT n FROM t WHERE key IN () AND id NOT IN ( ) AND k IN (?)").sql
    assert "key = ANY('{}') AND id <> ALL('{}') AND k IN (%s)" in empty  # SQLite takes IN ()
    assert tsquery('"hunter biden" OR nazar* NOT "money"') == "('hunter' <-> 'biden') | 'nazar' & ! 'money'"
    assert tsquery('"x"*') == "'x':*"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Case, Case]:
    files = [str(SEEDS)] + [str(p) for p in sorted((ESTATE / "Merged Documents").glob("*.txt"))[:25]]
    cases = (
        Case(tmp_path_factory.mktemp("sqlite") / "case.db"),
        Case(store=postgres_store(Path("."))),
    )
    for case in cases:
        case.ingest(files, kind="source", progress=False)
    return cases


@pytest.mark.parametrize(
    "query",
    [
        "Nazarbayev",
        "Epstein",
        '"Palm Beach"',
        "Naz*",
        "Clinton OR Trump",
        "Epstein NOT Clinton",
        "New York Times",
    ],
)
def test_search_finds_the_same_documents_on_both_backends(both: tuple[Case, Case], query: str) -> None:
    sqlite, postgres = both
    found = [{h["doc_id"] for h in case.search(query, limit=200)} for case in both]
    assert found[0], query
    assert found[0] == found[1], query
    for hit in postgres.search(query, limit=5):
        assert "[" in hit["snippet"] and "]" in hit["snippet"]
    assert sqlite.store.document_count() == postgres.store.document_count()


def test_listings_are_identical_on_both_backends(both: tuple[Case, Case]) -> None:
    sqlite, postgres = both
    assert sqlite.docs() == postgres.docs()
    logs = [[{k: v for k, v in r.items() if k != "seen_at"} for r in c.store.file_log()] for c in both]
    assert logs[0] == logs[1]
    one = sqlite.docs()[0]["id"]
    assert sqlite.show(one) == postgres.show(one)


def test_doctor_reads_a_postgres_case(both: tuple[Case, Case]) -> None:
    from click.testing import CliRunner

    from casegraph.cli import main

    url = both[1].store.url  # type: ignore[attr-defined]
    result = CliRunner().invoke(main, ["--db", url, "doctor", "--json"])
    assert result.exit_code == 0, result.output
    health = json.loads(result.output)
    assert health["sound"] and health["counts"]["documents"] == both[0].store.count_documents()
    assert health["schema_version"] == migrations()[-1][0]
    refused = CliRunner().invoke(main, ["--db", url.rsplit("/", 1)[0] + "/postgres", "doctor"])
    assert refused.exit_code == 1 and "not a casegraph case" in refused.output


def test_every_table_the_store_replaces_into_has_its_key() -> None:
    """`INSERT OR REPLACE` becomes an upsert on the table's key: a method added to the store
    with a new table must name that key in CONFLICT_KEYS (else PostgreSQL cannot run it)."""
    import re

    from casegraph.store.postgres.dialect import CONFLICT_KEYS

    store_dir = Path(__file__).resolve().parents[2] / "src" / "casegraph" / "store"
    tables = {
        table
        for source in store_dir.glob("*.py")
        for table in re.findall(r"INSERT OR REPLACE INTO (\w+)", source.read_text(encoding="utf-8"))
    }
    assert tables, "the store's upserts were not found"
    assert tables <= set(CONFLICT_KEYS), sorted(tables - set(CONFLICT_KEYS))


@pytest.mark.parametrize(
    "query", ["Epstein", '"Palm Beach"', "Naz*", "Clinton OR Trump", "the", "New York Times"]
)
def test_snippets_are_those_fts5_writes(both: tuple[Case, Case], query: str) -> None:
    """The PostgreSQL backend writes each hit's snippet as SQLite's FTS5 snippet() does (the
    same window of 24 words, the same [brackets] and ellipses), on real estate documents."""
    from casegraph.store import fts_query
    from casegraph.store.postgres.snippet import snippet

    sqlite = both[0].store
    rows = sqlite.query(
        "SELECT d.text, snippet(documents_fts, 1, '[', ']', ' … ', 24) AS snippet FROM documents_fts"
        " JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?",
        (fts_query(query),),
    )
    assert rows, query
    for row in rows:
        assert snippet(row["text"], fts_query(query)) == row["snippet"], query

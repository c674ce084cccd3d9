"""Case 6 (destructive corrections take an exact entity and say what they changed) and the
argument parts of case 9 (bytes that are not UTF-8, huge integers, oversized searches, empty
names): real commands on a copy of a real case."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import assert_intact, cli, no_traceback, read, state


def _corrections(db: Path | str) -> int:
    return int(read(db, "SELECT count(*) FROM corrections")[0][0])


def test_destructive_commands_take_an_exact_entity_or_change_nothing(case_db: Path) -> None:
    before = state(case_db)
    for args in (
        ("delete-entity", "the"),
        ("delete-entity", "Epstein"),  # an alias and a surname, not the name of one entity
        ("delete-entity", "  "),
        ("merge", "Jeffrey Epstein", "Nazarbay"),
        ("split", "Trump", "Donald Trump"),
        ("rename", "the", "Someone"),
    ):
        result = cli(case_db, *args)
        no_traceback(result)
        assert result.returncode == 1, (args, result.stderr)
        assert "nothing was changed" in result.stderr or "empty" in result.stderr, result.stderr
    listed = cli(case_db, "delete-entity", "Epstein").stderr
    assert "Candidates: ent-" in listed and "Jeffrey Epstein" in listed
    assert _corrections(case_db) == 0
    assert_intact(case_db, before)

    entities = json.loads(cli(case_db, "entities", "--json").stdout)
    target = next(e for e in entities if e["name"] == "Jeffrey Epstein")
    deleted = cli(case_db, "delete-entity", "jeffrey epstein", "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert f"deleted: {target['id']} (Jeffrey Epstein, PERSON)" in deleted.stderr
    out = json.loads(deleted.stdout)
    assert out["changed"]["entities"] == [{"id": target["id"], "name": "Jeffrey Epstein", "type": "PERSON"}]
    assert _corrections(case_db) == 1
    assert not any(
        e["name"] == "Jeffrey Epstein" for e in json.loads(cli(case_db, "entities", "--json").stdout)
    )
    assert_intact(case_db, before, same=False)


def test_rename_to_nothing_and_control_characters_are_refused(case_db: Path) -> None:
    before = state(case_db)
    entity = json.loads(cli(case_db, "entities", "--json", "--limit", "1").stdout)[0]
    for name in ("", "   ", "evil\x1b[2Jname"):
        result = cli(case_db, "rename", entity["id"], name)
        no_traceback(result)
        assert result.returncode == 1 and "nothing" not in result.stdout
        assert "empty" in result.stderr or "control characters" in result.stderr
    assert _corrections(case_db) == 0
    assert_intact(case_db, before)


def test_odd_arguments_get_a_message_not_a_traceback(case_db: Path) -> None:
    before = state(case_db)
    huge = str(10**30)
    cases = [
        (("search", b"caf\xe9"), 2, "not valid UTF-8"),
        (("show", b"\xff\xfe"), 2, "not valid UTF-8"),
        (("entity", b"Nazarbay\xe9v"), 2, "not valid UTF-8"),
        (("undo", huge), 2, "not in the range"),
        (("undo", b"\xff"), 2, "not valid UTF-8"),
        (("docs", "--limit", huge), 2, "not in the range"),
        (("search", "Nazarbayev", "--limit", huge), 2, "not in the range"),
        (("entities", "--limit", "-1"), 2, "not in the range"),
        (("undo", "12345"), 1, "no correction 12345"),
    ]
    for args, status, words in cases:
        result = cli(case_db, *args)
        no_traceback(result)
        assert result.returncode == status, (args, result.returncode, result.stderr)
        assert words in result.stderr, (args, result.stderr)
    assert_intact(case_db, before)


def test_searches_are_bounded_in_size(case_db: Path) -> None:
    before = state(case_db)
    many_terms = " OR ".join(f"word{i}" for i in range(5000))
    long_phrase = '"' + " ".join(["Nazarbayev"] * 10_000) + '"'  # 110 KB: about what argv can take
    for query in (many_terms, long_phrase, " ".join(["Epstein"] * 65)):
        started = time.monotonic()
        result = cli(case_db, "search", query)
        no_traceback(result)
        assert result.returncode == 1 and "at most" in result.stderr, result.stderr
        assert time.monotonic() - started < 30
    fine = cli(case_db, "search", " OR ".join(["Nazarbayev", "Aliyev", "Epstein"] * 10), "--json")
    assert fine.returncode == 0 and json.loads(fine.stdout)
    from casegraph.api import Case
    from casegraph.errors import InvalidInput

    with Case(case_db) as case, pytest.raises(InvalidInput, match="at most"):
        case.search('"' + " ".join(["Nazarbayev"] * 30_000) + '"')  # the API (and the server) too
    assert_intact(case_db, before)

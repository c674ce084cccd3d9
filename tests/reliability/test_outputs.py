"""Case 1 (no output over the case, an input or an existing file) and case 4 (spreadsheet
formula injection in csv and neo4j exports): real commands on a copy of a real case."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from tests.reliability.conftest import ARTICLE, article_id, assert_intact, cli, no_traceback, state


@pytest.mark.sqlite_only("outputs aimed at the SQLite file, its links and its -wal")
def test_no_command_writes_over_the_case_database(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    original = case_db.read_bytes()
    link = tmp_path / "link.gexf"
    link.symlink_to(case_db)
    hard = tmp_path / "hard.gexf"
    os.link(case_db, hard)
    attempts = [
        ("export", "--format", "gexf", str(case_db)),
        ("export", "--format", "graphml", str(case_db), "--force"),
        ("export", "--format", "ftm", f"{case_db}-wal", "--force"),
        ("export", "--format", "gexf", str(link), "--force"),
        ("export", "--format", "gexf", str(hard), "--force"),
        ("check", article_id(case_db), "--format", "html", "-o", str(case_db)),
        ("check", article_id(case_db), "--format", "md", "-o", str(case_db), "--force"),
    ]
    for args in attempts:
        result = cli(case_db, *args)
        no_traceback(result)
        assert result.returncode == 1, (args, result.stderr)
        assert "it is the case database" in result.stderr, result.stderr
    assert case_db.read_bytes()[:100] == original[:100]
    assert_intact(case_db, before)


def test_existing_outputs_inputs_and_folders_need_force_or_are_refused(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    out = tmp_path / "graph.gexf"
    assert cli(case_db, "export", "--format", "gexf", str(out)).returncode == 0
    first = out.read_bytes()
    again = cli(case_db, "export", "--format", "gexf", str(out))
    assert again.returncode == 1 and "exists: give --force" in again.stderr
    forced = cli(case_db, "export", "--format", "gexf", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_bytes().startswith(first[:38])  # rewritten whole (xml declaration and root)

    folder = tmp_path / "a-folder"
    folder.mkdir()
    as_file = cli(case_db, "export", "--format", "gexf", str(folder))
    assert as_file.returncode == 1 and "is a folder" in as_file.stderr
    as_folder = cli(case_db, "export", "--format", "csv", str(out))
    assert as_folder.returncode == 1 and "writes a folder" in as_folder.stderr
    assert cli(case_db, "export", "--format", "csv", str(folder)).returncode == 0
    csv_again = cli(case_db, "export", "--format", "csv", str(folder))
    assert csv_again.returncode == 1 and "nodes.csv exists" in csv_again.stderr

    # the article file given to check is an input: never its output, even with --force
    article = tmp_path / ARTICLE
    article.write_bytes((Path(__file__).parents[2].parent / "shared/corpus/seeds" / ARTICLE).read_bytes())
    kept = article.read_bytes()
    for force in ([], ["--force"]):
        result = cli(case_db, "check", str(article), "--format", "md", "-o", str(article), *force)
        no_traceback(result)
        assert result.returncode == 1 and "it is an input" in result.stderr
    assert article.read_bytes() == kept
    report = tmp_path / "report.html"
    report.write_text("an earlier report")
    refused = cli(case_db, "check", article_id(case_db), "-o", str(report))
    assert refused.returncode == 1 and "exists" in refused.stderr
    assert report.read_text() == "an earlier report"
    assert not list(tmp_path.glob(".*.part*"))  # no temporary file left behind
    assert_intact(case_db, before)


def test_csv_and_neo4j_exports_escape_formulas(case_db: Path, tmp_path: Path) -> None:
    payload = '=HYPERLINK("http://example.com/x","click")'
    entities = cli(case_db, "entities", "--json", "--type", "PERSON", "--limit", "1")
    entity = __import__("json").loads(entities.stdout)[0]
    renamed = cli(case_db, "rename", entity["id"], payload, "--json")
    assert renamed.returncode == 0, renamed.stderr
    before = state(case_db)
    for fmt, edge_file in (("csv", "edges.csv"), ("neo4j", "relationships.csv")):
        out = tmp_path / fmt
        result = cli(case_db, "export", "--format", fmt, str(out))
        assert result.returncode == 0, result.stderr
        with (out / "nodes.csv").open(newline="", encoding="utf-8") as f:
            nodes = list(csv.DictReader(f))
        with (out / edge_file).open(newline="", encoding="utf-8") as f:
            edges = list(csv.DictReader(f))
        assert edges
        assert any(n["name"] == "'" + payload for n in nodes)
        for row in nodes + edges:
            for key, cell in row.items():
                if key in ("mentions", "documents", "count", "strength", "directed"):
                    float(cell)  # numbers stay numbers
                else:
                    assert not re.match(r"[-=+@\t\r]", cell), (key, cell)
    assert_intact(case_db, before)

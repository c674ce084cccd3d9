"""The public interface is pinned: exported names, and every CLI command documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import casegraph
from casegraph.cli import main
from tests.conftest import new_case_db

ROOT = Path(__file__).resolve().parent.parent


def test_exported_names_are_pinned():
    assert sorted(casegraph.__all__) == ["Case", "CasegraphError", "__version__", "open_case"]


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        name
        for name in main.commands
        if f"casegraph --db case.db {name}" not in readme and f"casegraph {name}" not in readme
    ]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_json_output_is_only_json(tmp_path):
    db = new_case_db(tmp_path, "empty.db")
    out = subprocess.run(
        [sys.executable, "-m", "casegraph", "--db", str(db), "docs", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == []


def test_unknown_document_is_a_clear_error(tmp_path):
    db = new_case_db(tmp_path, "empty.db")
    out = subprocess.run(
        [sys.executable, "-m", "casegraph", "--db", str(db), "show", "nope-nope"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "no document 'nope-nope'" in out.stderr
    assert out.stdout == ""

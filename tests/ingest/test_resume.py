"""An ingest killed with kill -9 leaves a valid database (SQLite file or PostgreSQL), and the
next run resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest_paths import ESTATE

from tests.conftest import new_case_db, on_postgres

FILES = 300


def _folder(tmp_path: Path) -> Path:
    """FILES real estate texts (copied into the test's temporary folder, never the repo)."""
    folder = tmp_path / "in"
    folder.mkdir()
    sources = sorted((ESTATE / "Merged Documents").iterdir())
    sources = [p for p in sources if 2_000 < p.stat().st_size < 60_000][:FILES]
    for i, src in enumerate(sources):
        (folder / f"{i:04d}_{src.name}").write_bytes(src.read_bytes())
    return folder


def _committed(db: Path | str, where: str = "1 = 1") -> int:
    if isinstance(db, str):  # PostgreSQL: the server answers while the writer runs
        from casegraph.store.postgres import PostgresStore

        store = PostgresStore(db)
        try:
            return int(store.scalar(f"SELECT count(*) FROM files WHERE {where}"))
        finally:
            store.close()
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(f"SELECT count(*) FROM files WHERE {where}").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_kill_9_midway_then_resume(tmp_path):
    folder = _folder(tmp_path)
    total = len(list(folder.iterdir()))
    db = new_case_db(tmp_path)
    cli = [
        sys.executable,
        "-c",
        "from casegraph.cli import run; run()",
        "--db",
        str(db),
        "ingest",
        str(folder),
        "--no-progress",
    ]
    proc = subprocess.Popen(cli, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _committed(db) < 20 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    committed = _committed(db)
    assert 20 <= committed < total
    done = _committed(db, "status IN ('ingested', 'duplicate')")  # retried otherwise

    if not on_postgres():
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()

    from casegraph.api import Case
    from casegraph.ingest.pipeline import ingest_paths

    with Case(db) as case:
        # every logged file has its document: nothing half-written
        assert not case.store.scalar(
            "SELECT count(*) FROM files f LEFT JOIN documents d ON d.id = f.doc_id"
            " WHERE f.status = 'ingested' AND d.id IS NULL"
        )
        summary = ingest_paths(case.store, [str(folder)], progress=False)
        assert summary["counts"]["unchanged"] == done
        assert (
            summary["counts"]["unchanged"]
            + sum(summary["counts"][k] for k in ("ingested", "duplicate", "skipped", "failed"))
            == total
        )
        assert len(case.store.file_log()) == total
        documents = summary["documents"]
        again = ingest_paths(case.store, [str(folder)], progress=False)
        assert again["counts"]["unchanged"] == total and again["documents"] == documents
        assert documents == total - summary["counts"]["skipped"] - summary["counts"]["failed"] - sum(
            1 for f in case.store.file_log() if f["status"] == "duplicate"
        )

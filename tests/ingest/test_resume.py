"""An ingest killed with kill -9 leaves a valid database, and the next run resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest_paths import ESTATE

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


def _committed(db: Path, where: str = "1") -> int:
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
    db = tmp_path / "case.db"
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

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every logged file has its document: nothing half-written
    assert (
        con.execute(
            "SELECT count(*) FROM files f LEFT JOIN documents d ON d.id = f.doc_id"
            " WHERE f.status = 'ingested' AND d.id IS NULL"
        ).fetchone()[0]
        == 0
    )
    con.close()

    from casegraph.api import Case
    from casegraph.ingest.pipeline import ingest_paths

    with Case(db) as case:
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

"""Fault injection: kill -9 during ingest, analyze, resolve and check, at random points and
several times each; after every kill the database is sound, and the rerun ends with the
same counts as an uninterrupted run (the session's case, built from the same files)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.reliability.conftest import ARTICLE, article_id, cli, estate_sample

pytestmark = pytest.mark.sqlite_only(
    "reads the SQLite file while the writer is killed; PostgreSQL's kill test is tests/scale/test_concurrency.py"
)
KILLS = 2  # per stage
SEED = int(os.environ.get("CASEGRAPH_FAULT_SEED", str(int(time.time()))))
TABLES = (
    "documents",
    "files",
    "segments",
    "analyses",
    "mentions",
    "quotes",
    "claims",
    "relations",
    "entities",
    "graph_edges",
    "checks",
)


def sound(db: Path) -> None:
    """The file passes SQLite's integrity check (a kill during the first migrations may leave
    a case with only some of its tables: the next command completes them)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
    finally:
        con.close()


def _start(db: Path, *args: str) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-c", "from casegraph.cli import run; run()", "--db", str(db), *args]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _duration(db: Path, args: tuple[str, ...]) -> float:
    """Seconds the command takes uninterrupted, timed on a copy of the case as it is now, so
    that kills land inside the run however fast or loaded the machine is."""
    scratch = db.with_name("timing.db")
    for path in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        path.unlink(missing_ok=True)
    if db.exists():
        con = sqlite3.connect(db)
        try:
            con.execute("VACUUM INTO ?", (str(scratch),))
        finally:
            con.close()
    started = time.monotonic()
    proc = _start(scratch, *args)
    proc.wait(timeout=300)
    if proc.stderr:
        proc.stderr.close()
    return time.monotonic() - started


def _interrupt(db: Path, args: tuple[str, ...], rng: random.Random) -> int:
    """Start the command KILLS times, each killed with SIGKILL at a random point of its run;
    returns how many kills hit a running process. The database must be sound after each."""
    hits = 0
    for _ in range(KILLS):
        longest = _duration(db, args)
        proc = _start(db, *args)
        delay = rng.uniform(0.1, 0.9) * longest
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            hits += 1
        else:
            assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if db.exists():  # a kill before the database was created leaves nothing to check
            sound(db)
    return hits


def _summary(result: subprocess.CompletedProcess[str] | dict[str, object]) -> dict[str, object]:
    report = json.loads(result.stdout) if isinstance(result, subprocess.CompletedProcess) else result
    summary = dict(report["summary"])
    summary.pop("seconds", None)
    return summary


def _finish(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = cli(db, *args, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result


def test_kill_9_at_random_points_of_every_stage_then_rerun(built_case: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    why = f"(CASEGRAPH_FAULT_SEED={SEED})"
    expected = counts(built_case)
    sources, articles = tmp_path / "sources", tmp_path / "articles"
    sources.mkdir()
    articles.mkdir()
    for src in estate_sample():
        shutil.copy(src, sources / src.name)
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, articles / seed.name)
    db = tmp_path / "case.db"
    hits: dict[str, int] = {}

    # ingest: killed while files are being stored, then resumed
    hits["ingest"] = _interrupt(db, ("ingest", str(sources), "--no-progress"), rng)
    _finish(db, "ingest", str(sources), "--no-progress")
    _finish(db, "ingest", str(articles), "--kind", "article", "--no-progress")
    got = counts(db)
    for table in ("documents", "files", "segments"):
        assert got[table] == expected[table], (table, got, expected, why)

    # analyze: killed while documents are analysed (one transaction per document)
    analyze = ("analyze", "--no-resolve", "--no-index", "--no-progress")
    hits["analyze"] = _interrupt(db, analyze, rng)
    _finish(db, *analyze)
    got = counts(db)
    for table in ("analyses", "quotes", "claims"):  # mentions: after resolve, which adds e-mail parties
        assert got[table] == expected[table], (table, got, expected, why)

    # resolve: entities and the graph rebuilt, killed midway
    hits["resolve"] = _interrupt(db, ("resolve",), rng)
    _finish(db, "resolve")
    got = counts(db)
    for table in ("mentions", "entities", "relations", "graph_edges"):
        assert got[table] == expected[table], (table, got, expected, why)

    # check: the article against the sources (a first run gives the reference report, then
    # runs killed midway while they compute and store), then a rerun gives the same report
    check = ("check", article_id(db), "--json")
    wanted = _summary(_finish(db, *check))
    hits["check"] = _interrupt(db, check, rng)
    report = json.loads(_finish(db, *check).stdout)
    assert _summary(report) == wanted, why
    assert report["article"]["path"].endswith(ARTICLE)
    assert counts(db)["checks"] >= 1

    assert sum(hits.values()) >= 4, (hits, why)  # most kills landed while a stage was running

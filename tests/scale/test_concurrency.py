"""Many writers into one PostgreSQL case at once, one of them killed with SIGKILL mid-run:
after a rerun the case holds exactly what a single process builds (no document or
annotation lost, duplicated or half-written). As in a real run, the ingest of the release
ends before its analysis starts (analysis reads the boilerplate marks of the corpus pass)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casegraph.api import Case
from casegraph.store.interface import CaseStore
from tests.conftest import ESTATE, ROOT, postgres_store
from tests.scale.test_distributed import snapshot

FILES = [str(p) for p in sorted((ESTATE / "Emails").glob("HOUSE_OVERSIGHT_*.json"))[10:16]]
pytestmark = pytest.mark.both_backends  # always on PostgreSQL (postgres_store)
WRITERS = 4
CODE = "import sys, json; from tests.scale.test_concurrency import writer; writer(*json.loads(sys.argv[1]))"


def writer(url: str, stage: str, paths: list[str]) -> None:
    """One writer process: ingest its files, or analyze whatever is not yet analyzed
    (racing the other writers for the same documents)."""
    with Case(url) as case:
        if stage == "ingest":
            case.ingest(paths, kind="source", progress=False)
        else:
            case.analyze(progress=False, index=False, resolve=False)


def run_writers(store: CaseStore, url: str, stage: str, started: int) -> None:
    """WRITERS processes at once (every one given all files, from a different starting
    point: they collide on purpose); the first is killed with SIGKILL once the stage has
    written something beyond `started`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CODE, json.dumps([url, stage, FILES[i:] + FILES[:i]])],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for i in range(WRITERS)
    ]
    victim = procs[0]
    progress = store.count_documents if stage == "ingest" else lambda: store.counts()["mentions"]
    deadline = time.monotonic() + 120
    while progress() <= started and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    for p in procs[1:]:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()[-2000:]
    victim.wait()


def test_four_writers_one_killed_then_rerun_equals_one_process(tmp_path: Path) -> None:
    with Case(store=postgres_store(tmp_path)) as case:
        case.ingest(FILES, kind="source", progress=False)
        case.analyze(progress=False, index=False)
        expected, expected_counts = snapshot(case), case.store.counts()

    store = postgres_store(tmp_path)
    url = store.url
    with Case(store=store) as case:
        run_writers(store, url, "ingest", 0)
        case.ingest(FILES, kind="source", progress=False)  # the rerun completes the stage
        run_writers(store, url, "analyze", 0)
        case.analyze(progress=False, index=False)
        case.resolve()  # as `analyze` does when it analyzed anything
        summary = store.analysis_summary()
        assert store.counts() == expected_counts, summary
        assert snapshot(case) == expected

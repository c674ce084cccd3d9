"""CLI query latency in a fresh process: what a reporter waits for after typing a command.

Runs `search`, `show`, `entity`, `neighbors`, `path` and `timeline` (each with --json) as new
processes on an existing case, several times each, and reports wall-clock and CPU seconds
(median and worst). Prints and writes benchmarks/results/query.json.

    .venv/bin/python benchmarks/query_bench.py --db estate.db [--runs 5]
        [--entity Epstein] [--other Clinton] [--term Nazarbayev] [--doc HOUSE_OVERSIGHT_010477]

Build the case first (the whole estate: `casegraph ingest ../shared/corpus/epstein-estate`,
then `casegraph analyze`); the figures are only as large as the case. CPU seconds are the
stable figure on a shared machine; wall-clock includes waiting for the other processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASEGRAPH = ROOT / ".venv" / "bin" / "casegraph"


def run_once(db: str, args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh `casegraph ... --json` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [str(CASEGRAPH), "--db", db, *args, "--json"], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"casegraph {' '.join(args)} failed: {done.stderr.strip()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="an analyzed and resolved case")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entity", default="Epstein")
    parser.add_argument("--other", default="Clinton")
    parser.add_argument("--term", default="Nazarbayev")
    parser.add_argument("--doc", default="HOUSE_OVERSIGHT_010477")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "query.json"))
    opts = parser.parse_args()
    if not Path(opts.db).is_file():
        raise SystemExit(f"no case at {opts.db}: build one with `casegraph ingest` and `casegraph analyze`")
    queries = {
        "search": ["search", opts.term],
        "show": ["show", opts.doc],
        "entity": ["entity", opts.entity],
        "neighbors": ["neighbors", opts.entity],
        "path": ["path", opts.entity, opts.other],
        "timeline": ["timeline", opts.entity],
    }
    run_once(opts.db, ["info"])  # warm the OS file cache once, as a second command would find it
    results = {}
    for name, args in queries.items():
        walls, cpus = zip(*(run_once(opts.db, args) for _ in range(opts.runs)), strict=True)
        results[name] = {
            "wall_median_s": round(statistics.median(walls), 3),
            "wall_max_s": round(max(walls), 3),
            "cpu_median_s": round(statistics.median(cpus), 3),
            "cpu_max_s": round(max(cpus), 3),
        }
        print(
            f"{name:10} wall {results[name]['wall_median_s']:.3f} s (max {results[name]['wall_max_s']:.3f})"
            f"  cpu {results[name]['cpu_median_s']:.3f} s"
        )
    report = {
        "case": os.path.abspath(opts.db),
        "case_mb": round(Path(opts.db).stat().st_size / 1e6, 1),
        "runs": opts.runs,
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "queries": results,
    }
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {opts.out}")


if __name__ == "__main__":
    main()

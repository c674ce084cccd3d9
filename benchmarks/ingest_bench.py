"""Ingest benchmark: the whole ../shared/corpus/epstein-estate into a fresh temporary
database. Prints and writes benchmarks/results/ingest.json: documents/s, MB/s, peak memory
(max RSS from getrusage, and the Python heap peak from tracemalloc when --tracemalloc).

    .venv/bin/python benchmarks/ingest_bench.py [--corpus PATH] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = (
    Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared")) / "corpus" / "epstein-estate"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slower)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ingest.json")
    args = parser.parse_args()

    from casegraph.ingest.pipeline import ingest_paths, walk
    from casegraph.store import open_store

    input_bytes = sum(os.path.getsize(p) for p in walk([str(args.corpus)]))
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        errors = io.StringIO()
        before = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = before.ru_utime + before.ru_stime
        started = time.perf_counter()
        summary = ingest_paths(store, [str(args.corpus)], kind="source", progress=False, stderr=errors)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu_first = after.ru_utime + after.ru_stime
        # the same run again: everything is unchanged, nothing is re-read
        started2 = time.perf_counter()
        again = ingest_paths(store, [str(args.corpus)], kind="source", progress=False, stderr=io.StringIO())
        rerun = time.perf_counter() - started2
        db_size = os.path.getsize(Path(tmp) / "bench.db")
        store.close()
    heap_peak = None
    if args.tracemalloc:
        heap_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_kb = usage.ru_maxrss
    docs = summary["documents"]
    result = {
        "corpus": str(args.corpus),
        "files": summary["files"],
        "documents": docs,
        "input_mb": round(input_bytes / 1e6, 2),
        "elapsed_s": round(elapsed, 2),
        "documents_per_s": round(docs / elapsed, 2),
        "mb_per_s": round(input_bytes / 1e6 / elapsed, 3),
        # the machine is shared: CPU seconds say more than wall-clock time when it is busy
        "cpu_s": round(cpu_first - cpu_before, 2),
        "documents_per_cpu_s": round(docs / max(cpu_first - cpu_before, 1e-9), 2),
        "mb_per_cpu_s": round(input_bytes / 1e6 / max(cpu_first - cpu_before, 1e-9), 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "python_heap_peak_mb": round(heap_peak / 1e6, 1) if heap_peak is not None else None,
        "db_mb": round(db_size / 1e6, 1),
        "counts": summary["counts"],
        "corpus_pass": summary.get("corpus"),
        "rerun_s": round(rerun, 2),
        "rerun_counts": again["counts"],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()

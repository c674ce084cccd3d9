"""Scale-out benchmark: ingest and analysis with 1 process, then on a Dask LocalCluster of 2
workers, on SQLite and on PostgreSQL (a throwaway server), on a systematic sample of the
estate (every Nth file in walk order: the whole estate takes about half an hour of analysis
per core, and this machine's CPUs are shared). Reports documents/s, words/s, the speed-up
of 2 workers over 1 process, peak memory of the coordinator and of each worker, whether
every configuration built the same case (same document ids, same annotations, same
entities), and search p95 and path p95 on both backends.

    .venv/bin/python benchmarks/scale_bench.py [--every 50] [--workers 2]
        [--backends sqlite postgresql] [--out benchmarks/results/scale.json] [--keep]
    .venv/bin/python benchmarks/scale_bench.py --queries CASE   # search and path p95 only

Each configuration runs in its own subprocess (its own peak memory and CPU time, its Dask
workers included); the PostgreSQL server's CPU time is reported beside it. Results go to
--out; --keep leaves the PostgreSQL server and its cases running (their URLs are printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ESTATE = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared")) / "corpus" / "epstein-estate"
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"


def sample(every: int) -> list[str]:
    from casegraph.ingest.pipeline import _is_load_file, walk

    files = [f for f in walk([str(ESTATE)]) if not _is_load_file(f) and not Path(f).name.startswith("!")]
    return files[::every]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(0.95 * len(values)))] * 1000, 2)


def digest(case: Any) -> str:
    """A hash of what the case holds, independent of the order rows were written in."""
    store = case.store
    parts = sorted(d["id"] for d in store.list_documents())
    parts += sorted(
        f"{m['doc_id']}:{m['start']}:{m['end']}:{m['label']}:{m['entity_id']}" for m in store.mention_rows()
    )
    parts += sorted(f"{q['doc_id']}:{q['start']}:{q['end']}" for q in store.quote_rows())
    parts += sorted(f"{c['doc_id']}:{c['start']}:{c['type']}" for c in store.claim_rows())
    parts += sorted(f"{r['doc_id']}:{r['start']}:{r['kind']}" for r in store.relation_rows())
    parts += sorted(f"{e['id']}:{e['mentions']}" for e in store.list_entities())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def one(db: str, workers: int, files: list[str]) -> dict[str, Any]:
    """One configuration, in this (sub)process."""
    from casegraph.api import Case
    from casegraph.scale import analyze_distributed, dask_client, ingest_distributed

    out: dict[str, Any] = {"workers": workers}
    case = Case(db)
    if workers <= 1:
        started = time.perf_counter()
        ingested = case.ingest(files, kind="source", progress=False)
        out["ingest_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        analysed = case.analyze(progress=False, index=False, resolve=False)
        out["analyze_s"] = round(time.perf_counter() - started, 2)
        worker_peaks: list[float] = []
    else:
        started = time.perf_counter()
        with dask_client(workers=workers) as client:
            out["cluster_start_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            ingested = ingest_distributed(case, client, files, kind="source", progress=False)
            out["ingest_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            analysed = analyze_distributed(case, client, progress=False, index=False, resolve=False)
            out["analyze_s"] = round(time.perf_counter() - started, 2)
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            worker_peaks = [round(kb / 1024, 1) for kb in peaks.values()]
    started = time.perf_counter()
    case.resolve()
    out["resolve_s"] = round(time.perf_counter() - started, 2)
    documents = case.store.count_documents()
    words = int(analysed["words"])
    out.update(
        documents=documents,
        words=words,
        ingest_documents_per_s=round(documents / out["ingest_s"], 2),
        analyze_documents_per_s=round(int(analysed["documents"]) / out["analyze_s"], 2),
        analyze_words_per_s=round(words / out["analyze_s"], 1),
        failed=len(analysed["failed"]) + int(ingested["counts"].get("failed", 0)),
        coordinator_peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        worker_peak_mb=worker_peaks,
        digest=digest(case),
        counts=case.store.counts(),
    )
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu_s"] = {  # Dask's worker processes have ended by now: they count as children
        "process": round(own.ru_utime + own.ru_stime, 1),
        "workers": round(children.ru_utime + children.ru_stime, 1),
    }
    if workers <= 1:  # the query latencies, on the case one process built
        out.update(queries(case))
    case.close()
    return out


def queries(case: Any) -> dict[str, Any]:
    entities = [e for e in case.store.list_entities(limit=40) if e["type"] in ("PERSON", "ORG", "GPE")]
    names = [e["name"] for e in entities[:20]]
    search_s = []
    for name in [*names, "Nobel Prize", "flight", "Palm Beach", '"New York"', "money OR payment"]:
        for _ in range(3):
            started = time.perf_counter()
            case.search(name)
            search_s.append(time.perf_counter() - started)
    from casegraph.errors import CasegraphError

    path_s, unconnected = [], 0
    pairs = [(a["id"], b["id"]) for a, b in zip(entities[:10], entities[10:20], strict=False)]
    for a, b in pairs:
        started = time.perf_counter()
        try:
            case.path(a, b)
        except CasegraphError:  # no path between them is an answer too
            unconnected += 1
        path_s.append(time.perf_counter() - started)
    return {
        "search_queries": len(search_s),
        "search_p95_ms": p95(search_s),
        "search_median_ms": round(statistics.median(search_s) * 1000, 2),
        "path_queries": len(path_s),
        "path_p95_ms": p95(path_s) if path_s else None,
        "path_unconnected": unconnected,
    }


def server_cpu_s(cluster: Any) -> float:
    """CPU seconds of the PostgreSQL server so far: the postmaster's own and that of its
    ended backends (each connection is a child process of the postmaster)."""
    pid = (cluster.data / "postmaster.pid").read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def database_mb(url: str) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return round(int(row[0]) / 1e6, 1) if row else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--every", type=int, default=50, help="take every Nth file of the estate")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--backends", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the report goes")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL server and its cases")
    parser.add_argument("--queries", metavar="DB", help="only the query latencies, on this built case")
    parser.add_argument("--one", nargs=2, metavar=("DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries:
        from casegraph.api import Case

        with Case(args.queries) as case:
            print(json.dumps(queries(case)))
        return
    files = sample(args.every)
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), files)))
        return

    from casegraph.store.postgres.cluster import Cluster

    load_before = os.getloadavg()[0]
    text_bytes = sum(os.path.getsize(f) for f in files)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        cluster = Cluster.start_in() if "postgresql" in args.backends else None
        for backend in args.backends:
            for workers in (1, args.workers):
                name = f"{backend}_{workers}"
                if cluster is None:
                    db = str(Path(tmp) / f"{name}.db")
                else:
                    db = cluster.create_database(name)
                print(f"scale_bench: {backend}, {workers} worker(s), {len(files)} files ...", file=sys.stderr)
                server_before = server_cpu_s(cluster) if backend == "postgresql" else 0.0
                done = subprocess.run(
                    [sys.executable, __file__, "--every", str(args.every), "--one", db, str(workers)],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                )
                run = json.loads(done.stdout.strip().splitlines()[-1])
                run["backend"] = backend
                if backend == "sqlite":
                    run["db_mb"] = round(os.path.getsize(db) / 1e6, 1)
                else:
                    run["server_cpu_s"] = round(server_cpu_s(cluster) - server_before, 1)
                    run["db_mb"] = database_mb(db)
                    if args.keep:
                        print(f"scale_bench: kept {db}", file=sys.stderr)
                runs.append(run)
        if cluster is not None and not args.keep:
            cluster.stop()
    for run in runs:
        base = next(r for r in runs if r["backend"] == run["backend"] and r["workers"] == 1)
        run["analyze_speedup"] = round(base["analyze_s"] / run["analyze_s"], 2)
        run["ingest_speedup"] = round(base["ingest_s"] / run["ingest_s"], 2)
    report = {
        "benchmark": "scale",
        "input": f"every {args.every}th file of the estate in walk order: {len(files)} files, {round(text_bytes / 1e6, 2)} MB",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "load_average_1m_before": round(load_before, 2),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
        "identical_cases": len({r["digest"] for r in runs}) == 1,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    header = f"{'backend':11} {'workers':>7} {'ingest doc/s':>12} {'analyze doc/s':>13} {'words/s':>8} {'speed-up':>8} {'peak MB (coord / workers)':>26}"
    print(header)
    for r in runs:
        peaks = f"{r['coordinator_peak_mb']} / {', '.join(map(str, r['worker_peak_mb'])) or '-'}"
        print(
            f"{r['backend']:11} {r['workers']:>7} {r['ingest_documents_per_s']:>12} {r['analyze_documents_per_s']:>13}"
            f" {r['analyze_words_per_s']:>8} {r['analyze_speedup']:>8} {peaks:>26}"
        )
    for r in runs:
        if "search_p95_ms" in r:
            print(f"{r['backend']}: search p95 {r['search_p95_ms']} ms, path p95 {r['path_p95_ms']} ms")
    print(
        f"identical cases: {report['identical_cases']}; load average {report['load_average_1m_before']} -> {report['load_average_1m_after']}"
    )


if __name__ == "__main__":
    main()

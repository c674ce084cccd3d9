"""Web server benchmark. Prints and writes benchmarks/results/serve.json.

Starts `casegraph serve` on a case (a separate process, as users run it) and measures over
HTTP, warm (each endpoint asked once first):

1. API search latency (`/api/search`) over queries made of entity names and words of the case;
2. the document page (`/doc/ID`) of a document of about 1 MB (--big-mb), with all its
   highlight layers; it is added to the case (ingested and analyzed) when the case has none;
3. neighbours (`/api/neighbors`) of the most mentioned entities;
4. --clients concurrent clients for --duration seconds on a mix of pages and API calls:
   requests, errors, throughput and latency.

    .venv/bin/python benchmarks/serve_bench.py [--db CASE.db] [--sample 40] [--duration 60] [--clients 20]

Without --db it builds a sample case in a temporary folder: the seed articles and the first
--sample estate files (as `make demo` does), analyzed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared"))
ESTATE = SHARED / "corpus" / "epstein-estate"
SEEDS = SHARED / "corpus" / "seeds"


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {
        "n": len(ms),
        "p50_ms": at(0.5),
        "p95_ms": at(0.95),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def build_sample(folder: Path, sample: int) -> Path:
    from casegraph.api import Case

    db = folder / "sample.db"
    with Case(db) as case:
        case.ingest([SEEDS], kind="article", progress=False)
        case.ingest(
            [
                str(ESTATE / "HOUSE_OVERSIGHT_009_REPORT.csv"),
                str(ESTATE / "Emails"),
                str(ESTATE / "Merged Documents"),
            ],
            kind="source",
            progress=False,
            max_files=sample,
        )
        case.analyze(progress=False)
    return db


def ensure_big_document(db: Path, folder: Path, megabytes: float) -> str:
    """The id of a document of about `megabytes` MB, adding one made of estate texts if needed."""
    from casegraph.api import Case

    target = int(megabytes * 1_000_000)
    with Case(db) as case:
        for doc in case.docs():
            if doc.get("size", 0) >= target * 0.9:
                return str(doc["id"])
        parts, size = [], 0
        for path in sorted((ESTATE / "Merged Documents").glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.append(text)
            size += len(text.encode())
            if size >= target:
                break
        big = folder / "big-merged-documents.txt"
        big.write_text("\n\n".join(parts)[:target], encoding="utf-8")
        case.ingest([str(big)], kind="source", progress=False)
        doc = case.store.find_document(str(big))
        assert doc is not None, "the big document was not ingested"
        started = time.perf_counter()
        case.analyze([doc["id"]], progress=False)
        print(
            f"analyzed the {megabytes} MB document in {time.perf_counter() - started:.0f} s", file=sys.stderr
        )
        return str(doc["id"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "casegraph", "--db", str(db), "serve", "--port", str(port), "--read-only"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def timed_get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: {response.status_code} {response.text[:200]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--big-mb", type=float, default=1.0)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "serve.json")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    db = args.db or build_sample(folder, args.sample)
    big = ensure_big_document(db, folder, args.big_mb)

    from casegraph.api import Case

    with Case(db) as case:
        counts = case.store.counts()
        entities = case.entities(limit=60)
        big_size = (case.store.get_document(big, with_text=False) or {}).get("size", 0)
    rng = random.Random(7)
    words = [
        "Epstein",
        "Maxwell",
        "plea deal",
        "Palm Beach",
        "lawyer",
        "flight",
        "island",
        "Acosta",
        "money",
        "court",
    ]
    queries = [e["name"] for e in entities] + words
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            first_view = timed_get(client, f"/doc/{big}")  # cold: the annotated text is built
            for url in ("/", "/api/search?q=Epstein", f"/api/neighbors?name={entities[0]['id']}"):
                timed_get(client, url)  # warm: first use loads the graph index and the templates
            search = [
                timed_get(client, "/api/search", {"q": rng.choice(queries)}) for _ in range(args.queries)
            ]
            page = [timed_get(client, f"/doc/{big}") for _ in range(20)]
            neighbours = [timed_get(client, "/api/neighbors", {"name": e["id"]}) for e in entities[:50]]
        load = concurrent_load(base, queries, [e["id"] for e in entities], big, args.clients, args.duration)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    result = {
        "case": {"db": str(db) if args.db else f"sample: seeds + {args.sample} estate files", **counts},
        "big_document": {"id": big, "bytes": big_size},
        "api_search": percentiles(search),
        "document_page_1mb_first_view_ms": round(first_view, 1),
        "document_page_1mb": percentiles(page),
        "neighbors": percentiles(neighbours),
        "concurrent": load,
        "targets": {"search_p95_ms": 100, "document_page_ms": 200, "neighbors_ms": 300, "errors": 0},
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def concurrent_load(
    base: str, queries: list[str], entity_ids: list[str], big: str, clients: int, duration: float
) -> dict[str, Any]:
    """`clients` threads, each with its own connection, asking a mix of pages and API calls
    for `duration` seconds."""
    stop = time.monotonic() + duration
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() < stop:
                choice = rng.random()
                if choice < 0.4:
                    url, params = "/api/search", {"q": rng.choice(queries)}
                elif choice < 0.6:
                    url, params = "/api/neighbors", {"name": rng.choice(entity_ids)}
                elif choice < 0.75:
                    url, params = "/search", {"q": rng.choice(queries)}
                elif choice < 0.9:
                    url, params = f"/entity/{rng.choice(entity_ids)}", {}
                else:
                    url, params = f"/doc/{big}", {}
                try:
                    ms = timed_get(client, url, params)
                    with lock:
                        latencies.append(ms)
                except (RuntimeError, httpx.HTTPError) as exc:
                    with lock:
                        errors.append(str(exc)[:200])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(seconds, 1),
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "first_errors": errors[:5],
        "requests_per_second": round((len(latencies) + len(errors)) / seconds, 1),
        **(percentiles(latencies) if latencies else {}),
    }


if __name__ == "__main__":
    main()

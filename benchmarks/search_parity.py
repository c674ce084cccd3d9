"""Search on both backends, on one case built on each from the same files: whether every
query gives the same hits, in the same order, with the same scores and snippets, and what
each query costs.

    .venv/bin/python benchmarks/search_parity.py --sqlite estate.db --postgres postgresql://.../case

Queries: the names of the 20 most mentioned people, organisations and places, a few words,
phrases, a prefix and boolean forms, each as `search` runs it (limit 20), and as check's
candidate retrieval runs it (`fts_sources`, body weighted, limit 20). The first PostgreSQL
search of a case stored before its token counts were is timed apart (it measures every
document once). Results go to benchmarks/results/search_parity.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casegraph.api import Case  # noqa: E402
from casegraph.store.documents import fts_query  # noqa: E402

FIXED = [
    "Nobel Prize",
    "flight",
    "Palm Beach",
    '"New York"',
    "money OR payment",
    "the",
    '"of the"',
    "presid*",
    "Epstein NOT Clinton",
    "Clinton Epstein OR Trump",
    "Kazakhstan",
]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(0.95 * len(values)))] * 1000, 1)


def timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "search_parity.json")
    args = parser.parse_args()
    sqlite, postgres = Case(args.sqlite), Case(args.postgres)
    _, first = timed(lambda: postgres.search("Nazarbayev"))  # measures documents stored without sizes
    names = [
        e["name"] for e in sqlite.store.list_entities(limit=40) if e["type"] in ("PERSON", "ORG", "GPE")
    ][:20]
    queries = [*names, *FIXED]
    report: dict[str, Any] = {
        "benchmark": "search_parity",
        "documents": sqlite.store.count_documents(),
        "postgres_first_search_s": round(first, 2),
        "queries": len(queries),
        "differences": [],
    }
    seconds: dict[str, list[float]] = {
        "sqlite_search": [],
        "postgres_search": [],
        "sqlite_sources": [],
        "postgres_sources": [],
    }
    same = {"search": 0, "sources": 0}
    calls = {
        "search": lambda c, q: c.search(q, limit=20),
        "sources": lambda c, q: c.store.fts_sources(fts_query(q), limit=20),
    }
    for query in queries:
        for kind, call in calls.items():
            got = {}
            for name, case in (("sqlite", sqlite), ("postgres", postgres)):
                got[name], spent = timed(lambda c=case, f=call, q=query: f(c, q))
                seconds[f"{name}_{kind}"].append(spent)
            if got["sqlite"] == got["postgres"]:
                same[kind] += 1
            else:
                report["differences"].append(
                    {
                        "query": query,
                        "kind": kind,
                        "sqlite": got["sqlite"][:3],
                        "postgres": got["postgres"][:3],
                    }
                )
    same_search, same_sources = same["search"], same["sources"]
    report["same_search"] = same_search
    report["same_sources"] = same_sources
    report["latency_ms"] = {
        key: {"median": round(statistics.median(v) * 1000, 1), "p95": p95(v), "max": round(max(v) * 1000, 1)}
        for key, v in seconds.items()
    }
    report["load_average_1m"] = round(os.getloadavg()[0], 2)
    sqlite.close()
    postgres.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"{report['documents']} documents, {len(queries)} queries: search identical {same_search}/{len(queries)},"
        f" candidates identical {same_sources}/{len(queries)}"
    )
    for key, v in report["latency_ms"].items():
        print(f"{key:18} median {v['median']} ms, p95 {v['p95']} ms, max {v['max']} ms")
    print(
        f"first PostgreSQL search (measuring the documents stored before): {report['postgres_first_search_s']} s"
    )


if __name__ == "__main__":
    main()

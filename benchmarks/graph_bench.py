"""Resolution and graph benchmark. Prints and writes benchmarks/results/graph.json.

1. Estate: resolution time (mentions → entities, then graph build) over the mentions of the
   estate corpus in a case database (ingested with `casegraph ingest`, analyzed with
   `casegraph analyze`; --sample N analyses only N documents first, chosen by id, when
   analyzing the whole estate would take too long), then path and neighbours latency on
   that graph between random pairs of entities (seeded).
2. Registers: the same for the FARA bulk data (`ingest-fara`) when --fara is given.
3. Generated: a random graph of --edges edges (default 1,000,000) over --nodes entities with
   a heavy-tailed degree distribution, stored through the store like a real one; graph load
   time, and path and neighbours latency through the public API.

    .venv/bin/python benchmarks/graph_bench.py --db estate.db [--sample 300] [--scale 7] [--fara PATH]
        [--edges 1000000] [--nodes 200000] [--queries 50]

--scale N also times the resolver alone on the estate sample's mentions copied N times (about
the whole estate's size when the sample is a seventh of it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared"))


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def latency(case, pairs, singles) -> dict:
    """Warm query latency in ms (the graph index is loaded once, as in a server): `path`
    asking for one path and for three (each further path is one more search)."""
    case.graph_index()
    paths, paths_k3, neighbours, found = [], [], [], 0
    for a, b in pairs:
        result, seconds = timed(case.path, a, b, k=1)
        paths.append(seconds * 1000)
        found += bool(result["paths"])
        _, seconds = timed(case.path, a, b, k=3)
        paths_k3.append(seconds * 1000)
    for a in singles:
        _, seconds = timed(case.neighbors, a, limit=25)
        neighbours.append(seconds * 1000)
    return {
        "path_queries": len(paths),
        "paths_found": found,
        "path_ms_median": round(statistics.median(paths), 2) if paths else None,
        "path_ms_p95": round(_p95(paths), 2) if paths else None,
        "path_k3_ms_median": round(statistics.median(paths_k3), 2) if paths_k3 else None,
        "path_k3_ms_p95": round(_p95(paths_k3), 2) if paths_k3 else None,
        "neighbors_queries": len(neighbours),
        "neighbors_ms_median": round(statistics.median(neighbours), 2) if neighbours else None,
        "neighbors_ms_p95": round(_p95(neighbours), 2) if neighbours else None,
    }


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def graph_queries(case, queries: int, rng: random.Random) -> dict:
    index, load_s = timed(case.graph_index)  # built from the edges, then cached in the database
    case._graph_index = None  # as a new process would: read the cached index back
    index, cached_load_s = timed(case.graph_index)
    _, lookup_s = timed(case.find_entity, index.ids[0]) if index.ids else (None, 0.0)
    ids = [i for i in index.ids if index.degree[index.index[i]] > 0]
    if len(ids) < 2:
        return {"note": "graph has fewer than two connected entities"}
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(queries)]
    singles = [rng.choice(ids) for _ in range(queries)]
    return {
        "graph_load_s": round(load_s, 3),
        "graph_load_cached_s": round(cached_load_s, 3),
        "name_lookup_build_s": round(lookup_s, 3),
        "vertices": len(index.ids),
        "links": index.graph.ecount(),
        **latency(case, pairs, singles),
    }


def estate(db: Path, sample: int | None, queries: int, rng: random.Random) -> dict:
    from casegraph.api import Case

    with Case(db) as case:
        docs = case.store.scalar("SELECT count(*) FROM documents WHERE mime != 'text/x-fara'")
        if sample:
            todo = [
                r["id"]
                for r in case.store.query(
                    "SELECT id FROM documents WHERE mime != 'text/x-fara' ORDER BY id LIMIT ?", (sample,)
                )
            ]
            summary, seconds = timed(case.analyze, todo, progress=False, resolve=False)
            analyzed = {"analyze_s": round(seconds, 1), "analyze_words": summary.get("words")}
        else:
            analyzed = {}
        analyzed_docs = case.store.scalar(
            "SELECT count(*) FROM analyses a JOIN documents d ON d.id = a.doc_id WHERE d.mime != 'text/x-fara'"
        )
        analyzed_chars = case.store.scalar(
            "SELECT sum(length(d.text)) FROM analyses a JOIN documents d ON d.id = a.doc_id WHERE d.mime != 'text/x-fara'"
        )
        summary, seconds = timed(case.resolve)
        return {
            "documents_in_db": docs,
            "documents_analyzed": analyzed_docs,
            "analyzed_chars": analyzed_chars,
            **analyzed,
            "mentions_resolved": summary["mentions"],
            "email_parties": summary["email_parties"],
            "entities": summary["entities"],
            "entities_with_several_names": summary["entities_with_several_names"],
            "edges": summary["edges"],
            "resolve_s": summary["seconds"],
            "graph_build_s": summary["graph_seconds"],
            "resolve_and_graph_s": round(seconds, 3),
            "mentions_per_s": round(summary["mentions"] / summary["seconds"]) if summary["seconds"] else None,
            **graph_queries(case, queries, rng),
        }


def estate_scaled(db: Path, factor: int) -> dict:
    """The resolver alone (no database writes) on the sample's mentions and e-mail parties
    copied `factor` times under other document ids: the size of the whole estate, with its
    real distribution of names (each copy adds the same names again, so more unions)."""
    from casegraph.resolve.resolver import resolve_rows
    from casegraph.store import open_store

    store = open_store(db)
    mentions = list(store.iter_name_mentions())
    parties = store.email_parties()
    store.close()
    rows, party_rows = [], []
    for k in range(factor):
        rows += [{**m, "id": m["id"] + k * 10_000_000, "doc_id": f"{m['doc_id']}~{k}"} for m in mentions]
        party_rows += [{**p, "id": p["id"] + k * 10_000_000, "doc_id": f"{p['doc_id']}~{k}"} for p in parties]
    entities, seconds = timed(resolve_rows, rows, party_rows)
    return {
        "factor": factor,
        "mentions": len(rows),
        "email_parties": len(party_rows),
        "entities": len(entities),
        "resolve_rows_s": round(seconds, 2),
        "mentions_per_s": round(len(rows) / seconds),
    }


def registers(path: Path, queries: int, rng: random.Random) -> dict:
    from casegraph.api import Case

    with tempfile.TemporaryDirectory() as tmp, Case(Path(tmp) / "fara.db") as case:
        summary, seconds = timed(case.ingest_fara, path)
        r = summary["resolve"]
        return {
            "registrants": summary["registrants"],
            "mentions_resolved": r["mentions"],
            "entities": r["entities"],
            "edges": r["edges"],
            "ingest_and_resolve_s": round(seconds, 2),
            "resolve_s": r["seconds"],
            "graph_build_s": r["graph_seconds"],
            **graph_queries(case, queries, rng),
        }


def generated(n_nodes: int, n_edges: int, queries: int, rng: random.Random) -> dict:
    """A heavy-tailed random graph stored through the store, queried through the API."""
    from casegraph.api import Case

    kinds = ["mentioned_with"] * 6 + ["communicated", "met", "role", "family", "paid", "associate"]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_nodes)]  # a few hubs, a long tail
    with tempfile.TemporaryDirectory() as tmp, Case(Path(tmp) / "gen.db") as case:
        started = time.perf_counter()
        entities = [
            {"id": f"ent-{i:07d}", "name": f"Entity {i}", "type": "PERSON", "aliases": [], "meta": {}}
            for i in range(n_nodes)
        ]
        case.store.replace_entities(entities, [], [])
        ends_a = rng.choices(range(n_nodes), weights=weights, k=n_edges)
        ends_b = [rng.randrange(n_nodes) for _ in range(n_edges)]
        seen, edges = set(), []
        for a, b in zip(ends_a, ends_b, strict=False):
            kind = rng.choice(kinds)
            key = (min(a, b), max(a, b), kind)
            if a == b or key in seen:
                continue
            seen.add(key)
            count = 1 + int(rng.expovariate(0.5))
            edges.append(
                {
                    "a": f"ent-{key[0]:07d}",
                    "b": f"ent-{key[1]:07d}",
                    "kind": kind,
                    "predicate": "",
                    "directed": kind != "mentioned_with",
                    "count": count,
                    "documents": count,
                    "strength": round(count * 0.3, 3),
                    "evidence": [
                        {"doc_id": "d", "start": 0, "end": 10, "text": "evidence", "confidence": 0.3}
                    ],
                }
            )
        case.store.replace_graph(edges)
        store_s = time.perf_counter() - started
        result = graph_queries(case, queries, rng)
        return {"nodes": n_nodes, "edges": len(edges), "store_write_s": round(store_s, 1), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="case database with the estate ingested (and analyzed)")
    parser.add_argument("--sample", type=int, help="analyze this many more documents first")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        help="also time the resolver on the estate's mentions copied this many times",
    )
    parser.add_argument("--fara", type=Path, nargs="?", const=SHARED / "corpus" / "fara")
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "graph.json")
    parser.add_argument(
        "--update", action="store_true", help="replace only the sections run now in an existing results file"
    )
    args = parser.parse_args()

    results: dict = (
        json.loads(args.out.read_text(encoding="utf-8")) if args.update and args.out.exists() else {}
    )
    results.update(
        {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        }
    )
    if args.db:
        results["estate"] = estate(args.db, args.sample, args.queries, random.Random(args.seed))
        print(json.dumps({"estate": results["estate"]}, indent=2), flush=True)
        if args.scale:
            results["estate_scaled"] = estate_scaled(args.db, args.scale)
            print(json.dumps({"estate_scaled": results["estate_scaled"]}, indent=2), flush=True)
    if args.fara:
        results["fara"] = registers(args.fara, args.queries, random.Random(args.seed))
        print(json.dumps({"fara": results["fara"]}, indent=2), flush=True)
    if args.edges:
        results["generated"] = generated(args.nodes, args.edges, args.queries, random.Random(args.seed))
        print(json.dumps({"generated": results["generated"]}, indent=2), flush=True)
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()

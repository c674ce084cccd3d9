"""Dense retrieval at corpus scale: the sentence-embedding index of a case, measured.

    .venv/bin/python benchmarks/dense_bench.py search --db CASE [--tile 4] [--faiss /path/to/faiss]
    .venv/bin/python benchmarks/dense_bench.py recall --db CASE
    .venv/bin/python benchmarks/dense_bench.py embed --db CASE [--sentences 4000]

`search`: exact search as `check` runs it (`SentenceIndex.search`: int8 rows, k=128 per
item) over the case's index: latency per query (p50, p95 of one query at a time), one batch
of 40 queries (an article's items), memory; with --tile N the index repeated N times (the
cost depends on the number of rows alone). Queries are sentences of the seed articles (a
real article's sentences) and the paraphrases. With faiss importable (--faiss adds a folder
holding it to the path; faiss is not a dependency of casegraph), approximate indexes too
(HNSW, IVF with 8-bit codes), one thread: their recall@10 against exact search (a hit counts
when its score reaches the exact 10th best: copies of a sentence tie), build time, latency.

`recall`: the paraphrases (benchmarks/data/paraphrases*.json: estate sentences said in other
words) against the case, on a temporary copy (the case is never written): retrieval recall
(the source sentence among the candidates the check scores) without and with the index, and
the verdict of `check` on an article made of them (status, and whether the evidence holds the
source sentence or at least its document).

`embed`: on a copy, source documents not yet indexed (about --sentences sentences) indexed
by one process (`build_index`), then again by a local Dask cluster of 2 workers
(`embed_on_workers`, the model loaded in the workers first): sentences/s, CPU seconds, the
workers' peak memory, and whether both runs stored the same bytes.

Results are merged into benchmarks/results/dense.json under the mode's name.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared"))
ESTATE = (SHARED / "corpus" / "epstein-estate").resolve()
sys.path.insert(0, str(ROOT / "src"))

from casegraph.api import Case  # noqa: E402
from casegraph.check import calibration, embed, verifier  # noqa: E402
from casegraph.check.engine import check_article, score_candidates  # noqa: E402
from casegraph.check.items import Item  # noqa: E402
from casegraph.check.retrieve import SEMANTIC_HITS, Retriever  # noqa: E402
from casegraph.check.text import sentences  # noqa: E402
from casegraph.check.verdict import JUDGED  # noqa: E402
from casegraph.search.index import SentenceIndex  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dense.json"


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pct(seconds: list[float]) -> dict[str, float]:
    ms = sorted(1000 * s for s in seconds)
    return {"p50_ms": round(ms[len(ms) // 2], 2), "p95_ms": round(ms[int(len(ms) * 0.95)], 2)}


def load_pairs() -> list[dict[str, str]]:
    pairs: list[dict[str, str]] = []
    for path in sorted((ROOT / "benchmarks" / "data").glob("paraphrases*.json")):
        for p in json.loads(path.read_text(encoding="utf-8"))["pairs"]:
            pairs.append({**p, "set": path.name})
    return pairs


def copy_case(db: Path, folder: Path) -> Path:
    """A consistent copy of a SQLite case (the backup API: WAL included, source untouched)."""
    target = folder / db.name
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    source.backup(dest)
    dest.close()
    source.close()
    return target


def queries() -> list[str]:
    texts = [p["paraphrase"] for p in load_pairs()]
    for seed in sorted((SHARED / "corpus" / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in sentences(text) if len(text[s:e].split()) >= 6]
    return texts


# -- search ----------------------------------------------------------------------------------


def tiled(index: SentenceIndex, times: int) -> SentenceIndex:
    big = SentenceIndex([], [], index.stamp)
    big.doc_ids = index.doc_ids
    big.vectors = np.tile(index.vectors, (times, 1))
    big.scales = np.tile(index.scales, times)
    big.spans = np.tile(index.spans, (times, 1))
    big.doc_of = np.tile(index.doc_of, times)
    big.size = len(big.vectors)
    return big


def exact_search(index: SentenceIndex, q: np.ndarray, repeats: int = 60) -> dict[str, Any]:
    single = []
    for vector in q[:repeats]:
        began = time.perf_counter()
        index.search(vector[None], k=SEMANTIC_HITS)
        single.append(time.perf_counter() - began)
    began = time.perf_counter()
    index.search(q[:40], k=SEMANTIC_HITS)
    batch = time.perf_counter() - began
    return {
        "rows": index.size,
        "k": SEMANTIC_HITS,
        "one_query": pct(single),
        "batch_of_40_s": round(batch, 3),
        "index_mb": round((index.vectors.nbytes + index.scales.nbytes + index.spans.nbytes) / 1e6, 1),
    }


def ann(index: SentenceIndex, q: np.ndarray, faiss: Any) -> dict[str, Any]:
    k = 10
    x = index.vectors.astype(np.float32) * index.scales[:, None]
    truth = np.sort(q @ x.T, axis=1)[:, -k]  # the exact 10th best score of each query
    faiss.omp_set_num_threads(1)

    def measure(ix: Any) -> dict[str, Any]:
        lat = []
        found = []
        for i, vector in enumerate(q):
            began = time.perf_counter()
            _, rows = ix.search(vector[None], k)
            lat.append(time.perf_counter() - began)
            got = [r for r in rows[0] if r >= 0]
            scores = x[got] @ vector
            found.append(float(np.sum(scores >= truth[i] - 1e-5)) / k)
        return {**pct(lat), "recall_at_10": round(float(np.mean(found)), 4)}

    out: dict[str, Any] = {}
    flat = faiss.IndexFlatIP(x.shape[1])
    flat.add(x)
    out["flat_float32"] = {"mb": round(x.nbytes / 1e6, 1), **measure(flat)}
    del flat
    hnsw = faiss.IndexHNSWSQ(x.shape[1], faiss.ScalarQuantizer.QT_8bit, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    began = time.perf_counter()
    hnsw.train(x)
    hnsw.add(x)
    built = round(time.perf_counter() - began, 1)
    res: dict[str, Any] = {
        "M": 32,
        "build_s": built,
        "mb": round((x.shape[1] + 2 * 32 * 4) * len(x) / 1e6, 1),
    }
    for ef in (64, 128, 256, 512):
        hnsw.hnsw.efSearch = ef
        res[f"ef{ef}"] = measure(hnsw)
    out["hnsw_sq8"] = res
    del hnsw
    nlist = int(4 * np.sqrt(len(x)))
    ivf = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(x.shape[1]),
        x.shape[1],
        nlist,
        faiss.ScalarQuantizer.QT_8bit,
        faiss.METRIC_INNER_PRODUCT,
    )
    began = time.perf_counter()
    sample = np.random.default_rng(1).choice(len(x), min(len(x), 40 * nlist), replace=False)
    ivf.train(x[sample])
    ivf.add(x)
    res = {
        "nlist": nlist,
        "build_s": round(time.perf_counter() - began, 1),
        "mb": round(x.shape[1] * len(x) / 1e6, 1),
    }
    for nprobe in (16, 32, 64, 128):
        ivf.nprobe = nprobe
        res[f"nprobe{nprobe}"] = measure(ivf)
    out["ivf_sq8"] = res
    return out


def run_search(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="dense-bench-"))
    try:
        case = Case(copy_case(Path(args.db), folder))
        began = time.perf_counter()
        index = SentenceIndex.from_store(case.store)
        load = round(time.perf_counter() - began, 2)
        if index is None:
            raise SystemExit("the case has no sentence index: run `casegraph analyze` first")
        texts = queries()
        random.Random(3).shuffle(texts)
        q = embed.encode(texts).astype(np.float32)
        out: dict[str, Any] = {
            "db": str(args.db),
            "queries": len(q),
            "load_s": load,
            "exact": exact_search(index, q),
        }
        if args.tile > 1:
            big = tiled(index, args.tile)
            out[f"exact_tiled_x{args.tile}"] = exact_search(big, q)
            del big
        if args.faiss:
            sys.path.insert(0, args.faiss)
            import faiss  # not a dependency: a folder where it was unpacked

            out["faiss_version"] = faiss.__version__
            out["ann"] = ann(index, q, faiss)
        out["max_rss_mb"] = rss_mb()
        case.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- recall ----------------------------------------------------------------------------------


def holds(text: str, words: str) -> bool:
    return words.lower() in " ".join(text.split()).lower()


def run_recall(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="dense-bench-"))
    try:
        case = Case(copy_case(Path(args.db), folder))
        pairs = load_pairs()
        ids = {str(r["path"]): str(r["id"]) for r in case.store.query("SELECT id, path FROM documents")}
        missing = [p["file"] for p in pairs if str(ESTATE / p["file"]) not in ids]
        pairs = [p for p in pairs if str(ESTATE / p["file"]) in ids]
        index = SentenceIndex.from_store(case.store)
        out: dict[str, Any] = {
            "db": str(args.db),
            "sources": case.store.source_count(),
            "indexed_sentences": index.size if index else 0,
            "pairs": len(pairs),
            "sets": sorted({p["set"] for p in pairs}),
            "missing_sources": missing,
        }
        t = calibration.load()
        items = [Item("claim", 0, len(p["paraphrase"]), p["paraphrase"], p["paraphrase"]) for p in pairs]
        for name, semantic in (("full_text_only", False), ("with_index", True)):
            began = time.perf_counter()
            scored = score_candidates(Retriever(case.store, semantic=semantic), items, t)
            ranks = []
            copies = []  # the source sentence or a copy of it in another document is a candidate
            probabilities = []  # the verifier's, for the source sentence when it is a candidate
            judge = verifier.load()
            for p, (cands, _) in zip(pairs, scored, strict=True):
                doc = ids[str(ESTATE / p["file"])]
                rank = next(
                    (r for r, c in enumerate(cands) if c.doc_id == doc and holds(c.text, p["source"])), -1
                )
                ranks.append(rank)
                copies.append(any(holds(c.text, p["source"]) for c in cands))
                if rank >= 0:
                    c = cands[rank]
                    probabilities.append(round(judge.judge(p["paraphrase"], c.text, c.cosine).probability, 3))
                else:
                    probabilities.append(None)
            found = sum(r >= 0 for r in ranks)
            out[f"retrieval_{name}"] = {
                "found": found,
                "of": len(pairs),
                "recall": round(found / len(pairs), 3),
                "first": sum(r == 0 for r in ranks),
                "found_or_a_copy": sum(copies),
                "reaches_verifier": sum(0 <= r < JUDGED for r in ranks),
                "ranks": ranks,
                "source_probability": probabilities,
                "verifier_needs": judge.support,
                "seconds": round(time.perf_counter() - began, 2),
            }
        if index is not None:  # where the source sentence stands among the nearest by meaning alone
            near = index.search(embed.encode([p["paraphrase"] for p in pairs]), k=SEMANTIC_HITS)
            nearest = []
            for p, hits in zip(pairs, near, strict=True):
                doc = ids[str(ESTATE / p["file"])]
                text = case.store.document_text(doc) or ""
                nearest.append(
                    next(
                        (
                            r
                            for r, h in enumerate(hits)
                            if h.doc_id == doc and holds(text[h.start : h.end], p["source"])
                        ),
                        -1,
                    )
                )
            out["nearest_by_embedding"] = {
                f"in_top_{n}": sum(0 <= r < n for r in nearest) for n in (1, 8, 32, SEMANTIC_HITS)
            } | {"ranks": nearest}
        # the verdict: an article made of the paraphrases, checked without and with the index
        path = folder / "paraphrases.txt"
        text = "Paraphrases\n\n" + "\n\n".join(p["paraphrase"] for p in pairs) + "\n"
        path.write_text(text, encoding="utf-8")
        where = [
            (text.index(p["paraphrase"]), text.index(p["paraphrase"]) + len(p["paraphrase"])) for p in pairs
        ]
        case.ingest([str(path)], kind="article", corpus_pass=False, progress=False)
        article = case.find_article(str(path))["id"]
        case.analyze([article], progress=False, resolve=False, index=False)
        for name, semantic in (("full_text_only", False), ("with_index", True)):
            began = time.perf_counter()
            report = check_article(case.store, article, save=False, semantic=semantic)
            statuses: dict[str, int] = {}
            sentence = document = copy = 0
            per_pair = []
            for p, (a, b) in zip(pairs, where, strict=True):
                doc = ids[str(ESTATE / p["file"])]
                mine = [i for i in report["items"] if i["start"] < b and i["end"] > a]  # items in its span
                if not mine:
                    per_pair.append("no item")
                    continue
                order = ("supported", "paraphrased", "misattributed", "contradicted")
                item = min(mine, key=lambda i: order.index(i["status"]) if i["status"] in order else 9)
                statuses[item["status"]] = statuses.get(item["status"], 0) + 1
                in_doc = [e for i in mine for e in i["evidence"] if e["doc_id"] == doc]
                hit = any(holds(e["text"], p["source"]) for e in in_doc)
                # the same words in another document (the estate holds copies of articles)
                elsewhere = not hit and any(
                    holds(e["text"], p["source"]) for i in mine for e in i["evidence"]
                )
                sentence += hit
                document += bool(in_doc)
                copy += elsewhere
                mark = " +source" if hit else " +copy" if elsewhere else " +document" if in_doc else ""
                per_pair.append(f"{item['status']}{mark}")
            out[f"verdict_{name}"] = {
                "items": len(report["items"]),
                "statuses": statuses,
                "evidence_holds_source_sentence": sentence,
                "evidence_holds_source_document": document,
                "evidence_holds_a_copy_of_the_source_sentence": copy,
                "recall": round(sentence / len(pairs), 3),
                "per_pair": per_pair,
                "seconds": round(time.perf_counter() - began, 2),
            }
        out["max_rss_mb"] = rss_mb()
        case.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_embed(args: argparse.Namespace) -> dict[str, Any]:
    from casegraph.scale import dask_client, embed_on_workers
    from casegraph.search.index import build_index

    folder = Path(tempfile.mkdtemp(prefix="dense-bench-"))
    try:
        case = Case(copy_case(Path(args.db), folder))
        store = case.store
        ids: list[str] = []
        total = 0
        for _, doc_id in store.sources_without_vectors(embed.STORE_KEY, limit=5000):
            if total >= args.sentences:
                break
            n = len(store.indexable_sentences(doc_id)[1])
            if 50 <= n <= 600:  # documents of ordinary length
                ids.append(doc_id)
                total += n
        embed.load()
        out: dict[str, Any] = {"db": str(args.db), "documents": len(ids)}
        wall, cpu = time.perf_counter(), cpu_s()
        one = build_index(store, ids)
        seconds, used = time.perf_counter() - wall, cpu_s() - cpu
        out["one_process"] = {
            "sentences": one.sentences,
            "embedded": one.embedded,
            "wall_s": round(seconds, 1),
            "cpu_s": round(used, 1),
            "sentences_per_s": round(one.sentences / seconds, 1),
            "sentences_per_cpu_s": round(one.sentences / used, 1),
        }
        wanted = set(ids)
        first = [r for r in store.sentence_vector_rows(embed.STORE_KEY) if r[0] in wanted]
        with store.transaction() as conn:
            conn.execute(f"DELETE FROM sentence_vectors WHERE doc_id IN ({','.join('?' * len(ids))})", ids)
        with dask_client(workers=2) as client:
            client.run(embed.load)
            before = client.run(cpu_s)
            wall, cpu = time.perf_counter(), cpu_s()
            two = embed_on_workers(store, client, ids)
            seconds, here = time.perf_counter() - wall, cpu_s() - cpu
            after = client.run(cpu_s)
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        workers = sum(after[k] - before[k] for k in after)
        out["two_workers"] = {
            "sentences": two["sentences"],
            "embedded": two["embedded"],
            "tasks": two["tasks"],
            "wall_s": round(seconds, 1),
            "coordinator_cpu_s": round(here, 1),
            "workers_cpu_s": round(workers, 1),
            "sentences_per_s": round(two["sentences"] / seconds, 1),
            "sentences_per_cpu_s": round(two["sentences"] / (workers + here), 1),
            "worker_peak_mb": [round(v) for v in peaks.values()],
        }
        second = [r for r in store.sentence_vector_rows(embed.STORE_KEY) if r[0] in wanted]
        out["identical_rows"] = first == second
        case.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("mode", choices=("search", "recall", "embed"))
    parser.add_argument("--db", required=True, help="an indexed SQLite case (read, never written)")
    parser.add_argument("--tile", type=int, default=1, help="search: also over the index repeated N times")
    parser.add_argument("--faiss", default=None, help="search: a folder holding faiss (approximate indexes)")
    parser.add_argument("--sentences", type=int, default=4000, help="embed: about this many sentences")
    parser.add_argument("--label", default=None, help="key in dense.json (default: the mode)")
    args = parser.parse_args()
    began = time.perf_counter()
    load = os.getloadavg()
    run = {"search": run_search, "recall": run_recall, "embed": run_embed}[args.mode]
    out = run(args)
    out["wall_s"] = round(time.perf_counter() - began, 1)
    out["load_average_start_end"] = [load, os.getloadavg()]
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results[args.label or args.mode] = out
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

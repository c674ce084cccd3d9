"""Check benchmark: speed of `check` at corpus scale and recall of paraphrases with and
without the sentence-embedding index. Prints and writes benchmarks/results/check.json.

1. the whole estate ingested as sources (by this script unless --db already holds them);
2. the sentence index built on a sample of the sources (the sources of the paraphrase set
   plus --index-sample random others): sentences/s of `build_index`, projected onto every
   indexable sentence of the estate (embedding all of them takes about an hour on one of
   these shared 2-core machines, so the whole index is projected, not built, by default;
   --index-sample 0 builds it whole);
3. exact search over an index of the whole estate's size (random int8 rows: the search cost
   depends on the size alone);
4. `check` of a 1,000-word article (seed 000 followed by the start of seed 002): cold, warm,
   warm without the index;
5. recall of the paraphrase set (benchmarks/data/paraphrases.json: sentences of estate
   documents said in other words): whether the source sentence is among the candidates the
   check scores, (a) in a case holding only the sample, full text only, (b) in the whole
   estate, full text only, (c) in the whole estate with the index; and the statuses that
   `check` gives an article made of those paraphrases, with and without the index.

    .venv/bin/python benchmarks/check_bench.py [--db estate.db] [--index-sample 120] [--grow-seconds 600]

An existing --db keeps its index, and a second run grows it further.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
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
from casegraph.check import calibration, embed  # noqa: E402
from casegraph.check.engine import check_article, score_candidates  # noqa: E402
from casegraph.check.items import Item  # noqa: E402
from casegraph.check.retrieve import Retriever  # noqa: E402
from casegraph.search import SentenceIndex, build_index  # noqa: E402
from casegraph.search import index as index_module  # noqa: E402
from casegraph.search.index import indexable  # noqa: E402


def article_text(words: int = 1000) -> str:
    seeds = SHARED / "corpus" / "seeds"
    text = (seeds / "000_91a462219fb05cc3.txt").read_text(encoding="utf-8")
    rest = (seeds / "002_bc91926ff72eec43.txt").read_text(encoding="utf-8").split()
    need = words - len(text.split())
    return text + "\n\n" + " ".join(rest[: max(0, need)]) + "\n"


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def load_pairs() -> list[dict[str, str]]:
    data = json.loads((ROOT / "benchmarks" / "data" / "paraphrases.json").read_text(encoding="utf-8"))
    return list(data["pairs"])


def doc_by_path(case: Case) -> dict[str, str]:
    return {r["path"]: r["id"] for r in case.store.query("SELECT id, path FROM documents")}


def add_article(case: Case, folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    case.ingest([str(path)], kind="article", corpus_pass=False, progress=False)
    doc_id = case.find_article(str(path))["id"]
    case.analyze([doc_id], progress=False, resolve=False)
    return doc_id


def holds(case: Case, cands: list[Any], doc_id: str, words: str) -> int:
    """Rank of the candidate holding the source sentence (-1: not a candidate)."""
    for rank, c in enumerate(cands):
        if c.doc_id == doc_id and words.lower() in " ".join(c.text.split()).lower():
            return rank
    return -1


def recall(case: Case, pairs: list[dict[str, str]], ids: dict[str, str], semantic: bool) -> dict[str, Any]:
    t = calibration.load()
    items = [Item("claim", 0, len(p["paraphrase"]), p["paraphrase"], p["paraphrase"]) for p in pairs]
    retriever = Retriever(case.store, semantic=semantic)
    (scored, wall, _) = timed(score_candidates, retriever, items, t)
    ranks = [
        holds(case, cands, ids[str(ESTATE / p["file"])], p["source"])
        for p, (cands, _) in zip(pairs, scored, strict=True)
    ]
    found = [r for r in ranks if r >= 0]
    return {
        "found": len(found),
        "of": len(pairs),
        "recall": round(len(found) / len(pairs), 3),
        "ranks": ranks,
        "seconds": wall,
    }


def statuses(report: dict[str, Any], pairs: list[dict[str, str]], ids: dict[str, str]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    traced = 0
    for item in report["items"]:
        counts[item["status"]] = counts.get(item["status"], 0) + 1
    for p in pairs:
        source = ids[str(ESTATE / p["file"])]
        for item in report["items"]:
            if p["paraphrase"][:40] in item["text"] and any(e["doc_id"] == source for e in item["evidence"]):
                traced += 1
                break
    return {"items": len(report["items"]), "statuses": counts, "traced_to_their_source": traced}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", default=None, help="case database (default: a new one in a temporary folder)")
    parser.add_argument(
        "--index-sample", type=int, default=120, help="random sources indexed besides the pairs'"
    )
    parser.add_argument(
        "--grow-seconds", type=float, default=0, help="then index further random sources for this long"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="check-bench-"))
    db = Path(args.db) if args.db else folder / "estate.db"
    case = Case(db)
    out: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        }
    }
    if case.store.source_count() == 0:
        _, wall, cpu = timed(case.ingest, [str(ESTATE)], kind="source", progress=False)
        out["ingest_estate"] = {"wall_s": wall, "cpu_s": cpu}
    sources = [
        r["id"] for r in case.store.query("SELECT id FROM documents WHERE kind = 'source' ORDER BY id")
    ]
    pairs = load_pairs()
    ids = doc_by_path(case)
    pair_docs = sorted({ids[str(ESTATE / p["file"])] for p in pairs})

    # -- 2. the index: built on a sample, projected onto the estate --------------------------
    total_indexable = 0
    for doc_id in sources:
        text, spans = case.store.indexable_sentences(doc_id)
        total_indexable += sum(1 for s, e in spans if indexable(text[s:e]))
    _, wall, cpu = timed(embed.load)
    out["load_embedding_model"] = {"wall_s": wall, "cpu_s": cpu}
    others = [d for d in sources if d not in pair_docs]
    sample = pair_docs + (
        random.Random(7).sample(others, min(args.index_sample, len(others))) if args.index_sample else others
    )
    built, wall, cpu = timed(build_index, case.store, sample)
    made, made_wall, made_cpu = built.sentences, wall, cpu
    grown: dict[str, Any] = {}
    if args.grow_seconds > 0:  # go on with random other sources for a while: a larger index
        have = {r["doc_id"] for r in case.store.query("SELECT doc_id FROM sentence_vectors")}
        rest = [d for d in sources if d not in have]
        random.Random(11).shuffle(rest)
        began, began_cpu, docs = time.perf_counter(), time.process_time(), 0
        for i in range(0, len(rest), 10):
            if time.perf_counter() - began > args.grow_seconds:
                break
            made += build_index(case.store, rest[i : i + 10]).sentences
            docs += len(rest[i : i + 10])
        grown = {
            "documents": docs,
            "wall_s": round(time.perf_counter() - began, 1),
            "cpu_s": round(time.process_time() - began_cpu, 1),
        }
        made_wall += grown["wall_s"]
        made_cpu += grown["cpu_s"]
    index_module._loaded.clear()  # what a new process pays: read every row of the index
    index, load_wall, load_cpu = timed(SentenceIndex.from_store, case.store)
    indexed = index.size if index else 0
    rate = made / made_wall if made and made_wall else 0.0
    rate_cpu = made / made_cpu if made and made_cpu else 0.0
    out["index"] = {
        "documents_indexed": int(case.store.scalar("SELECT count(*) FROM sentence_vectors") or 0),
        "sentences_indexed": indexed,
        "sample_build": built.to_dict(),
        "grown": grown,
        "sentences_embedded_in_this_run": made,
        "wall_s": round(made_wall, 1),
        "cpu_s": round(made_cpu, 1),
        "sentences_per_s_wall": round(rate, 1) if rate else None,
        "sentences_per_cpu_s": round(rate_cpu, 1) if rate_cpu else None,
        "estate_sources": len(sources),
        "estate_indexable_sentences": total_indexable,
        "projected_minutes_for_whole_estate_wall": round(total_indexable / rate / 60, 1) if rate else None,
        "projected_cpu_minutes_for_whole_estate": round(total_indexable / rate_cpu / 60, 1)
        if rate_cpu
        else None,
        "stored_mb_projected": round(total_indexable * (embed.DIMENSIONS + 12) / 1e6, 1),
        "load_wall_s": load_wall,
        "load_cpu_s": load_cpu,
        "load_projected_s_for_whole_estate": round(load_wall * total_indexable / indexed, 2)
        if indexed
        else None,
        "load_average": os.getloadavg(),
    }

    # -- 3. search over an index of the whole estate's size -------------------------------
    rng = np.random.default_rng(7)
    full = SentenceIndex([], [], (0, 0, 0))
    full.size = total_indexable
    full.vectors = rng.integers(-127, 128, size=(total_indexable, embed.DIMENSIONS), dtype=np.int8)
    full.scales = np.full(total_indexable, 1 / 127 / np.sqrt(embed.DIMENSIONS), dtype=np.float32)
    full.spans = np.zeros((total_indexable, 2), dtype=np.int32)
    full.doc_of = np.zeros(total_indexable, dtype=np.int32)
    full.doc_ids = ["x"]
    queries = rng.standard_normal((41, embed.DIMENSIONS)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    _, wall, cpu = timed(full.search, queries, 48)
    out["search_whole_estate_size"] = {
        "rows": total_indexable,
        "queries": len(queries),
        "wall_s": wall,
        "cpu_s": cpu,
        "memory_mb": round(full.vectors.nbytes / 1e6, 1),
        "method": "exact: int8 rows dequantised in chunks of 32768, one matrix product per chunk",
    }
    del full

    # -- 4. check of a 1,000-word article ---------------------------------------------------
    article = add_article(case, folder, "article-1000-words.txt", article_text())
    case.store.conn.execute(
        "DELETE FROM embeddings WHERE model IN (?, ?)", (embed.STORE_KEY, embed.STORE_KEY + "/item")
    )
    report, wall, cpu = timed(check_article, case.store, article, save=False)
    out["check_1000_words"] = {
        "cold_wall_s": wall,
        "cold_cpu_s": cpu,
        "items": report["summary"]["items"],
        "summary": report["summary"],
    }
    _, wall, cpu = timed(check_article, case.store, article, save=False)
    out["check_1000_words"].update({"warm_wall_s": wall, "warm_cpu_s": cpu})
    _, wall, cpu = timed(check_article, case.store, article, save=False, semantic=False)
    out["check_1000_words"].update({"warm_without_index_wall_s": wall, "warm_without_index_cpu_s": cpu})
    out["check_1000_words"]["load_average"] = os.getloadavg()

    # -- 5. recall of paraphrases -------------------------------------------------------------
    small = Case(folder / "sample.db")
    small.ingest(
        [
            str(Path(r["path"]))
            for r in case.store.query(
                f"SELECT path FROM documents WHERE id IN ({','.join('?' * len(sample))})", sample
            )
        ],
        kind="source",
        progress=False,
    )
    small_ids = doc_by_path(small)
    out["recall"] = {
        "pairs": len(pairs),
        "sample_case_full_text_only": {
            "sources": small.store.source_count(),
            **recall(small, pairs, small_ids, False),
        },
        "estate_full_text_only": {"sources": len(sources), **recall(case, pairs, ids, False)},
        "estate_with_index": {
            "sources": len(sources),
            "indexed_sentences": indexed,
            **recall(case, pairs, ids, True),
        },
    }
    small.close()
    text = "Paraphrases\n\n" + "\n\n".join(p["paraphrase"] for p in pairs) + "\n"
    para_article = add_article(case, folder, "paraphrases.txt", text)
    out["recall"]["check_statuses_with_index"] = statuses(
        check_article(case.store, para_article, save=False), pairs, ids
    )
    out["recall"]["check_statuses_full_text_only"] = statuses(
        check_article(case.store, para_article, save=False, semantic=False), pairs, ids
    )
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    case.close()
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "check.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

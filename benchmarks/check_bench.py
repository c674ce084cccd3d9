"""Check benchmark. Prints and writes benchmarks/results/check.json.

Checks a 1,000-word article (seed 000 followed by the start of seed 002, cut at 1,000 words)
against every estate document as a source, in a case database holding the whole estate
corpus (ingested by this script with `Case.ingest` unless --db already holds sources):

1. analysis of the article (spaCy pipeline; not part of the check itself);
2. the check cold: no sentence embeddings stored yet (wall and CPU seconds, embeddings made);
3. the check warm: the same article again (embeddings reused from the `embeddings` table);
4. the alternative design, embedding every source sentence once: the model's throughput on
   a sample of estate sentences, projected onto the number of sentences of all sources.

    .venv/bin/python benchmarks/check_bench.py [--db estate.db] [--sample 400]
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

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASEGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))

from casegraph.api import Case  # noqa: E402
from casegraph.check import embed  # noqa: E402
from casegraph.check.engine import check_article  # noqa: E402


def article_text(words: int = 1000) -> str:
    seeds = SHARED / "corpus" / "seeds"
    text = (seeds / "000_91a462219fb05cc3.txt").read_text(encoding="utf-8")
    rest = (seeds / "002_bc91926ff72eec43.txt").read_text(encoding="utf-8").split()
    need = words - len(text.split())
    return text + "\n\n" + " ".join(rest[: max(0, need)]) + "\n"


def timed(fn, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="case database (default: a new one in a temporary folder)")
    parser.add_argument("--sample", type=int, default=400, help="sentences for the embedding throughput")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="check-bench-"))
    db = Path(args.db) if args.db else folder / "estate.db"
    case = Case(db)
    out: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        }
    }
    if case.store.source_count() == 0:
        _, wall, cpu = timed(case.ingest, [str(SHARED / "corpus" / "epstein-estate")], kind="source")
        out["ingest_estate"] = {"wall_s": wall, "cpu_s": cpu}
    sources = case.store.source_count()
    sentences = int(
        case.store.scalar(
            "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.doc_id WHERE s.kind = 'sentence' AND d.kind = 'source'"
        )
        or 0
    )
    article = folder / "article-1000-words.txt"
    article.write_text(article_text(), encoding="utf-8")
    out["article"] = {
        "words": len(article.read_text(encoding="utf-8").split()),
        "path": "seed 000 + start of seed 002",
    }
    out["corpus"] = {"sources": sources, "source_sentences": sentences}

    doc_id = case._article_document(str(article))["id"]
    _, wall, cpu = timed(case.analyze, [doc_id], progress=False, resolve=False)
    out["analyze_article"] = {"wall_s": wall, "cpu_s": cpu}
    _, wall, cpu = timed(embed.load)
    out["load_embedding_model"] = {"wall_s": wall, "cpu_s": cpu}

    case.store.conn.execute(
        "DELETE FROM embeddings WHERE model IN (?, ?)", (embed.STORE_KEY, embed.STORE_KEY + "/item")
    )
    report, wall, cpu = timed(check_article, case.store, doc_id, save=False)
    made = case.store.embedding_count(embed.STORE_KEY) + case.store.embedding_count(embed.STORE_KEY + "/item")
    # Other processes on these shared cores change the wall time: say how loaded the machine was.
    out["check_cold"] = {
        "wall_s": wall,
        "cpu_s": cpu,
        "items": report["summary"]["items"],
        "embeddings_made": made,
        "embed_workers": embed.cores(),
        "load_average": os.getloadavg(),
        "summary": report["summary"],
    }
    report, wall, cpu = timed(check_article, case.store, doc_id, save=False)
    now = case.store.embedding_count(embed.STORE_KEY) + case.store.embedding_count(embed.STORE_KEY + "/item")
    out["check_warm"] = {"wall_s": wall, "cpu_s": cpu, "embeddings_made": now - made}

    rows = case.store.query(
        "SELECT s.doc_id, s.start, s.end FROM segments s JOIN documents d ON d.id = s.doc_id"
        " WHERE s.kind = 'sentence' AND d.kind = 'source' ORDER BY s.doc_id, s.start"
    )
    sample = random.Random(7).sample(rows, min(args.sample, len(rows)))
    texts = []
    for r in sample:
        text = case.store.scalar(
            "SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
            (r["start"] + 1, r["end"] - r["start"], r["doc_id"]),
        )
        texts.append(text or "")
    _, wall, cpu = timed(embed.encode, texts)
    rate = len(texts) / wall if wall else 0.0
    out["embed_all_sources_projection"] = {
        "sample_sentences": len(texts),
        "sentences_per_s": round(rate, 1),
        "projected_hours_for_all_source_sentences": round(sentences / rate / 3600, 2) if rate else None,
    }
    out["design"] = (
        "narrow first (FTS5 on rare words + entity mentions -> sentences sharing rare words), then embed "
        "the candidates and cache their vectors in `embeddings`; embedding every source sentence once "
        "is the projected cost above"
    )
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    case.close()
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "check.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

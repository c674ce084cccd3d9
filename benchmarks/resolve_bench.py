"""Resolution before and after incremental resolution: a full resolve, adding one article,
and corrections, on a copy of an existing case (the original is never written).

Before incremental resolution every `analyze` (so `check new-article.html`) and every
correction ended in a full resolve; now a new article joins the stored entities
(`Case.resolve_new`) and a correction changes the entities it touches. For each operation
the script reports wall-clock and CPU seconds of the full resolve it used to run and of what
runs now, and checks the incremental result against a full resolve of the same case
(resolve/compare.py: displaced mentions, differing edges). Prints and writes
benchmarks/results/resolve_<name>.json.

    .venv/bin/python benchmarks/resolve_bench.py --case /work/cases/mid.db [--name mid]
        [--tmp /tmp] [--articles ../shared/corpus/seeds]

The seed articles are removed from the copy first (when the case holds them) so that they
arrive as new articles. CPU seconds are the stable figure on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casegraph.api import Case  # noqa: E402
from casegraph.resolve.compare import compare, snapshot  # noqa: E402


def timed(what: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = what()
    return result, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def copy_case(source: Path, target: Path) -> None:
    """A consistent copy (the backup API reads what is still in the WAL)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def remove_articles(db: Path, paths: list[Path]) -> list[str]:
    """Drop the given articles from the copy (documents and what hangs off them)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        ids = [
            r[0]
            for p in paths
            for r in conn.execute("SELECT id FROM documents WHERE path = ? AND kind = 'article'", (str(p),))
        ]
        for doc_id in ids:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", required=True, type=Path, help="the case to copy (never written)")
    parser.add_argument("--name", default="", help="results go to benchmarks/results/resolve_NAME.json")
    parser.add_argument("--tmp", default=tempfile.gettempdir(), help="where the copies go")
    parser.add_argument("--articles", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds")
    parser.add_argument("--no-compare", action="store_true", help="skip the full resolves to compare with")
    parser.add_argument(
        "--one-full",
        action="store_true",
        help="time the first full resolve only (it also reads e-mail headers)",
    )
    parser.add_argument(
        "--compare-once",
        action="store_true",
        help="compare once, after the corrections (one full resolve, not two)",
    )
    args = parser.parse_args()
    name = args.name or args.case.stem
    work = Path(tempfile.mkdtemp(prefix=f"resolve_bench_{name}_", dir=args.tmp))
    db = work / "case.db"
    articles = sorted(p for p in args.articles.iterdir() if p.is_file())
    out: dict[str, Any] = {
        "case": str(args.case),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    target = ROOT / "benchmarks" / "results" / f"resolve_{name}.json"

    def save() -> None:  # after each stage: a long run that stops still leaves its figures
        target.write_text(json.dumps(out, indent=2) + "\n")

    try:
        copy_case(args.case, db)
        out["articles_removed_first"] = remove_articles(db, articles)
        with Case(db) as case:
            # a first full resolve: migrations, e-mail parties of old documents, the keys
            summary, wall, cpu = timed(case.resolve)
            out["first_full_resolve"] = {"wall_s": wall, "cpu_s": cpu}
            if not args.one_full:
                summary, wall, cpu = timed(case.resolve)
            out["full_resolve"] = {
                "wall_s": wall,
                "cpu_s": cpu,
                "mentions": summary["mentions"],
                "entities": summary["entities"],
                "edges": summary["edges"],
            }
            print("full resolve", out["full_resolve"], flush=True)
            save()
            added = []
            for path in articles:
                _, ingest_wall, _ = timed(
                    lambda p=path: case.ingest([str(p)], kind="article", corpus_pass=False, progress=False)
                )
                doc = case.find_article(str(path))
                _, analyze_wall, _ = timed(
                    lambda d=doc: case.analyze([d["id"]], progress=False, index=False, resolve=False)
                )
                resolved, wall, cpu = timed(case.resolve_new)
                added.append(
                    {
                        "article": path.name,
                        "mentions": resolved.get("mentions"),
                        "mode": resolved.get("mode"),
                        "ingest_wall_s": ingest_wall,
                        "analyze_wall_s": analyze_wall,
                        "resolve_wall_s": wall,
                        "resolve_cpu_s": cpu,
                        "entities_changed": resolved.get("entities_changed"),
                        "entities_new": resolved.get("entities_new"),
                    }
                )
                print("article", added[-1], flush=True)
            out["add_article"] = added
            save()
            if not args.no_compare:
                after_articles = snapshot(case.store)
                copy_case(db, work / "articles.db")
            people = case.entities(type="PERSON")
            small = [e for e in people if 3 <= e["mentions"] <= 30][:2]
            corrections = []
            for label, action in (
                ("rename a person", lambda: case.rename(small[0]["id"], small[0]["name"] + " (renamed)")),
                ("merge two people", lambda: case.merge(small[0]["id"], small[1]["id"])),
                (
                    "merge into the most mentioned person",
                    lambda: case.merge(people[0]["id"], people[5]["id"]),
                ),
                ("delete a person", lambda: case.delete_entity(people[6]["id"])),
            ):
                result, wall, cpu = timed(action)
                corrections.append(
                    {"correction": label, "mode": result.get("mode", "full"), "wall_s": wall, "cpu_s": cpu}
                )
                print("correction", corrections[-1], flush=True)
            out["corrections"] = corrections
            save()
            if not args.no_compare:
                incremental = snapshot(case.store)
        if not args.no_compare:
            takes = [
                ("after_articles", work / "articles.db", after_articles),
                ("after_corrections", db, incremental),
            ]
            for label, copy, state in takes[1:] if args.compare_once else takes:
                full_db = work / "full.db"
                copy_case(copy, full_db)
                with Case(full_db) as full_case:
                    _, wall, cpu = timed(full_case.resolve)
                    full = snapshot(full_case.store)
                full_db.unlink()
                result = {**compare(state, full).summary(), "full_wall_s": wall}
                out.setdefault("against_a_full_resolve", {})[label] = result
                print("against a full resolve", label, result, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    save()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

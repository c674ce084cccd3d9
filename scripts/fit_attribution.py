"""Fit the attribution model (and the speaker resolver) on PolNeAR train and write
src/casegraph/analyze/models/attribution.json.gz and speakers.json.gz.

    .venv/bin/python scripts/fit_attribution.py [--eval ../shared/eval] [--cache /tmp/attr]

Every fifth train article (by name order) is held out to choose the decision threshold and to
report figures; the final weights are refitted on all of train. Dev is never read here: report
on it with `casegraph eval polnear`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casegraph.analyze.attribution import resolve as speaker_model  # noqa: E402
from casegraph.analyze.attribution.find import candidates  # noqa: E402
from casegraph.analyze.attribution.model import LinearModel, decode, features, option_features  # noqa: E402
from casegraph.analyze.attribution.polnear import Article, parse, read_split  # noqa: E402
from casegraph.analyze.attribution.spans import source_tokens  # noqa: E402
from casegraph.analyze.context import DocContext  # noqa: E402
from casegraph.analyze.entities import cluster, find_mentions  # noqa: E402
from casegraph.analyze.pipeline import load_nlp  # noqa: E402
from casegraph.analyze.quotes import quote_marks  # noqa: E402

MODELS = ROOT / "src" / "casegraph" / "analyze" / "models"


def covers(a: tuple[int, int], b: list[tuple[int, int]], share: float = 0.5) -> bool:
    inter = sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in b)
    la, lb = a[1] - a[0], sum(e - s for s, e in b)
    return la > 0 and lb > 0 and inter >= share * la and inter >= share * lb


def contexts(articles: list[Article], parsed: list[list[Any]]) -> list[DocContext]:
    out = []
    for a, chunks in zip(articles, parsed, strict=True):
        ctx = DocContext(a.name, a.text, chunks)
        find_mentions(ctx)
        ctx.quote_ranges = quote_marks(a.text, [(0, len(a.text))])
        cluster(ctx)
        out.append(ctx)
    return out


def fit(rows: list[list[str]], labels: list[int], c: float) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows])
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, labels)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= 1e-3}
    return LinearModel(weights, round(float(clf.intercept_[0]), 4), 0.5)


def end_to_end(
    ctxs: list[DocContext], articles: list[Article], model: LinearModel, sources: LinearModel | None
) -> dict[str, float]:
    tp = tp_src = pred = gold = 0
    for ctx, a in zip(ctxs, articles, strict=True):
        found = decode(ctx, candidates(ctx), model, sources)
        pred += len(found)
        gold += len(a.gold)
        used: set[int] = set()
        for c in found:
            hit = next(
                (i for i, g in enumerate(a.gold) if i not in used and covers(c.content, g.content)), None
            )
            if hit is None:
                continue
            used.add(hit)
            tp += 1
            src = a.gold[hit].source
            if c.source and any(min(c.source[1], e) > max(c.source[0], s) for s, e in src):
                tp_src += 1

    def f1(t: int) -> float:
        p, r = t / max(pred, 1), t / max(gold, 1)
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    return {"content_f1": f1(tp), "content_source_f1": f1(tp_src), "predicted": pred, "gold": gold, "tp": tp}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--cache", default="/tmp/attr")
    ap.add_argument("--c", type=float, default=0.5)
    ap.add_argument("--dry-run", action="store_true", help="report on the held-out fold, write nothing")
    ap.add_argument("--names-only", action="store_true", help="refit only the first-name gender model")
    args = ap.parse_args()
    articles = list(read_split(Path(args.eval), "train"))
    nlp = load_nlp()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    parsed = parse(articles, nlp, cache / "train.spacy")
    ctxs = contexts(articles, parsed)
    if args.names_only:
        names, report = speaker_model.fit_names(ctxs)
        path = MODELS / speaker_model.MODEL_FILE
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        data["names"] = {"weights": names.weights, "bias": names.bias}
        data.setdefault("report", {})["first_name_gender"] = report
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        print("first-name gender:", json.dumps(report))
        return
    rows: list[list[str]] = []
    labels: list[int] = []
    fold: list[bool] = []
    src_rows: list[list[str]] = []
    src_labels: list[int] = []
    src_fold: list[bool] = []
    for k, (ctx, a) in enumerate(zip(ctxs, articles, strict=True)):
        for c in candidates(ctx):
            rows.append(features(ctx, c))
            match = next((g for g in a.gold if covers(c.content, g.content)), None)
            labels.append(int(match is not None))
            fold.append(k % 5 == 4)
            if match is None or not match.source:
                continue
            for o in c.options:
                toks = source_tokens(o.tok)
                s, e = ctx.tstart(o.chunk, toks[0]), ctx.tend(o.chunk, toks[-1])
                src_rows.append(option_features(ctx, c, o))
                src_labels.append(int(any(min(e, ge) > max(s, gs) for gs, ge in match.source)))
                src_fold.append(k % 5 == 4)
    print(f"{len(rows)} candidates, {sum(labels)} positive", flush=True)
    train_rows = [r for r, f in zip(rows, fold, strict=True) if not f]
    train_labels = [y for y, f in zip(labels, fold, strict=True) if not f]
    model = fit(train_rows, train_labels, args.c)
    sources = fit(
        [r for r, f in zip(src_rows, src_fold, strict=True) if not f],
        [y for y, f in zip(src_labels, src_fold, strict=True) if not f],
        1.0,
    )
    held = [(c, a) for k, (c, a) in enumerate(zip(ctxs, articles, strict=True)) if k % 5 == 4]
    best = (0.0, 0.5)
    for t in (0.3, 0.35, 0.4, 0.45):
        model.threshold = t
        r = end_to_end([c for c, _ in held], [a for _, a in held], model, sources)
        print(f"threshold {t}: {r}", flush=True)
        if r["content_source_f1"] + r["content_f1"] > best[0]:
            best = (r["content_source_f1"] + r["content_f1"], t)
    threshold = best[1]
    print(f"chosen threshold {threshold}")
    model.threshold = threshold
    print("rule sources instead:", end_to_end([c for c, _ in held], [a for _, a in held], model, None))
    resolver_report = speaker_model.fit_and_report(
        ctxs, articles, fold, write=None if args.dry_run else MODELS
    )
    print("speaker resolution (held-out fold):", json.dumps(resolver_report))
    if args.dry_run:
        return
    final = fit(rows, labels, args.c)
    final_sources = fit(src_rows, src_labels, 1.0)
    data = {
        "kind": "attribution-logreg",
        "data": "polnear/train",
        "features": "see casegraph.analyze.attribution.model.features",
        "weights": final.weights,
        "bias": final.bias,
        "threshold": threshold,
        "source": {"weights": final_sources.weights, "bias": final_sources.bias, "threshold": 0.0},
    }
    with gzip.open(MODELS / "attribution.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    print("wrote", MODELS / "attribution.json.gz", len(final.weights), "weights")


if __name__ == "__main__":
    main()

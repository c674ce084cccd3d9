"""The part of the public API (casegraph.api.Case) for checking articles against sources (check, eval wice)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from casegraph.errors import NotFoundError
from casegraph.models import CheckReport, DocumentRecord
from casegraph.store import CaseStore


class CheckAPI:
    store: CaseStore

    def check_stored(self, doc_id: str, *, save: bool = True) -> CheckReport:
        """Check a stored, analyzed article's quotes and check-worthy claims against the
        `source` documents (the check stage alone; `Case.check` runs what must come first)."""
        from casegraph.check.engine import check_article

        return check_article(self.store, doc_id, save=save)

    def check_report(self, article: str) -> CheckReport:
        """The latest stored check report of an article."""
        doc = self.find_article(article)
        report = self.store.latest_check(doc["id"])
        if report is None:
            raise NotFoundError(f"no check report stored for {doc['id']}; run `casegraph check {article}`")
        return report

    def find_article(self, key: str) -> DocumentRecord:
        """A stored document by id, id prefix, Bates number, path as ingested, or the path of
        a file whose bytes are already stored."""
        doc = self.store.find_document(key)
        path = Path(key)
        if doc is None and path.is_file():
            doc_id = self.store.document_id_for_sha256(hashlib.sha256(path.read_bytes()).hexdigest())
            doc = self.store.get_document(doc_id, with_text=False) if doc_id else None
        if doc is None:
            raise NotFoundError(
                f"no document {key!r}: give a document id, a path as ingested, or an article file"
            )
        return doc

    def eval_wice(self, data: str | Path | None = None, limit: int | None = None) -> dict[str, Any]:
        """Accuracy of the support score on WiCE's report split against a TF-IDF baseline
        (both fitted on the fit split; see casegraph.check.wice)."""
        return evaluate_wice(data, limit)


def default_wice_path() -> Path:
    root = os.environ.get("CASEGRAPH_EVAL")
    candidates = [Path(root)] if root else []
    candidates += [Path("../shared/eval"), Path(__file__).resolve().parents[3].parent / "shared" / "eval"]
    for folder in candidates:
        if (folder / "wice" / "dev.jsonl").is_file():
            return folder / "wice" / "dev.jsonl"
    return candidates[0] / "wice" / "dev.jsonl"


def evaluate_wice(data: str | Path | None = None, limit: int | None = None) -> dict[str, Any]:
    import time

    from casegraph.check import calibration, wice

    path = Path(data) if data else default_wice_path()
    if path.is_dir():
        path = path / "wice" / "dev.jsonl" if (path / "wice").is_dir() else path / "dev.jsonl"
    if not path.is_file():
        raise NotFoundError(f"WiCE data not found at {path} (give --data or set CASEGRAPH_EVAL)")
    began = time.perf_counter()
    thresholds = calibration.load()
    report_split = [e for e in wice.load(path) if e.split == "report"]
    if limit:
        report_split = report_split[:limit]
    examples = wice.with_unrelated_pages(report_split)
    scored = wice.score_examples(examples)
    baseline = thresholds.fitted.get("baseline_tfidf") or {"support": 0.35, "related": 0.16}
    result = wice.evaluate(scored, thresholds, baseline)
    result["per_status"] = wice.per_status(scored, thresholds)
    result.update(
        {
            "task": "wice",
            "data": str(path),
            "split": "report (claims not used for fitting; see casegraph.check.wice.split_of)",
            "thresholds": {k: v for k, v in thresholds.to_dict().items() if k != "fitted"},
            "seconds": round(time.perf_counter() - began, 1),
        }
    )
    return result

"""Analysis on Dask: one task per batch of documents.

The batches are those a single process would make (`casegraph.analyze.api`: at most 32
documents or 100,000 characters). PostgreSQL: a task reads its documents and writes their
annotations itself, one transaction per document. SQLite: a task returns the annotations and
this process saves them in batch order, so that row ids are those of a single-process run. A
task that fails is retried; a batch that still fails is split into one task per document, so
that a document that cannot be analyzed is recorded as failed with its error and the rest of
its batch is saved.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casegraph.scale.cluster import store_url, worker_store

if TYPE_CHECKING:
    from casegraph.analyze.analyzer import DocAnalysis, Payload
    from casegraph.api import Case
    from casegraph.store.interface import CaseStore

MAX_BATCH_CHARS = 100_000
MAX_BATCH_DOCS = 32
RETRIES = 2


@dataclass
class BatchOutcome:
    """What one analysis task did: the model's label, the documents it analyzed (their
    annotations when this process must save them), words, and failures (id, error)."""

    label: str
    documents: int = 0
    words: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    results: list[DocAnalysis] = field(default_factory=list)


def _label(model: str | None) -> str:
    from casegraph.analyze.pipeline import load_nlp, model_name

    name = model_name(model)
    return f"{name}@{load_nlp(name).meta.get('version', '')}"


def analyze_payloads(payloads: list[Payload], model: str | None) -> BatchOutcome:
    """Task (SQLite): analyze documents sent with their text; return the annotations."""
    from casegraph.analyze.analyzer import analyze_batch
    from casegraph.analyze.pipeline import model_name

    results = analyze_batch(payloads, model_name(model))
    return BatchOutcome(label=_label(model), results=results)


def analyze_in_database(url: str, doc_ids: list[str], model: str | None) -> BatchOutcome:
    """Task (PostgreSQL): read the documents, analyze them, save each in its transaction."""
    from casegraph.analyze.analyzer import VERSION, Payload, analyze_batch
    from casegraph.analyze.pipeline import model_name

    store = worker_store(url)
    label = _label(model)
    payloads = []
    for doc_id in doc_ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            payloads.append(Payload(doc_id, doc["text"], doc["meta"], store.segments(doc_id, "paragraph")))
    outcome = BatchOutcome(label=label)
    for result in analyze_batch(payloads, model_name(model)):
        if result.error:
            store.record_analysis_failure(result.doc_id, label, VERSION, result.error)
            outcome.failed.append((result.doc_id, result.error))
        else:
            store.save_analysis(result, label, VERSION)
            outcome.documents += 1
            outcome.words += result.words
    return outcome


def analyze_distributed(
    case: Case,
    client: Any,
    doc_ids: list[str] | None = None,
    *,
    model: str | None = None,
    force: bool = False,
    progress: bool | None = None,
    index: bool = True,
    resolve: bool = True,
) -> dict[str, Any]:
    """Analyze the documents `Case.analyze` would, as Dask tasks on `client`; then embed
    the source sentences on the workers (`casegraph.scale.embed` with SQLite) and resolve
    here (once, under a lock on PostgreSQL). Returns the
    summary `analyze --json` prints, with `workers` and `retried` added."""
    import distributed
    from tqdm import tqdm

    from casegraph.analyze.analyzer import VERSION, Payload, run_summary

    store = case.store
    url = store_url(store)
    total_docs, total_chars = store.count_documents_to_analyze(force, doc_ids)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(
        total=total_chars, unit="char", unit_scale=True, desc="analyze", disable=not show, file=sys.stderr
    )
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    batch_chars = max(20_000, min(MAX_BATCH_CHARS, total_chars // (workers * 6) or MAX_BATCH_CHARS))
    started = time.perf_counter()

    batches: list[list[Payload]] = []
    sizes: dict[str, int] = {}  # characters of each document, for the progress bar
    last, batch, size = 0, [], 0
    while True:
        rows = store.documents_to_analyze(last, 50, force, doc_ids)
        if not rows:
            break
        last = rows[-1]["rowid"]
        for row in rows:
            paragraphs = [] if url else store.segments(row["id"], "paragraph")
            batch.append(Payload(row["id"], "" if url else row["text"], row["meta"], paragraphs))
            size += len(row["text"])
            sizes[row["id"]] = len(row["text"])
            if size >= batch_chars or len(batch) >= MAX_BATCH_DOCS:
                batches.append(batch)
                batch, size = [], 0
    if batch:
        batches.append(batch)

    def submit(work: list[Payload]) -> Any:
        if url:
            return client.submit(
                analyze_in_database, url, [p.doc_id for p in work], model, retries=RETRIES, pure=False
            )
        return client.submit(analyze_payloads, work, model, retries=RETRIES, pure=False)

    futures = {submit(b): (i, b) for i, b in enumerate(batches)}
    remaining = dict.fromkeys(range(len(batches)), 1)  # tasks of each batch not yet handled
    done: dict[str, Any] = {"documents": 0, "words": 0, "failed": []}
    outcomes: dict[int, BatchOutcome] = {}
    saved = 0  # SQLite: batches saved so far, in order
    retried = 0
    label = ""

    def save(outcome: BatchOutcome) -> None:
        nonlocal label
        label = label or outcome.label
        for result in outcome.results:
            if result.error:
                store.record_analysis_failure(result.doc_id, outcome.label, VERSION, result.error)
                outcome.failed.append((result.doc_id, result.error))
            else:
                store.save_analysis(result, outcome.label, VERSION)
                outcome.documents += 1
                outcome.words += result.words
        outcome.results = []
        done["documents"] += outcome.documents
        done["words"] += outcome.words
        for doc_id, error in outcome.failed:
            done["failed"].append({"doc_id": doc_id, "error": error})
            print(f"analyze: {doc_id}: {error}", file=sys.stderr)

    dask: Any = distributed  # partly annotated: called through Any
    pending = dask.as_completed(list(futures))
    for future in pending:
        i, work = futures[future]
        remaining[i] -= 1
        if future.status == "error":
            error = future.exception()
            if len(work) > 1:  # find the document that fails: one task each
                retried += 1
                for one in work:
                    split = submit([one])
                    futures[split] = (i, [one])
                    remaining[i] += 1
                    pending.add(split)
                outcomes.setdefault(i, BatchOutcome(label=""))
                continue
            failure = f"{type(error).__name__}: {error}"[:1000]
            _record_failure(store, work[0].doc_id, model, failure)
            outcome = outcomes.setdefault(i, BatchOutcome(label=""))
            outcome.failed.append((work[0].doc_id, failure))
        else:
            result: BatchOutcome = future.result()
            outcome = outcomes.setdefault(i, BatchOutcome(label=result.label))
            outcome.label = outcome.label or result.label
            outcome.results += result.results
            outcome.documents += result.documents
            outcome.words += result.words
            outcome.failed += result.failed
        bar.update(sum(sizes.get(p.doc_id, 0) for p in work))
        if not url:  # one writer: save in batch order, as one process would
            while saved in outcomes and remaining[saved] == 0:
                batch_outcome = outcomes[saved]
                batch_outcome.results.sort(key=lambda r: _order(batches[saved], r.doc_id))
                save(batch_outcome)
                saved += 1
    if url:
        for i in sorted(outcomes):
            save(outcomes[i])
    bar.close()
    seconds = time.perf_counter() - started
    summary = {**run_summary(label, done, total_docs, seconds), "workers": workers, "retried": retried}
    if index:  # workers embed; this process stores the vectors as one process would (same bytes)
        from casegraph.scale.embed import embed_on_workers

        summary["index"] = embed_on_workers(store, client, doc_ids, progress=show)
    if resolve and summary["documents"]:
        summary["resolve"] = resolve_once(case)
    return summary


def resolve_once(case: Case) -> dict[str, Any]:
    """Resolve and rebuild the graph; on PostgreSQL under the case-wide lock, so that two
    coordinators finishing at once resolve one after the other, never interleaved."""
    exclusive = getattr(case.store, "exclusive", None)
    if exclusive is None:
        return case.resolve()
    with exclusive("corpus:resolve-run"):
        return case.resolve()


def _record_failure(store: CaseStore, doc_id: str, model: str | None, error: str) -> None:
    from casegraph.analyze.analyzer import VERSION

    store.record_analysis_failure(doc_id, _label(model), VERSION, error)


def _order(batch: list[Any], doc_id: str) -> int:
    for k, p in enumerate(batch):
        if p.doc_id == doc_id:
            return k
    return len(batch)

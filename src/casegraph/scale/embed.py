"""The sentence-embedding index built on Dask workers, with SQLite's one writer.

This process plans the batches a single-process `build_index` run makes
(`casegraph.search.index.plan_batches`: the same documents, the same fresh texts, in the
same order), sends each batch's fresh texts to a worker, which returns their int8 vectors
and scales (`embed_quantized`, 388 bytes a sentence), and stores the batches in order
(`IndexWriter`). The index is the one a single process builds: same rows, same bytes.

At most a few batches per worker are in flight, so that this process holds a bounded part
of the corpus. A batch whose task still fails after its retries is left out, with the
documents of later batches that repeat one of its texts; they are reported per document
and a rerun of `analyze` indexes them.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from casegraph.check import embed
from casegraph.models import AnalysisFailure, SentenceIndexSummary
from casegraph.search.index import (
    BATCH_SENTENCES,
    EmbedBatch,
    IndexSummary,
    IndexWriter,
    embed_quantized,
    index_bar,
    plan_batches,
)

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

RETRIES = 2
IN_FLIGHT_PER_WORKER = 3


def embed_on_workers(
    store: CaseStore,
    client: Any,
    doc_ids: list[str] | None = None,
    *,
    model: str = embed.STORE_KEY,
    progress: bool = False,
    batch_sentences: int = BATCH_SENTENCES,
) -> SentenceIndexSummary:
    """Index the source sentences not yet indexed, the model running on `client`'s workers;
    the summary `build_index` gives, with `workers`, `tasks` and `failed` (id, error) added."""
    import distributed

    summary = IndexSummary(model=model)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    out = summary.to_dict()
    out["workers"], out["tasks"], out["failed"] = workers, 0, []
    total = store.count_sources_without_vectors(model, doc_ids)
    if total == 0:
        return out
    began = time.perf_counter()
    bar = index_bar(total, progress)
    writer = IndexWriter(store, model, summary)
    failed: list[AnalysisFailure] = []
    flight: deque[tuple[EmbedBatch, Any]] = deque()
    dask: Any = distributed  # partly annotated: called through Any
    tasks = 0

    def store_oldest() -> None:
        batch, future = flight.popleft()
        if future is None:  # nothing new to embed: every text came earlier
            skipped = writer.write(batch, embed_quantized([]))
            error = "a sentence it shares with a document that failed was not embedded"
        else:
            dask.wait([future])
            if future.status == "error":
                writer.fail(batch)
                error = f"{type(future.exception()).__name__}: {future.exception()}"[:300]
                skipped = batch.doc_ids
            else:
                skipped = writer.write(batch, future.result())
                error = "a sentence it shares with a document that failed was not embedded"
            future.release()
        for doc_id in skipped:
            failed.append(AnalysisFailure(doc_id=doc_id, error=error))
            print(f"index: {doc_id}: {error}", file=sys.stderr)
        if bar is not None:
            bar.update(len(batch.docs))

    for batch in plan_batches(store, model, doc_ids, batch_sentences):
        future = None
        if batch.fresh:
            future = client.submit(embed_quantized, batch.fresh, retries=RETRIES, pure=False)
            tasks += 1
        flight.append((batch, future))
        while len(flight) > IN_FLIGHT_PER_WORKER * workers:
            store_oldest()
    while flight:
        store_oldest()
    if bar is not None:
        bar.close()
    summary.finish(time.perf_counter() - began)
    out = summary.to_dict()
    out["workers"], out["tasks"], out["failed"] = workers, tasks, failed
    return out

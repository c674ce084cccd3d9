"""Distributed ingest and analysis on Dask (`dask.distributed`).

    casegraph --db postgresql://user@host/case ingest DIR --scheduler tcp://sched:8786
    casegraph --db case.db analyze --workers 8

Ingest runs one task per input file, analysis one task per batch of documents, on a local
cluster (`--workers N`) or an existing scheduler (`--scheduler ADDRESS`). With PostgreSQL
the workers write straight to the database (each unit of work one transaction, see
`casegraph.store.postgres`); with SQLite, which has one writer, the results come back to
this process and are written here, in the order a single process would write them. The
corpus-wide passes (near-duplicates, boilerplate, resolve, the graph) run once, here, under
an advisory lock on PostgreSQL. Failed tasks are retried, then reported per file or per
document; the results are the same as one process's (same ids, same annotations).
"""

from __future__ import annotations

from casegraph.scale.analyze import analyze_distributed
from casegraph.scale.cluster import dask_client
from casegraph.scale.embed import embed_on_workers
from casegraph.scale.ingest import ingest_distributed

__all__ = ["analyze_distributed", "dask_client", "embed_on_workers", "ingest_distributed"]

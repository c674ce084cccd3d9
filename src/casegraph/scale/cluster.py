"""The Dask client: a local cluster of N worker processes, or an existing scheduler."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from casegraph.errors import CasegraphError

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A `distributed.Client` for the block: connected to `scheduler` when given, else to a
    `LocalCluster` of `workers` single-threaded processes, closed at the end."""
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - dask[distributed] is locked and installed
        raise CasegraphError("dask.distributed is not installed: pip install 'dask[distributed]'") from exc
    # distributed's functions are partly annotated: called through Any, checked by the tests
    dask: Any = distributed
    Client, LocalCluster = dask.Client, dask.LocalCluster
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise CasegraphError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    # one thread per worker: spaCy and the parsers are CPU-bound and hold the GIL
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    cluster = LocalCluster(
        n_workers=max(1, workers or 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,  # logging.ERROR
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def store_url(store: CaseStore) -> str | None:
    """The PostgreSQL URL of a store whose workers may write to it directly; None for SQLite."""
    url = getattr(store, "url", None)
    return url if isinstance(url, str) and url.startswith(("postgresql://", "postgres://")) else None


_stores: dict[str, Any] = {}


def worker_store(url: str) -> Any:
    """The PostgreSQL store of this worker process (opened once per process and URL)."""
    store = _stores.get(url)
    if store is None:
        from casegraph.store.postgres import PostgresStore

        store = _stores[url] = PostgresStore(url)
    return store

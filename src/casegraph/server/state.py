"""What the server holds while it runs: its configuration, one open Case per worker thread
(SQLite connections are not shared between threads), and the background jobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fastapi import Query, Request

from casegraph.api import Case
from casegraph.server.config import ServerConfig

if TYPE_CHECKING:
    from casegraph.server.jobs import JobManager

T = TypeVar("T")

MAX_LIMIT = 1000


class ServerState:
    def __init__(self, config: ServerConfig):
        self.config = config
        self._local = threading.local()
        self._all: list[Case] = []
        self._lock = threading.Lock()
        # one connection open for the server's life, and connections opened one at a time:
        # several threads opening a case at once, with no connection open, stalled every
        # query until SQLite's busy timeout (measured with benchmarks/serve_bench.py)
        self._keeper = Case(config.db)
        self._all.append(self._keeper)
        from casegraph.server.jobs import JobManager

        self.jobs: JobManager = JobManager(self)

    def case(self) -> Case:
        """This thread's Case (opened on first use)."""
        case: Case | None = getattr(self._local, "case", None)
        if case is None:
            with self._lock:
                case = Case(self.config.db)
                self._all.append(case)
            self._local.case = case
        return case

    @contextmanager
    def own_case(self) -> Iterator[Case]:
        """A Case of its own, for a background job."""
        case = Case(self.config.db)
        try:
            yield case
        finally:
            case.close()

    def close(self) -> None:
        self.jobs.shutdown()
        with self._lock:
            for case in self._all:
                case.close()
            self._all.clear()


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.casegraph
    return state


class _ThreadCase:
    """The Case of whichever thread uses it. FastAPI may resolve a dependency in one worker
    thread and run the endpoint in another: handing out a thread's Case directly shared its
    SQLite connection between two threads, which deadlocked under load."""

    def __init__(self, state: ServerState):
        self._state = state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state.case(), name)


async def case_dep(request: Request) -> Case:
    """The Case for an endpoint (resolved in the event loop; bound to a thread on use)."""
    return cast(Case, _ThreadCase(state_of(request)))


class Page:
    """limit / offset of a listing, from the query string."""

    def __init__(
        self,
        limit: int = Query(50, ge=1, le=MAX_LIMIT, description="At most this many rows."),
        offset: int = Query(0, ge=0, le=10_000_000, description="Skip this many rows first."),
    ):
        self.limit = limit
        self.offset = offset

    @property
    def end(self) -> int:
        return self.offset + self.limit

    def slice(self, rows: list[T]) -> list[T]:
        return rows[self.offset : self.end]

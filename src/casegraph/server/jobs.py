"""Background jobs: ingest, analyze and check of a new article run in a worker thread, one
at a time (SQLite has one writer), each with an id, a status, progress and a per-file
error list that the UI polls at /api/jobs/ID."""

from __future__ import annotations

import itertools
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from casegraph.errors import CasegraphError

if TYPE_CHECKING:
    from casegraph.api import Case
    from casegraph.server.state import ServerState

JobStatus = Literal["queued", "running", "done", "failed"]
KEEP_JOBS = 200


@dataclass
class FileError:
    path: str
    status: str
    reason: str


@dataclass
class Job:
    id: str
    kind: str
    status: JobStatus = "queued"
    step: str = ""
    done: int = 0
    total: int = 0
    errors: list[FileError] = field(default_factory=list)
    result: Any = None
    error: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "step": self.step,
            "done": self.done,
            "total": self.total,
            "errors": [e.__dict__ for e in self.errors],
            "result": self.result,
            "error": self.error,
            "created": self.created,
            "finished": self.finished,
        }


Work = Callable[["Case", Job], Any]


class JobManager:
    def __init__(self, state: ServerState):
        self.state = state
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, kind: str, work: Work) -> Job:
        job = Job(id=f"{kind}-{next(self._ids)}-{int(time.time())}", kind=kind)
        with self._lock:
            self.jobs[job.id] = job
            if len(self.jobs) > KEEP_JOBS:  # forget the oldest finished ones
                for old in [j for j in self.jobs.values() if j.finished][: len(self.jobs) - KEEP_JOBS]:
                    del self.jobs[old.id]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="casegraph-jobs", daemon=True)
                self._thread.start()
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def list(self) -> list[Job]:
        return sorted(self.jobs.values(), key=lambda j: -j.created)

    def wait(self, job_id: str, timeout: float = 600.0) -> Job:
        """Block until the job has finished (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.jobs[job_id]
            if job.finished is not None or time.monotonic() > deadline:
                return job
            time.sleep(0.05)

    def shutdown(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, work = item
            job.status = "running"
            try:
                with self.state.own_case() as case:
                    job.result = work(case, job)
                job.status = "done"
            except CasegraphError as exc:
                job.status, job.error = "failed", str(exc)
            except Exception as exc:  # a job must end, and say why, whatever went wrong
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            finally:
                job.finished = time.time()

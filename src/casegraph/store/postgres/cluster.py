"""A throwaway PostgreSQL server in a folder (initdb + pg_ctl) for tests and benchmarks.

    with Cluster.start_in(tmp) as cluster:
        url = cluster.create_database("case")

It listens on 127.0.0.1 on a free port, trusts local connections, and runs without fsync
(its data is thrown away). PostgreSQL refuses to run as root: as root, the folder is given
to an unprivileged user (`nobody`) and the server runs as that user (`runuser`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType

import psycopg

from casegraph.store.postgres.base import wait_for

SERVER_USER = "nobody"
SUPERUSER = "casegraph"


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: $PG_BIN, PATH, or Debian's /usr/lib/postgresql/N/bin."""
    candidates = [os.environ.get("PG_BIN", "")]
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, folder: Path, port: int, binaries: Path):
        self.folder = folder
        self.port = port
        self.bin = binaries
        self.data = folder / "data"
        self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"

    @classmethod
    def start_in(cls, folder: str | Path | None = None) -> Cluster:
        """Start a server in `folder` (a new temporary folder by default; as root, the
        server's user must be able to reach it, which a folder under another private
        temporary folder is not)."""
        binaries = bin_dir()
        if binaries is None:
            raise FileNotFoundError("PostgreSQL's initdb and pg_ctl were not found (set PG_BIN)")
        where = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="casegraph-pg-"))
        where.mkdir(parents=True, exist_ok=True)
        cluster = cls(where, free_port(), binaries)
        cluster._start()
        return cluster

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}"
            )

    def _start(self) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chmod(self.folder, 0o755)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )
        wait_for(self.url)

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of the database `template` (its name; nobody may
        be connected to it while it is copied); its URL."""
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections to it are left."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# One cluster per process, started on first use (tests: stopped at the end of the session).
_shared: Cluster | None = None
_shared_lock = threading.Lock()
_databases = 0


def shared_database(prefix: str = "case", template: str | None = None) -> str:
    """A fresh database on this process's shared throwaway cluster (started if needed):
    empty, or a copy of the database at the URL `template` (on the same cluster)."""
    global _shared, _databases
    with _shared_lock:
        if _shared is None:
            _shared = Cluster.start_in()
        _databases += 1
        source = template.rsplit("/", 1)[1] if template else None
        return _shared.create_database(f"{prefix}_{os.getpid()}_{_databases}", source)


def stop_shared() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None

"""One real case for the server tests, built once per session: the two seed articles, a few
estate documents as sources, and hostile documents carrying script, event-handler and
`javascript:` payloads; analyzed by the real pipeline, the first seed checked. Tests that
change the case get a copy of it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ESTATE, SEED_KAZAKH, SEEDS, copy_case, for_reading, new_case_db

SOURCES = [
    ESTATE / "Emails" / "HOUSE_OVERSIGHT_011277.json",
    ESTATE / "Emails" / "HOUSE_OVERSIGHT_011280.json",
    ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_023126.txt",  # Miami Herald story: Sloman, Acosta
    ESTATE / "Merged Documents" / "HOUSE_OVERSIGHT_010477.txt",
]

# Every payload sets window.__xss (or opens a dialog) if it ever runs.
HOSTILE_TEXT = """Hostile memo <script>window.__xss = 1; alert(1)</script> about the plea deal.

Jeffrey Epstein met Ghislaine Maxwell in New York <img src=x onerror="window.__xss=2;alert(2)">.

Click <a href="javascript:window.__xss=3">javascript:window.__xss=3</a> for the full file.

"><svg onload="window.__xss=4"></svg><iframe src="javascript:alert(5)"></iframe>

Alexander Acosta said "the deal <b onmouseover=window.__xss=6>was fair</b>" in Miami.
"""
HOSTILE_HTML = """<html><head><title>Exposé &lt;script&gt;window.__xss=7&lt;/script&gt; of the deal</title></head>
<body><article><h1>Exposé of the deal</h1>
<p>Jeffrey Epstein met Ghislaine Maxwell, the memo says &lt;img src=x onerror=window.__xss=8&gt;.</p>
<p>Read it at javascript:alert(9) or <a href="javascript:alert(10)">here</a>.</p>
<p>Alexander Acosta said the deal was fair, according to the Miami Herald.</p>
</article></body></html>
"""


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    memo = folder / "hostile <script>memo.txt"
    memo.write_text(HOSTILE_TEXT, encoding="utf-8")
    page = folder / "expose.html"
    page.write_text(HOSTILE_HTML, encoding="utf-8")
    return {"memo": memo, "html": page}


@pytest.fixture(scope="session")
def server_db(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, hostile_files: dict[str, Path]
) -> Path | str:
    """The built case (SQLite or PostgreSQL: CASEGRAPH_TEST_DB), for tests that only read."""
    from casegraph.api import Case

    path = new_case_db(tmp_path_factory.mktemp("server"))
    with Case(path) as case:
        case.ingest([SEEDS], kind="article", progress=False)
        case.ingest([str(hostile_files["html"])], kind="article", progress=False)
        case.ingest([*map(str, SOURCES), str(hostile_files["memo"])], kind="source", progress=False)
        case.analyze(progress=False)
        case.check(str(SEED_KAZAKH))
    return for_reading(path)


def copy_db(source: Path | str, target: Path) -> Path | str:
    """A private copy of a case (see tests.conftest.copy_case)."""
    return copy_case(source, target)


@pytest.fixture(scope="session")
def ids(server_db: Path, hostile_files: dict[str, Path]) -> dict[str, str]:
    """Ids of the documents and entities the tests visit."""
    from casegraph.api import Case

    with Case(server_db) as case:
        docs = case.docs()
        by_path = {Path(d["path"]).name: d["id"] for d in docs}
        top = case.entities(limit=2)
        return {
            "seed": by_path[SEED_KAZAKH.name],
            "memo": by_path[hostile_files["memo"].name],
            "html": by_path[hostile_files["html"].name],
            "herald": by_path["HOUSE_OVERSIGHT_023126.txt"],
            "email": by_path["HOUSE_OVERSIGHT_011277.json"],
            "top": top[0]["id"],
            "second": top[1]["id"],
        }


def make_client(db: Path | str, **options: Any) -> Any:
    from fastapi.testclient import TestClient

    from casegraph.server import ServerConfig, create_app

    return TestClient(create_app(ServerConfig(db=str(db), **options)), base_url="http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def client(server_db: Path) -> Iterator[Any]:
    """A client of the shared case, for tests that only read."""
    with make_client(server_db) as c:
        yield c


@pytest.fixture
def writable(server_db: Path, tmp_path: Path) -> Iterator[Any]:
    """A client of a private copy of the case, with a CSRF token ready."""
    with make_client(copy_db(server_db, tmp_path / "case.db"), uploads_dir=tmp_path / "uploads") as c:
        c.get("/")
        c.headers["X-CSRF-Token"] = c.cookies["cg_csrf"]
        yield c


# -- a live server for the browser tests ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(server_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from casegraph.server import ServerConfig, create_app

    folder = tmp_path_factory.mktemp("live")
    db = copy_db(server_db, folder / "case.db")
    port = free_port()
    app = create_app(ServerConfig(db=str(db), port=port, uploads_dir=folder / "uploads"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()

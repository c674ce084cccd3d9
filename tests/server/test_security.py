"""Security of the server: headers and CSP on every page, CSRF defence on POST, read-only
mode, tokens on non-loopback binds (bearer or login cookie), upload limits and file names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casegraph.errors import CasegraphError
from casegraph.server.config import ServerConfig, check_bind, is_loopback, read_tokens
from casegraph.server.routers.work import safe_name
from tests.server.conftest import copy_db, make_client

TOKEN = "s3cret-token-for-the-tests-0123456789"


def test_every_page_carries_a_strict_csp(client: Any, ids: dict[str, str]) -> None:
    for url in [
        "/",
        "/search?q=Epstein",
        f"/doc/{ids['seed']}",
        f"/entity/{ids['top']}",
        "/graph",
        "/api/search?q=x",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_remote_asset(client: Any, ids: dict[str, str]) -> None:
    import re

    for url in [
        "/",
        f"/doc/{ids['seed']}",
        f"/entity/{ids['top']}",
        "/graph",
        f"/path?a={ids['top']}&b={ids['second']}",
        "/check",
        "/ingest",
    ]:
        html = client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url
        assert " on" not in " ".join(re.findall(r"<[a-z]+\s[^>]*\son[a-z]+=", html)), url


def test_hostile_text_is_escaped_in_the_html(client: Any, ids: dict[str, str]) -> None:
    import re

    html = client.get(f"/doc/{ids['memo']}").text
    assert "&lt;script&gt;window.__xss = 1" in html
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert not re.search(r"<a\s[^>]*href=[\"']?\s*javascript:", html, re.I)  # escaped text, never a link
    assert "&lt;a href=" in html
    found = client.get("/search?q=onerror").text
    assert "&lt;img" in found and "<img src=x" not in found


def test_post_needs_the_csrf_token(server_db: Path, tmp_path: Path, ids: dict[str, str]) -> None:
    with make_client(copy_db(server_db, tmp_path / "c.db"), uploads_dir=tmp_path / "u") as c:
        c.get("/")
        url = f"/api/entities/{ids['second']}/rename"
        missing = c.post(url, json={"name": "Nope"})
        assert missing.status_code == 403 and "CSRF" in missing.json()["detail"]
        wrong = c.post(url, json={"name": "Nope"}, headers={"X-CSRF-Token": "forged"})
        assert wrong.status_code == 403
        token = c.cookies["cg_csrf"]
        other_site = c.post(
            url, json={"name": "Nope"}, headers={"X-CSRF-Token": token, "Origin": "http://evil.example"}
        )
        assert other_site.status_code == 403 and "cross-origin" in other_site.json()["detail"]
        ok = c.post(
            url, json={"name": "Renamed"}, headers={"X-CSRF-Token": token, "Origin": "http://127.0.0.1:8000"}
        )
        assert ok.status_code == 200, ok.text


def test_csrf_cookie_is_samesite_strict(server_db: Path) -> None:
    with make_client(server_db) as c:
        header = c.get("/").headers["set-cookie"]
        assert "cg_csrf=" in header and "SameSite=Strict" in header and "HttpOnly" in header


def test_read_only_refuses_every_write(server_db: Path, tmp_path: Path, ids: dict[str, str]) -> None:
    with make_client(server_db, read_only=True, uploads_dir=tmp_path / "u") as c:
        c.get("/")
        c.headers["X-CSRF-Token"] = c.cookies["cg_csrf"]
        for url, body in [
            ("/api/corrections/merge", {"ids": [ids["top"], ids["second"]]}),
            (f"/api/entities/{ids['top']}/rename", {"name": "x"}),
            (f"/api/entities/{ids['top']}/delete", None),
            ("/api/corrections/1/undo", None),
            ("/api/check", {"article": ids["seed"]}),
            ("/api/analyze", {}),
        ]:
            response = c.post(url, json=body)
            assert response.status_code == 403 and "read-only" in response.json()["detail"], url
        upload = c.post("/api/ingest", files={"files": ("a.txt", b"hello", "text/plain")})
        assert upload.status_code == 403
        assert c.get("/api/search?q=Epstein").status_code == 200
        assert "read-only" in c.get("/").text
        assert 'id="corrections"' not in c.get(f"/entity/{ids['top']}").text
        assert not (tmp_path / "u").exists()


def test_tokens_bearer_and_login(server_db: Path, tmp_path: Path) -> None:
    with make_client(server_db, tokens=frozenset({TOKEN}), host="0.0.0.0") as c:
        assert c.get("/api/search?q=Epstein").status_code == 401
        assert (
            c.get(
                "/api/search?q=Epstein", headers={"Authorization": "Bearer wrong-token-0123456789"}
            ).status_code
            == 401
        )
        assert c.get("/api/search?q=Epstein", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        page = c.get("/search?q=Epstein", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert c.get("/static/css/app.css").status_code == 200
        login = c.get("/login")
        assert login.status_code == 200
        csrf = c.cookies["cg_csrf"]
        bad = c.post("/login", data={"token": "nope", "csrf": csrf, "next": "/"}, follow_redirects=False)
        assert bad.status_code == 401
        forged = c.post(
            "/login", data={"token": TOKEN, "csrf": "forged", "next": "/"}, follow_redirects=False
        )
        assert forged.status_code == 403
        good = c.post(
            "/login", data={"token": TOKEN, "csrf": csrf, "next": "//evil.example/"}, follow_redirects=False
        )
        assert good.status_code == 303 and good.headers["location"] == "/"
        cookie = good.headers["set-cookie"]
        assert "cg_session=" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        assert TOKEN not in cookie  # a keyed hash, not the token
        assert c.get("/search?q=Epstein").status_code == 200
        assert c.get("/api/search?q=Epstein").status_code == 200
        # a write from the logged-in browser still needs the CSRF header
        assert c.post("/api/analyze", json={}).status_code == 403


def test_non_loopback_bind_needs_tokens(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(CasegraphError, match="token"):
        check_bind(ServerConfig(db="x.db", host="0.0.0.0"))
    check_bind(ServerConfig(db="x.db", host="0.0.0.0", tokens=frozenset({TOKEN})))
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    with pytest.raises(CasegraphError, match="16"):
        read_tokens(short)
    good = tmp_path / "tokens.txt"
    good.write_text(f"# comment\n\n{TOKEN}\n", encoding="utf-8")
    assert read_tokens(good) == {TOKEN}


def test_serve_command_refuses_an_open_bind(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casegraph", "--db", str(tmp_path / "c.db"), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "token-file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/report.pdf", "report.pdf"),
        ("....", "upload"),
        (".bashrc", "bashrc"),
        ("a<script>.txt", "a_script_.txt"),
        ("", "upload"),
        (None, "upload"),
    ],
)
def test_uploaded_names_never_reach_outside(given: str | None, expected: str) -> None:
    assert safe_name(given) == expected


def test_upload_limits(server_db: Path, tmp_path: Path) -> None:
    with make_client(
        copy_db(server_db, tmp_path / "c.db"),
        uploads_dir=tmp_path / "u",
        max_upload_bytes=50_000,
        max_upload_files=3,
    ) as c:
        c.get("/")
        c.headers["X-CSRF-Token"] = c.cookies["cg_csrf"]
        big = c.post("/api/ingest", files={"files": ("big.txt", b"x" * 60_000, "text/plain")})
        assert big.status_code == 413 and "too large" in big.json()["detail"]
        many = c.post(
            "/api/ingest", files=[("files", (f"{i}.txt", b"hello", "text/plain")) for i in range(5)]
        )
        assert many.status_code == 400 and "files" in many.json()["detail"].lower()
        none = c.post("/api/ingest", data={"kind": "source"}, files=[])
        assert none.status_code in (400, 422)
        assert none.json()["detail"]
        wrong_kind = c.post(
            "/api/ingest", data={"kind": "memo"}, files={"files": ("a.txt", b"hello", "text/plain")}
        )
        assert wrong_kind.status_code == 422


def test_only_loopback_names_without_tokens(client: Any) -> None:
    """DNS rebinding: a site whose name now points at 127.0.0.1 must not read the case."""
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"):
        assert client.get("/api/documents?limit=1", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
        response = client.get("/api/documents?limit=1", headers={"host": host})
        assert response.status_code == 421, host


def test_with_tokens_any_host_name(server_db: Path) -> None:
    with make_client(server_db, tokens=frozenset({TOKEN}), host="0.0.0.0") as c:
        ok = c.get(
            "/api/documents?limit=1", headers={"host": "case.example.org", "Authorization": f"Bearer {TOKEN}"}
        )
        assert ok.status_code == 200


def test_uploads_of_a_database_server_case_go_to_a_named_folder_without_the_password() -> None:
    root = ServerConfig(db="postgresql://reporter:s3cret@dbhost:5432/estate").upload_root
    assert root.is_absolute() and root.name == "casegraph-uploads-estate"
    assert "s3cret" not in str(root) and "dbhost" not in str(root)
    assert ServerConfig(db="/cases/c.db").upload_root == Path("/cases/c.db.uploads")

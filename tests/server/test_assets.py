"""Third-party JavaScript is vendored, pinned and licensed; every asset a page names exists."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

SERVER = Path(__file__).resolve().parents[2] / "src" / "casegraph" / "server"
VENDOR = SERVER / "static" / "vendor"


def test_vendored_files_match_their_manifest() -> None:
    manifest = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest, "the vendor manifest is empty"
    for name, entry in manifest.items():
        data = (VENDOR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["file_sha256"], name
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]), name
        assert entry["integrity"].startswith("sha512-"), name
        licence = (VENDOR / entry["license_file"]).read_text(encoding="utf-8")
        assert "Permission is hereby granted" in licence or "License" in licence, name
        assert f'"{entry["version"]}"'.encode() in data, f"{name}: the file is not version {entry['version']}"


def test_pages_only_name_assets_that_exist(client: Any, ids: dict[str, str]) -> None:
    for url in [
        "/",
        "/graph",
        f"/path?a={ids['top']}&b={ids['second']}",
        f"/doc/{ids['seed']}",
        "/check",
        "/ingest",
    ]:
        html = client.get(url).text
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            response = client.get(asset)
            assert response.status_code == 200, (url, asset)
            assert "content-security-policy" in response.headers

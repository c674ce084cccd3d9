"""Long work as background jobs: ingest of uploads (files, an archive, a broken file) with
progress and per-file errors; check of a pasted article; analyze."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tests.conftest import ESTATE


def wait(client: Any, job: dict[str, Any]) -> dict[str, Any]:
    state: ServerStateLike = client.app.state.casegraph
    state.jobs.wait(job["id"], timeout=600)
    final: dict[str, Any] = client.get(f"/api/jobs/{job['id']}").json()
    return final


ServerStateLike = Any


def test_ingest_uploads_as_a_job(writable: Any, tmp_path: Any) -> None:
    email = (ESTATE / "Emails" / "HOUSE_OVERSIGHT_011904.json").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "folder/note.txt", "Ghislaine Maxwell wrote to Jeffrey Epstein about the Palm Beach house.\n"
        )
        z.writestr("folder/empty.txt", "")
    before = len(writable.get("/api/documents?limit=1000").json())
    response = writable.post(
        "/api/ingest",
        data={"kind": "source", "analyze": "1"},
        files=[
            ("files", ("../../HOUSE_OVERSIGHT_011904.json", email, "application/json")),
            ("files", ("folder.zip", archive.getvalue(), "application/zip")),
            ("files", ("broken.pdf", b"%PDF-1.7\n garbage without any object", "application/pdf")),
        ],
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("queued", "running") and job["kind"] == "ingest"
    final = wait(writable, job)
    assert final["status"] == "done", final
    assert final["done"] == final["total"] == 4  # three files, then the analysis
    failed = {e["path"]: e for e in final["errors"]}
    assert any(p.startswith("broken.pdf") for p in failed), final["errors"]
    assert any("empty.txt" in p for p in failed), final["errors"]
    assert all(not p.startswith("/") for p in failed)  # shown as uploaded, not as stored
    after = writable.get("/api/documents?limit=1000").json()
    assert len(after) >= before + 2
    new_paths = [d["path"] for d in after]
    assert any(p.endswith("HOUSE_OVERSIGHT_011904.json") for p in new_paths)
    assert any("folder.zip!" in p and p.endswith("note.txt") for p in new_paths)
    assert final["result"]["analyze"]["documents"] >= 2
    assert writable.get("/api/jobs").json()[0]["id"] == job["id"]
    # the uploaded name was reduced to a plain file name inside the upload folder
    state = writable.app.state.casegraph
    stored = list(state.config.upload_root.rglob("*.json"))
    assert [p.name for p in stored] == ["HOUSE_OVERSIGHT_011904.json"]


def test_check_pasted_article_as_a_job(writable: Any) -> None:
    text = (
        "Epstein Deal Revisited\n\n"
        "About 50 members of Congress demanded the probe following a Miami Herald series of stories, "
        "the documents show.\n\n"
        '"They cut a deal which they have to know was a failure," said Marci Hamilton, a law professor.\n'
    )
    response = writable.post("/api/check/new", data={"title": "Pasted", "text": text})
    assert response.status_code == 202, response.text
    final = wait(writable, response.json())
    assert final["status"] == "done", final
    article = final["result"]["article"]
    report = writable.get(f"/api/checks/{article}").json()
    assert report["summary"]["items"] >= 1
    assert writable.get(f"/api/documents/{article}").json()["kind"] == "article"
    page = writable.get(f"/check/{article}")
    assert page.status_code == 200 and "Marci Hamilton" in page.text


def test_check_new_needs_text_or_file(writable: Any) -> None:
    assert writable.post("/api/check/new", data={"title": "x"}).status_code == 422
    both = writable.post(
        "/api/check/new", data={"text": "abc"}, files={"files": ("a.txt", b"hello", "text/plain")}
    )
    assert both.status_code == 422


def test_analyze_job(writable: Any, ids: dict[str, str]) -> None:
    response = writable.post("/api/analyze", json={"doc_ids": [ids["memo"]]})
    assert response.status_code == 202
    final = wait(writable, response.json())
    assert final["status"] == "done" and final["result"]["documents"] == 1

"""Long work as background jobs (ingest of uploads, analyze, check) and exports."""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from casegraph import models
from casegraph.api import Case
from casegraph.errors import NotFoundError
from casegraph.models import AnalyzeSummary
from casegraph.server.jobs import FileError, Job
from casegraph.server.schemas import AnalyzeIn, CheckIn, CheckJobResult, IngestJobResult, JobOut, documented
from casegraph.server.state import ServerState, case_dep, state_of

router = APIRouter(prefix="/api", tags=["jobs"])

_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def safe_name(name: str | None, fallback: str = "upload") -> str:
    """A file name built from what the client sent, reduced to a plain base name: no folder,
    no leading dot, nothing but letters, digits and a few punctuation marks."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")[:120]
    return base or fallback


def job_folder(state: ServerState) -> Path:
    folder = state.config.upload_root / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    return folder


async def save_uploads(request: Request, state: ServerState) -> tuple[Path, list[Path], dict[str, str]]:
    """Save the files of a multipart form under a fresh folder of the server's upload root
    (names reduced by `safe_name`); return the folder, the files and the other fields."""
    cfg = state.config
    form = await request.form(max_files=cfg.max_upload_files, max_fields=20)
    fields: dict[str, str] = {}
    uploads: list[UploadFile] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                uploads.append(value)
        elif len(value) <= cfg.max_paste_chars:
            fields[key] = value
        else:
            raise HTTPException(413, f"field {key!r} too long (limit {cfg.max_paste_chars} characters)")
    folder = job_folder(state)
    files: list[Path] = []
    used: set[str] = set()
    for i, upload in enumerate(uploads):
        name = safe_name(upload.filename)
        if name in used:
            name = f"{i}_{name}"
        used.add(name)
        target = folder / name
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        files.append(target)
    await form.close()
    return folder, files, fields


def _kind(value: str | None) -> Literal["source", "article"]:
    if value in (None, "", "source"):
        return "source"
    if value == "article":
        return "article"
    raise HTTPException(422, "kind must be 'source' or 'article'")


def ingest_work(files: list[Path], kind: str, analyze: bool) -> Any:
    def work(case: Case, job: Job) -> IngestJobResult:
        job.total = len(files) + (1 if analyze else 0)
        counts: dict[str, int] = {}
        for path in files:
            job.step = f"ingesting {path.name}"
            summary = case.ingest([str(path)], kind=kind, progress=False, corpus_pass=False)
            for key, n in summary["counts"].items():
                counts[key] = counts.get(key, 0) + int(n)
            for err in summary["errors"]:
                job.errors.append(
                    FileError(path=_shown(err["path"], path), status=err["status"], reason=err["reason"])
                )
            job.done += 1
        job.step = "near-duplicates and boilerplate"
        final = case.ingest([], kind=kind, progress=False)
        result = IngestJobResult(counts=counts, documents=final["documents"])
        if analyze:
            job.step = "analyzing"
            result["analyze"] = case.analyze(progress=False)
            job.done += 1
        job.step = "done"
        return result

    return work


def _shown(path: str, upload: Path) -> str:
    """The path of an error as the user knows it: the uploaded name (and archive member)."""
    folder = str(upload.parent) + "/"
    return path[len(folder) :] if path.startswith(folder) else path


@router.post("/ingest", status_code=202, responses={202: {"model": JobOut}})
async def ingest(request: Request) -> Any:
    """Upload files (archives for folders; load files too) as multipart `files`, with `kind`
    (source or article) and `analyze` (1 or 0). Returns a job to poll at /api/jobs/ID."""
    state = state_of(request)
    folder, files, fields = await save_uploads(request, state)
    if not files:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(422, "no file uploaded (multipart field 'files')")
    kind = _kind(fields.get("kind"))
    analyze = fields.get("analyze", "1") not in ("0", "false", "")
    return state.jobs.submit("ingest", ingest_work(files, kind, analyze)).to_dict()


@router.post("/analyze", status_code=202, responses={202: {"model": JobOut}})
def analyze(body: AnalyzeIn, request: Request) -> Any:
    """Analyze the documents not yet analyzed (or `doc_ids`) as a job."""
    ids = list(body.doc_ids) or None

    def work(case: Case, job: Job) -> AnalyzeSummary:
        job.step, job.total = "analyzing", 1
        result = case.analyze(ids, force=bool(ids), progress=False)
        job.errors += [FileError(f["doc_id"], "failed", f["error"]) for f in result["failed"]]
        job.done = 1
        return result

    return state_of(request).jobs.submit("analyze", work).to_dict()


def check_work(article: str) -> Any:
    def work(case: Case, job: Job) -> CheckJobResult:
        job.step, job.total = "checking (the first check loads the models)", 1
        report = case.check(article)
        job.done = 1
        job.step = "done"
        return CheckJobResult(article=report["article"]["id"], summary=report["summary"])

    return work


@router.post("/check", status_code=202, responses={202: {"model": JobOut}})
def check(body: CheckIn, request: Request, case: Case = Depends(case_dep)) -> Any:
    """Check an article of the case (by document id) against the sources, as a job; the
    report is then at /api/checks/ID."""
    doc = case.store.find_document(body.article)
    if doc is None:
        raise NotFoundError(f"no document {body.article!r}")
    if doc["kind"] != "article":
        raise HTTPException(422, f"{doc['id']} is a source, not an article")
    return state_of(request).jobs.submit("check", check_work(doc["id"])).to_dict()


@router.post("/check/new", status_code=202, responses={202: {"model": JobOut}})
async def check_new(request: Request) -> Any:
    """Check a new article: a multipart `file`, or pasted `text` (with an optional `title`).
    It is ingested as an article, analyzed, then checked."""
    state = state_of(request)
    folder, files, fields = await save_uploads(request, state)
    text = fields.get("text", "").strip()
    if len(files) > 1 or (files and text):
        raise HTTPException(422, "give one file or pasted text, not both")
    if not files:
        if not text:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(422, "give a file ('file') or the article's text ('text')")
        title = " ".join(fields.get("title", "").split())[:200]
        pasted = folder / "pasted-article.txt"
        pasted.write_text((title + "\n\n" if title else "") + text + "\n", encoding="utf-8")
        files = [pasted]
    return state.jobs.submit("check", check_work(str(files[0]))).to_dict()


@router.get("/jobs", responses={200: {"model": list[JobOut]}})
def jobs(request: Request) -> list[Any]:
    """Background jobs, newest first."""
    return [j.to_dict() for j in state_of(request).jobs.list()]


@router.get("/jobs/{job_id}", responses={200: {"model": JobOut}})
def job(job_id: str, request: Request) -> Any:
    found = state_of(request).jobs.get(job_id)
    if found is None:
        raise NotFoundError(f"no job {job_id!r}")
    return found.to_dict()


@router.get("/checks/{article}", tags=["check"], responses=documented(models.CheckReport))
def check_report(article: str, case: Case = Depends(case_dep)) -> Any:
    """The latest stored check report of an article (`casegraph check --json`)."""
    return case.check_report(article)


@router.get("/checks/{article}/report.{fmt}", tags=["check"])
def check_download(article: str, fmt: Literal["html", "md"], case: Case = Depends(case_dep)) -> Response:
    """The latest report as a download, self-contained HTML or Markdown."""
    from casegraph.check.report import render

    report = case.check_report(article)
    media = "text/html" if fmt == "html" else "text/markdown"
    name = safe_name(f"check-{report['article']['id']}.{fmt}")
    return Response(
        render(report, fmt),
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


EXPORT_FILES = {"gexf": "graph.gexf", "graphml": "graph.graphml", "ftm": "entities.ftm.json"}


@router.get("/export", tags=["export"])
def export(
    format: Literal["gexf", "graphml", "ftm", "csv", "neo4j"], case: Case = Depends(case_dep)
) -> FileResponse:
    """The graph as a download (`casegraph export`): one file, or a zip for csv and neo4j."""
    work = Path(tempfile.mkdtemp(prefix="casegraph-export-"))
    if format in EXPORT_FILES:
        target = work / EXPORT_FILES[format]
        case.export(format, target)
    else:
        case.export(format, work / format)
        target = Path(shutil.make_archive(str(work / f"casegraph-{format}"), "zip", work / format))
    return FileResponse(
        target,
        filename=target.name,
        background=BackgroundTask(shutil.rmtree, work, ignore_errors=True),
    )

"""CLI commands of the ingest stage: ingest, docs, show, search, log."""

from __future__ import annotations

import click

from casegraph.cli import case_of, emit, json_option, main
from casegraph.cli.safety import COUNT
from casegraph.models import DocumentView, IngestSummary
from casegraph.scale.options import distributed_options


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--kind",
    type=click.Choice(["source", "article"]),
    default="source",
    show_default=True,
    help="Primary documents (source) or articles written about them (article).",
)
@click.option("--ocr/--no-ocr", default=False, help="OCR scanned PDFs with tesseract (slow).")
@click.option("--ocr-lang", default="eng", show_default=True, help="Tesseract language(s), e.g. eng+rus.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
@click.option(
    "--max-files",
    type=click.IntRange(min=0),
    default=None,
    help="Ingest only the first N files in sorted walk order (a sample); load files are always applied.",
)
@distributed_options
@json_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    kind: str,
    ocr: bool,
    ocr_lang: str,
    progress: bool | None,
    max_files: int | None,
    workers: int | None,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """Ingest files, folders and archives. Bad files are reported on stderr and skipped;
    a run that was interrupted resumes where it stopped."""
    if workers or scheduler:  # one task per file on Dask (casegraph.scale)
        from casegraph.scale import dask_client, ingest_distributed

        with dask_client(workers, scheduler) as client:
            distributed = ingest_distributed(
                case_of(ctx),
                client,
                list(paths),
                kind=kind,
                progress=progress,
                max_files=max_files,
                ocr=ocr,
                ocr_lang=ocr_lang,
            )
        emit(distributed, as_json, render=_render_summary)
        return
    summary = case_of(ctx).ingest(
        paths, kind=kind, ocr=ocr, ocr_lang=ocr_lang, progress=progress, max_files=max_files
    )
    emit(summary, as_json, render=_render_summary)


def _render_summary(summary: IngestSummary) -> str:
    counts = summary.get("counts", {})
    line = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ingested", "duplicate", "skipped", "failed"))
    if counts.get("unchanged"):
        line += f", {counts['unchanged']} unchanged since an earlier run"
    return f"{line} ({summary.get('documents', 0)} documents in the database)"


@main.command()
@click.option("--kind", type=click.Choice(["source", "article"]), default=None)
@click.option("--limit", type=COUNT, default=None)
@json_option
@click.pass_context
def docs(ctx: click.Context, kind: str | None, limit: int | None, as_json: bool) -> None:
    """List documents."""
    rows = case_of(ctx).docs(kind=kind, limit=limit)
    emit(rows, as_json, ["id", "kind", "lang", "title", "path"])


@main.command()
@click.argument("doc")
@json_option
@click.pass_context
def show(ctx: click.Context, doc: str, as_json: bool) -> None:
    """Text and metadata of one document (by id, Bates number or path)."""
    row = case_of(ctx).show(doc)
    emit(row, as_json, render=_render_document)


def _render_document(doc: DocumentView) -> str:
    head = [
        f"{k}: {doc[k]}"
        for k in ("id", "kind", "path", "title", "author", "date", "custodian", "mime", "lang", "parent_id")
        if doc.get(k)
    ]
    head += [f"{k}: {v}" for k, v in sorted(doc.get("meta", {}).items()) if v not in (None, "", [], {})]
    return "\n".join(head) + "\n\n" + str(doc.get("text", ""))


@main.command()
@click.argument("query")
@click.option("--kind", type=click.Choice(["source", "article"]), default=None)
@click.option(
    "--type", "mime", default=None, help="Document type, e.g. pdf, email, html (matches the MIME type)."
)
@click.option("--from", "date_from", default=None, help="Earliest date, e.g. 2016 or 2016-12-01.")
@click.option("--to", "date_to", default=None, help="Latest date, e.g. 2017-06.")
@click.option("--custodian", default=None)
@click.option("--limit", type=COUNT, default=20, show_default=True)
@json_option
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    kind: str | None,
    mime: str | None,
    date_from: str | None,
    date_to: str | None,
    custodian: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search (BM25), best first, with highlighted snippets."""
    rows = case_of(ctx).search(
        query, kind=kind, mime=mime, date_from=date_from, date_to=date_to, custodian=custodian, limit=limit
    )
    emit(rows, as_json, ["doc_id", "score", "title", "snippet"])


@main.command("log")
@click.option("--status", type=click.Choice(["ingested", "duplicate", "skipped", "failed"]), default=None)
@json_option
@click.pass_context
def log(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """What happened to each input file, and why a file was skipped or failed."""
    emit(case_of(ctx).ingest_log(status), as_json, ["status", "path", "reason", "doc_id"])

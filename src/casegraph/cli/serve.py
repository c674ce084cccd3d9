"""`casegraph serve`: the REST API and web UI over the case (see casegraph.server)."""

from __future__ import annotations

from pathlib import Path

import click

from casegraph.cli import LazyCase, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File of access tokens, one per line (16+ characters). Required to bind a non-loopback address.",
)
@click.option(
    "--read-only", is_flag=True, help="Refuse every change: no ingest, check, analysis or corrections."
)
@click.option(
    "--max-upload-mb", type=click.IntRange(1, 100_000), default=100, show_default=True, help="Largest upload."
)
@click.option(
    "--max-upload-files",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="Files per upload.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    token_file: Path | None,
    read_only: bool,
    max_upload_mb: int,
    max_upload_files: int,
) -> None:
    """Serve the case in a browser: search, documents, entities, graph, check, ingest; and the
    REST API under /api (OpenAPI at /api/docs). Ctrl-C stops it."""
    import uvicorn

    from casegraph.api import Case
    from casegraph.server import ServerConfig, create_app
    from casegraph.server.config import check_bind, read_tokens

    lazy = ctx.find_object(LazyCase)
    db = lazy.db if lazy is not None else "casegraph.db"
    config = ServerConfig(
        db=db,
        host=host,
        port=port,
        read_only=read_only,
        tokens=read_tokens(token_file) if token_file else frozenset(),
        max_upload_bytes=max_upload_mb << 20,
        max_upload_files=max_upload_files,
    )
    check_bind(config)
    Case(db).close()  # create or migrate the database before the first request
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(
        f"casegraph: serving {db} at http://{shown}:{port}/"
        + (" (read-only)" if read_only else "")
        + (" (token login)" if config.tokens else "")
        + "  — Ctrl-C stops it",
        err=True,
    )
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,  # Ctrl-C stops it even with a browser keeping a connection open
    )

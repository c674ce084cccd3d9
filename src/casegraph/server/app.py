"""The web application: REST API under /api (OpenAPI at /api/openapi.json, browsable at
/api/docs) and the investigator's pages, over one case database.

    from casegraph.server import create_app, ServerConfig
    app = create_app(ServerConfig(db="case.db"))
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from casegraph.errors import CasegraphError, NotFoundError
from casegraph.server.config import ServerConfig
from casegraph.server.security import BodyTooLarge, SecurityMiddleware, too_large_response
from casegraph.server.state import ServerState

HERE = Path(str(resources.files("casegraph.server")))


def create_app(config: ServerConfig) -> FastAPI:
    state = ServerState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # a few worker threads, served in order: twenty threads contending for the GIL on two
        # cores finish later, and some requests starve (measured with benchmarks/serve_bench.py)
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.worker_threads
        yield
        state.close()

    app = FastAPI(
        title="casegraph",
        summary="Documents, entities, relations, quotes and claims of a case, each with its evidence.",
        version=_version(),
        docs_url=None,  # the stock pages load scripts from a CDN; /api/docs is served by pages.py
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.casegraph = state

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(CasegraphError)
    async def bad_request(request: Request, exc: CasegraphError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return too_large_response(exc)

    @app.exception_handler(MultiPartException)
    async def bad_form(request: Request, exc: MultiPartException) -> Response:
        return _error(request, 400, f"bad upload: {exc.message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()
        )
        return _error(request, 422, problems or "invalid request", errors=exc.errors())

    from casegraph.server.routers import annotations, documents, entities, pages, work

    for module in (documents, annotations, entities, work, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(SecurityMiddleware, config=config)
    return app


def _error(request: Request, status: int, detail: str, errors: Any = None) -> Response:
    """JSON for the API; a small page for a browser asking for a page."""
    if not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", ""):
        from casegraph.server.routers.pages import error_page

        return error_page(request, status, detail)
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = [
            {k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors if isinstance(e, dict)
        ]
    return JSONResponse(body, status_code=status)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("casegraph")
    except Exception:  # running from a source tree without installed metadata
        return "0"

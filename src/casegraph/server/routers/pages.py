"""The investigator's pages, rendered on the server (Jinja, autoescaped); small JavaScript
modules under /static/js add the interactive parts. Every piece of document text reaches the
page as escaped text, never as markup."""

from __future__ import annotations

import secrets
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from casegraph.api import Case
from casegraph.errors import CasegraphError, NotFoundError
from casegraph.server.render import document_html, snippet_parts, timeline_bars
from casegraph.server.security import SESSION_COOKIE, session_value, token_ok
from casegraph.server.state import case_dep, state_of

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

PAGE_SIZE = 20
SEARCH_POOL = 1000  # hits fetched to filter by language and entity and count facets


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    context.update(
        request=request,
        csrf=request.scope.get("state", {}).get("csrf", ""),
        read_only=state.config.read_only,
        logins=bool(state.config.tokens),
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, detail=detail)


# -- overview ------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, case: Case = Depends(case_dep)) -> Response:
    store = case.store
    summary = store.analysis_summary()
    return render(
        request,
        "overview.html",
        counts=store.counts(),
        by_kind=Counter(d["kind"] for d in case.docs()),
        analysis=summary,
        pending=store.count_documents_to_analyze()[0],
        failed_files=case.ingest_log("failed")[:50],
        skipped_files=case.ingest_log("skipped")[:50],
        top_entities=case.entities(limit=15),
        checks=store.recent_checks(10),
        articles=case.docs(kind="article", limit=50),
        jobs=[j.to_dict() for j in state_of(request).jobs.list()[:10]],
    )


# -- search --------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = Query("", max_length=1000),
    kind: str = Query("", pattern="^(|source|article)$"),
    type: str = Query("", max_length=60),
    date_from: str = Query("", alias="from", max_length=10, pattern=r"^(|\d{4}(-\d\d){0,2})$"),
    date_to: str = Query("", alias="to", max_length=10, pattern=r"^(|\d{4}(-\d\d){0,2})$"),
    custodian: str = Query("", max_length=200),
    lang: str = Query("", max_length=10),
    entity: str = Query("", max_length=300),
    sort: str = Query("relevance", pattern="^(relevance|date)$"),
    offset: int = Query(0, ge=0, le=SEARCH_POOL),
    case: Case = Depends(case_dep),
) -> Response:
    hits: list[dict[str, Any]] = []
    facets: dict[str, Counter[str]] = {}
    entity_ref: Mapping[str, Any] | None = None
    note = ""
    if q.strip():
        pool = list(
            case.search(
                q,
                kind=kind or None,
                mime=type or None,
                date_from=date_from or None,
                date_to=date_to or None,
                custodian=custodian or None,
                limit=SEARCH_POOL,
            )
        )
        meta = case.store.documents_meta([h["doc_id"] for h in pool])
        langs = _langs(case, [h["doc_id"] for h in pool])
        if entity.strip():
            try:
                entity_ref = case.find_entity(entity)
                with_entity = {m["doc_id"] for m in case.store.entity_mentions(entity_ref["id"])}
                pool = [h for h in pool if h["doc_id"] in with_entity]
            except NotFoundError:
                note = f"no entity {entity!r}: the entity filter was left out"
        if lang:
            pool = [h for h in pool if langs.get(h["doc_id"]) == lang]
        facets = {
            "kind": Counter(h["kind"] for h in pool),
            "type": Counter(
                _short_mime((meta[h["doc_id"]]["mime"] or "") if h["doc_id"] in meta else "") for h in pool
            ),
            "lang": Counter(langs.get(h["doc_id"]) or "?" for h in pool),
            "year": Counter((h.get("date") or "")[:4] or "undated" for h in pool),
        }
        if sort == "date":
            pool.sort(key=lambda h: (h.get("date") or "9999", h["doc_id"]))
        total = len(pool)
        hits = [{**h, "parts": snippet_parts(h["snippet"] or "")} for h in pool[offset : offset + PAGE_SIZE]]
    else:
        total = 0
    params = {
        k: v
        for k, v in {
            "q": q,
            "kind": kind,
            "type": type,
            "from": date_from,
            "to": date_to,
            "custodian": custodian,
            "lang": lang,
            "entity": entity,
            "sort": sort,
        }.items()
        if v
    }

    def url_with(**changes: Any) -> str:
        merged = {**params, **{k: v for k, v in changes.items()}}
        return "/search?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 0)})

    return render(
        request,
        "search.html",
        q=q,
        params=params,
        hits=hits,
        total=total,
        offset=offset,
        page_size=PAGE_SIZE,
        pool_limit=SEARCH_POOL,
        facets=facets,
        entity_ref=entity_ref,
        note=note,
        url_with=url_with,
    )


def _langs(case: Case, doc_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for doc_id in doc_ids:
        row = case.store.get_document(doc_id, with_text=False)
        if row:
            out[doc_id] = row.get("lang") or ""
    return out


def _short_mime(mime: str) -> str:
    for key, label in (
        ("message/", "email"),
        ("pdf", "pdf"),
        ("html", "html"),
        ("wordprocessingml", "docx"),
        ("imessage", "imessage"),
        ("text/plain", "text"),
        ("csv", "csv"),
    ):
        if key in mime:
            return label
    return mime or "?"


# -- documents -----------------------------------------------------------------------------


@router.get("/docs", response_class=HTMLResponse)
def documents_page(
    request: Request,
    kind: str = Query("", pattern="^(|source|article)$"),
    offset: int = Query(0, ge=0, le=10_000_000),
    case: Case = Depends(case_dep),
) -> Response:
    rows = case.docs(kind=kind or None, limit=100, offset=offset)
    return render(request, "documents.html", rows=rows, kind=kind, offset=offset, page_size=100)


@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, case: Case = Depends(case_dep)) -> Response:
    doc = case.show(doc_id)
    if doc["id"] != doc_id:  # a Bates number or path prefix: show it under its id
        return RedirectResponse(f"/doc/{doc['id']}", status_code=303)
    view = _annotated(request, case, doc_id, doc["text"])
    parent_id = doc.get("parent_id")
    parent = case.store.get_document(parent_id, with_text=False) if parent_id else None
    related = case.store.documents_meta([*doc["children"], *[d["doc_id"] for d in doc["near_duplicates"]]])
    return render(
        request,
        "document.html",
        doc=doc,
        parent=parent,
        related=related,
        meta_rows=_meta_rows(doc),
        **view,
    )


BIG_DOCUMENT = 200_000  # characters: the annotated text of longer documents is kept for reuse
_views: OrderedDict[tuple[str, str, int, str], dict[str, Any]] = OrderedDict()
_views_lock = threading.Lock()


def _annotated(request: Request, case: Case, doc_id: str, text: str) -> dict[str, Any]:
    """The document's text with its highlight layers, and what the page says about them. For a
    long document it is kept (a few of them) until the graph is rebuilt (every analysis and
    correction does that) or the document is analysed with another model."""
    key = (
        str(state_of(request).config.db),
        doc_id,
        case.store.graph_version(),
        case.store.analysis_model(doc_id) or "",
    )
    if len(text) >= BIG_DOCUMENT:
        with _views_lock:
            if key in _views:
                _views.move_to_end(key)
                return _views[key]
    mentions = case.mentions(doc_id)
    quotes = case.quotes(doc_id)
    claims = case.claims(doc_id)
    rhetoric = case.rhetoric(doc_id)
    view: dict[str, Any] = {
        "text_html": document_html(text, mentions, quotes, claims, rhetoric),
        "labels": sorted(Counter(m["label"] for m in mentions).items()),
        "claim_types": sorted(Counter(c["type"] for c in claims).items()),
        "counts": {"quotes": len(quotes), "claims": len(claims), "rhetoric": len(rhetoric)},
        "quotes": quotes,
    }
    if len(text) >= BIG_DOCUMENT:
        with _views_lock:
            _views[key] = view
            while len(_views) > 8:
                _views.popitem(last=False)
    return view


def _meta_rows(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    meta = doc.get("meta") or {}
    rows: list[tuple[str, str]] = []
    for label, value in (
        ("Bates", meta.get("bates_begin") or meta.get("bates")),
        ("Sender", meta.get("sender") or meta.get("from")),
        ("Recipients", meta.get("recipients") or meta.get("to")),
        ("Date", doc.get("date")),
        ("Custodian", doc.get("custodian")),
        ("Author", doc.get("author")),
        ("Type", doc.get("mime")),
        ("Language", doc.get("lang")),
        ("Kind", doc.get("kind")),
    ):
        if value:
            rows.append((label, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))
    shown = {"bates_begin", "bates", "sender", "from", "recipients", "to"}
    for key, value in sorted(meta.items()):
        if key in shown or value in (None, "", [], {}):
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((key, text if len(text) <= 300 else text[:299] + "…"))
    return rows


# -- entities ------------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    type: str = Query("", max_length=40),
    offset: int = Query(0, ge=0, le=10_000_000),
    case: Case = Depends(case_dep),
) -> Response:
    rows = case.entities(type=type or None, limit=offset + 100)[offset:]
    return render(request, "entities.html", rows=rows, type=type, offset=offset, page_size=100)


@router.get("/entity/{key}", response_class=HTMLResponse)
def entity_page(request: Request, key: str, case: Case = Depends(case_dep)) -> Response:
    profile = case.entity(key)
    if profile["id"] != key:
        return RedirectResponse(f"/entity/{profile['id']}", status_code=303)
    years, bars = timeline_bars(profile["events"])
    return render(
        request,
        "entity.html",
        e=profile,
        years=years,
        bars=bars,
        corrections=case.corrections()[-20:][::-1],
    )


# -- graph and path ------------------------------------------------------------------------


@router.get("/graph", response_class=HTMLResponse)
def graph_page(
    request: Request,
    entity: str = Query("", max_length=300),
    case: Case = Depends(case_dep),
) -> Response:
    start = None
    if entity:
        start = case.find_entity(entity)
    elif top := case.entities(limit=1):
        start = top[0]
    from casegraph.models import RELATION_KINDS

    return render(request, "graph.html", start=start, kinds=RELATION_KINDS)


@router.get("/path", response_class=HTMLResponse)
def path_page(
    request: Request,
    a: str = Query("", max_length=300),
    b: str = Query("", max_length=300),
    case: Case = Depends(case_dep),
) -> Response:
    result, error = None, ""
    if a and b:
        try:
            result = case.path(a, b)
        except CasegraphError as exc:
            error = str(exc)
    return render(request, "path.html", a=a, b=b, result=result, error=error)


# -- check and ingest ------------------------------------------------------------------------


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, case: Case = Depends(case_dep)) -> Response:
    articles = case.docs(kind="article", limit=500)
    checked = {c["article_id"]: c for c in case.store.recent_checks(500)}
    return render(request, "check.html", articles=articles, checked=checked)


@router.get("/check/{doc_id}", response_class=HTMLResponse)
def report_page(request: Request, doc_id: str, case: Case = Depends(case_dep)) -> Response:
    report = case.check_report(doc_id)
    return render(request, "report.html", r=report)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, case: Case = Depends(case_dep)) -> Response:
    state = state_of(request)
    return render(
        request,
        "ingest.html",
        limit_mb=state.config.max_upload_bytes >> 20,
        max_files=state.config.max_upload_files,
        log=case.ingest_log()[-30:][::-1],
    )


# -- login and API docs --------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = Query("/", max_length=500)) -> Response:
    return render(request, "login.html", next=_local(next), error="")


@router.post("/login")
def login(
    request: Request,
    token: str = Form(..., max_length=500),
    csrf: str = Form(..., max_length=200),
    next: str = Form("/", max_length=500),
) -> Response:
    config = state_of(request).config
    cookie = request.cookies.get("cg_csrf", "")
    if not cookie or not secrets.compare_digest(cookie, csrf):
        return render(
            request, "login.html", status=403, next=_local(next), error="Reload the page and retry."
        )
    if not config.tokens or not token_ok(config, token):
        return render(request, "login.html", status=401, next=_local(next), error="Wrong token.")
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_value(config, token), httponly=True, samesite="strict", path="/"
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API's endpoints, from the OpenAPI schema, on a page served by casegraph itself."""
    schema = request.app.openapi()
    endpoints = []
    for route, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                (p["name"], p.get("in", ""), p.get("required", False), p.get("description", ""))
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "params": params,
                    "body": "requestBody" in op,
                }
            )
    return render(request, "api_docs.html", endpoints=endpoints, title=schema["info"]["title"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _local(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


__all__ = ["error_page", "router"]

"""What analysis found: mentions, quotes, claims, relations, rhetoric; and `info`."""

from __future__ import annotations

import threading
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from casegraph import models
from casegraph.api import Case
from casegraph.server.schemas import documented
from casegraph.server.state import Page, case_dep

router = APIRouter(prefix="/api", tags=["analysis"])

DocParam = Query(None, max_length=500, description="Only this document (id).")


@router.get("/mentions", responses=documented(models.MentionRecord, many=True))
def mentions(
    doc: str | None = DocParam,
    label: str | None = Query(None, max_length=40),
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """Names found in the documents (`casegraph mentions --json`)."""
    return page.slice(list(case.mentions(doc, label, page.end)))


@router.get("/quotes", responses=documented(models.QuoteRecord, many=True))
def quotes(doc: str | None = DocParam, page: Page = Depends(), case: Case = Depends(case_dep)) -> list[Any]:
    """Who is quoted saying what (`casegraph quotes --json`)."""
    return page.slice(list(case.quotes(doc, page.end)))


@router.get("/claims", responses=documented(models.ClaimRecord, many=True))
def claims(
    doc: str | None = DocParam,
    type: Literal["fact", "opinion", "speculation", "prediction"] | None = None,
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """Checkable statements (`casegraph claims --json`)."""
    return page.slice(list(case.claims(doc, type, page.end)))


@router.get("/relations", responses=documented(models.RelationRecord, many=True))
def relations(
    doc: str | None = DocParam,
    kind: str | None = Query(None, max_length=40),
    typed: bool = False,
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """Relations grouped by subject, object and kind, with evidence (`casegraph relations --json`)."""
    return page.slice(list(case.relations(doc, kind, typed)))


@router.get("/rhetoric", responses=documented(models.RhetoricRecord, many=True))
def rhetoric(
    doc: str | None = DocParam,
    technique: str | None = Query(None, max_length=80),
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """Spans using propaganda techniques (`casegraph rhetoric --json`)."""
    return page.slice(list(case.rhetoric(doc, technique, page.end)))


_info_lock = threading.Lock()


@router.get("/info", responses=documented(models.AnalysisInfo))
def info(case: Case = Depends(case_dep)) -> Any:
    """The NLP pipeline, learned models and database counts (`casegraph info --json`)."""
    with _info_lock:  # loading the pipeline once is enough, even when asked twice at once
        return case.info()

"""Documents: listing, one document, full-text search, the ingest log."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from casegraph import models
from casegraph.api import Case
from casegraph.server.schemas import documented
from casegraph.server.state import Page, case_dep

router = APIRouter(prefix="/api", tags=["documents"])

Kind = Literal["source", "article"]


@router.get("/documents", responses=documented(models.DocumentRecord, many=True))
def documents(kind: Kind | None = None, page: Page = Depends(), case: Case = Depends(case_dep)) -> list[Any]:
    """Documents in path order (`casegraph docs --json`)."""
    return list(case.docs(kind=kind, limit=page.limit, offset=page.offset))


@router.get("/documents/{key:path}", responses=documented(models.DocumentView))
def document(key: str, case: Case = Depends(case_dep)) -> Any:
    """One document by id, Bates number or path as ingested (`casegraph show --json`)."""
    return case.show(key)


class SearchFilters:
    def __init__(
        self,
        q: str = Query(..., min_length=1, max_length=1000, description='Words, "phrases", OR, NOT, prefix*'),
        kind: Kind | None = None,
        type: str | None = Query(None, max_length=60, description="Document type: pdf, email, html, ..."),
        date_from: str | None = Query(None, alias="from", max_length=30, pattern=r"^\d{4}(-\d\d){0,2}"),
        date_to: str | None = Query(None, alias="to", max_length=30, pattern=r"^\d{4}(-\d\d){0,2}"),
        custodian: str | None = Query(None, max_length=200),
    ):
        self.q, self.kind, self.mime = q, kind, type
        self.date_from, self.date_to, self.custodian = date_from, date_to, custodian

    def run(self, case: Case, limit: int) -> list[Any]:
        return list(
            case.search(
                self.q,
                kind=self.kind,
                mime=self.mime,
                date_from=self.date_from,
                date_to=self.date_to,
                custodian=self.custodian,
                limit=limit,
            )
        )


@router.get("/search", responses=documented(models.SearchHit, many=True))
def search(
    filters: SearchFilters = Depends(), page: Page = Depends(), case: Case = Depends(case_dep)
) -> list[Any]:
    """Full-text search, best first, with snippets (`casegraph search --json`); hits are
    marked [like this] in the snippet."""
    return page.slice(filters.run(case, page.end))


@router.get("/log", responses=documented(models.FileRecord, many=True))
def log(
    status: Literal["ingested", "duplicate", "skipped", "failed"] | None = None,
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """What happened to each input file (`casegraph log --json`)."""
    return page.slice(list(case.ingest_log(status)))

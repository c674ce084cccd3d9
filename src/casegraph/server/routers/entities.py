"""Entities, the graph and corrections by people."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from casegraph import models
from casegraph.api import Case
from casegraph.server.schemas import MergeIn, RenameIn, SplitIn, documented
from casegraph.server.state import Page, case_dep

router = APIRouter(prefix="/api", tags=["entities"])


def _name(description: str = "An entity id, name, alias or misspelling.") -> Any:
    return Query(..., min_length=1, max_length=300, description=description)


@router.get("/entities", responses=documented(models.EntityRecord, many=True))
def entities(
    type: str | None = Query(None, max_length=40),
    page: Page = Depends(),
    case: Case = Depends(case_dep),
) -> list[Any]:
    """Resolved entities, most mentioned first (`casegraph entities --json`)."""
    return page.slice(list(case.entities(type=type, limit=page.end)))


@router.get("/entity", responses=documented(models.EntityProfile))
def entity(name: str = _name(), case: Case = Depends(case_dep)) -> Any:
    """Profile of an entity by id, name, alias or misspelling (`casegraph entity --json`)."""
    return case.entity(name)


@router.get("/neighbors", responses=documented(models.NeighborsResult))
def neighbors(
    name: str = _name(),
    kind: str | None = Query(None, max_length=40),
    limit: int = Query(25, ge=1, le=500),
    case: Case = Depends(case_dep),
) -> Any:
    """Connected entities, strongest evidence first (`casegraph neighbors --json`)."""
    return case.neighbors(name, limit=limit, kind=kind)


@router.get("/path", responses=documented(models.PathResult))
def path(
    a: str = _name("From this entity."),
    b: str = _name("To this entity."),
    k: int = Query(3, ge=1, le=10),
    max_hops: int = Query(6, ge=1, le=10),
    case: Case = Depends(case_dep),
) -> Any:
    """How A is connected to B, each step with evidence (`casegraph path --json`)."""
    return case.path(a, b, k=k, max_hops=max_hops)


@router.get("/timeline", responses=documented(models.TimelineResult))
def timeline(name: str = _name(), case: Case = Depends(case_dep)) -> Any:
    """Dated statements about an entity (`casegraph timeline --json`)."""
    return case.timeline(name)


@router.get("/communities", responses=documented(models.Community, many=True))
def communities(
    min_size: int = Query(2, ge=1, le=1000), page: Page = Depends(), case: Case = Depends(case_dep)
) -> list[Any]:
    """Groups of closely connected entities (`casegraph communities --json`)."""
    return page.slice(list(case.communities(min_size=min_size)))


# -- corrections -----------------------------------------------------------------------------


@router.get("/corrections", tags=["corrections"], responses=documented(models.CorrectionRecord, many=True))
def corrections(page: Page = Depends(), case: Case = Depends(case_dep)) -> list[Any]:
    """Corrections made by people, in order (`casegraph corrections --json`)."""
    return page.slice(list(case.corrections()))


@router.post("/corrections/merge", tags=["corrections"])
def merge(body: MergeIn, case: Case = Depends(case_dep)) -> Any:
    """Merge entities into the first (`casegraph merge --json`)."""
    return case.merge(*body.ids)


@router.post("/entities/{entity_id}/split", tags=["corrections"])
def split(entity_id: str, body: SplitIn, case: Case = Depends(case_dep)) -> Any:
    """Move the mentions written as each alias out into an entity of its own."""
    return case.split(entity_id, *body.aliases)


@router.post("/entities/{entity_id}/rename", tags=["corrections"])
def rename(entity_id: str, body: RenameIn, case: Case = Depends(case_dep)) -> Any:
    """Give an entity another name (and type)."""
    return case.rename(entity_id, body.name, type=body.type)


@router.post("/entities/{entity_id}/delete", tags=["corrections"])
def delete(entity_id: str, case: Case = Depends(case_dep)) -> Any:
    """Delete a false entity (its mentions stay, unlinked)."""
    return case.delete_entity(entity_id)


@router.post("/corrections/{correction_id}/undo", tags=["corrections"])
def undo(correction_id: int, case: Case = Depends(case_dep)) -> Any:
    """Undo a correction; entities are rebuilt without it."""
    return case.undo(correction_id)

"""The API's schemas in /api/openapi.json.

Responses are what the `Case` methods return (the shapes of the CLI's `--json`: one function
produces both), declared with the record types of casegraph.models, the one data contract.
The declaration documents the response without filtering it, so a field added later passes
through. Jobs and request bodies are the server's own.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from casegraph.models import AnalyzeSummary, CheckSummary


def documented(shape: Any, many: bool = False) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route returning the record `shape` of casegraph.models (or a list)."""
    return {200: {"model": list[shape] if many else shape}}


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class IngestJobResult(TypedDict):
    """What an ingest job did: files by outcome over all uploads, documents in the case, and
    the analysis run after it (when asked for)."""

    counts: dict[str, int]
    documents: int
    analyze: NotRequired[AnalyzeSummary]


class CheckJobResult(TypedDict):
    """What a check job found: the article checked and its report's summary (the report is
    at /api/checks/ARTICLE)."""

    article: str
    summary: CheckSummary


class JobOut(Open):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    step: str
    done: int
    total: int
    errors: list[dict[str, str]]
    result: IngestJobResult | AnalyzeSummary | CheckJobResult | None = None
    error: str
    created: float
    finished: float | None = None


# -- requests ------------------------------------------------------------------------------


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[str] = Field(min_length=2, max_length=50, description="Entities to merge into the first.")


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aliases: list[str] = Field(min_length=1, max_length=50)


class RenameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300)
    type: str | None = Field(default=None, max_length=40)


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1, max_length=500, description="Document id of an article of the case.")


class AnalyzeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_ids: list[str] = Field(default_factory=list, max_length=10_000)

"""Response and request models for the OpenAPI schema.

The responses themselves are what the `Case` methods return (the shapes of the CLI's
`--json`, one function for both); these models document them in /api/openapi.json and
allow extra fields, so that a field the stages add later passes through unchanged.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Ref(Open):
    id: str
    name: str | None = None
    type: str | None = None


class SpanOut(Open):
    doc_id: str
    start: int
    end: int
    text: str = ""


class DocumentRow(Open):
    id: str
    sha256: str
    kind: Literal["source", "article"]
    path: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    custodian: str | None = None
    mime: str | None = None
    lang: str | None = None
    parent_id: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class DocumentOut(DocumentRow):
    text: str
    paths: list[str]
    children: list[str]
    near_duplicates: list[dict[str, Any]]
    pages: int


class SearchHit(Open):
    doc_id: str
    path: str
    title: str | None = None
    kind: str
    date: str | None = None
    score: float
    snippet: str


class LogRow(Open):
    path: str
    status: str
    reason: str | None = None
    doc_id: str | None = None


class MentionRow(Open):
    doc_id: str
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None = None


class QuoteRow(Open):
    doc_id: str
    start: int
    end: int
    text: str
    speaker: dict[str, Any] | None = None
    cue: str | None = None
    direct: bool


class ClaimRow(Open):
    doc_id: str
    start: int
    end: int
    text: str
    type: str
    hedges: list[dict[str, Any]]
    boosters: list[dict[str, Any]]
    attributed_to: dict[str, Any] | None = None
    checkworthiness: float | None = None


class RelationGroup(Open):
    subject: Ref
    object: Ref
    kind: str
    predicate: str
    evidence: list[SpanOut]
    confidence: float
    negated: bool
    hedged: bool
    count: int


class RhetoricRow(Open):
    doc_id: str
    start: int
    end: int
    text: str
    technique: str
    score: float


class EntityRow(Open):
    id: str
    name: str
    type: str
    aliases: list[str]
    mentions: int
    documents: int


class Neighbors(Open):
    entity: Ref
    neighbors: list[dict[str, Any]]


class Paths(Open):
    paths: list[dict[str, Any]]


class Timeline(Open):
    entity: Ref
    events: list[dict[str, Any]]


class Community(Open):
    id: int
    size: int
    members: list[Ref]


class JobOut(Open):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    step: str
    done: int
    total: int
    errors: list[dict[str, str]]
    result: Any = None
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

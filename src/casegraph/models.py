"""The data model shared by every stage (see DESIGN.md, "Data model").

Stages meet here and in the store, never in each other's internals. Every extracted
thing points back to text through a Span: document id plus character offsets into the
document's *normalised* text (the text the store holds).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocKind = Literal["source", "article"]
SegmentKind = Literal["page", "paragraph", "sentence"]
ClaimType = Literal["fact", "opinion", "speculation", "prediction"]
VerdictStatus = Literal["supported", "paraphrased", "misattributed", "contradicted", "not_found"]

RELATION_KINDS = (
    "family",
    "role",
    "met",
    "hired",
    "lobbied",
    "represents",
    "paid",
    "conflict",
    "associate",
    "communicated",
    "mentioned_with",
)


@dataclass(frozen=True)
class Span:
    """Provenance: a stretch of one document's normalised text."""

    doc_id: str
    start: int
    end: int
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Segment:
    """A page, paragraph or sentence of a document, by character offsets."""

    kind: SegmentKind
    start: int
    end: int
    number: int = 0  # page number for pages, running index otherwise
    boilerplate: bool = False


@dataclass
class Document:
    """One ingested item. Archive members and attachments have a parent."""

    id: str
    sha256: str
    kind: DocKind
    path: str
    text: str
    title: str = ""
    author: str = ""
    date: str | None = None  # ISO 8601 date or datetime, as precise as known
    custodian: str = ""
    mime: str = ""
    lang: str = ""
    parent_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Mention:
    """A span naming something. `cluster` groups mentions of one thing within the
    document (set by analysis); `entity_id` is the corpus-level entity (set by resolve)."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    cluster: str = ""
    entity_id: str | None = None
    id: int | None = None


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    documents: int = 0


@dataclass
class Relation:
    subject_mention: int | None
    object_mention: int | None
    kind: str
    predicate: str
    evidence: Span
    confidence: float = 0.5
    negated: bool = False
    hedged: bool = False
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Quote:
    span: Span
    speaker_mention: int | None
    cue: str
    direct: bool


@dataclass
class Claim:
    span: Span
    type: ClaimType
    hedges: list[Span] = field(default_factory=list)
    boosters: list[Span] = field(default_factory=list)
    attributed_to_mention: int | None = None
    checkworthiness: float = 0.0


@dataclass
class Rhetoric:
    span: Span
    technique: str
    score: float


@dataclass
class Verdict:
    kind: Literal["quote", "claim"]
    item: Span
    status: VerdictStatus
    score: float
    reason: str
    evidence: list[Span] = field(default_factory=list)

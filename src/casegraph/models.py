"""The data model shared by every stage (see DESIGN.md, "Data model").

Stages meet here and in the store, never in each other's internals. Every extracted
thing points back to text through a Span: document id plus character offsets into the
document's *normalised* text (the text the store holds).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NotRequired

# typing_extensions' TypedDict: pydantic (the REST API's schemas) reads it on Python 3.11
from typing_extensions import TypedDict

DocKind = Literal["source", "article"]
SegmentKind = Literal["page", "paragraph", "sentence", "block"]
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
    role: str = ""  # kind "block": authored | forwarded | quoted | pasted | narration (text inside text)
    author: str = ""  # who wrote a block, when known


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
    speaker_mention: int | None  # the named person who speaks (pronouns and descriptions resolved)
    cue: str
    direct: bool
    source: Span | None = None  # the source as the text names it: "she", "the ambassador", "John Q. Smith"
    cue_span: Span | None = None
    form: str = ""  # direct | indirect | mixed
    score: float = 0.0  # the attribution model's confidence
    speaker_how: str = ""  # name | pronoun | description | role: how speaker_mention was found


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


# -- Records: what the store returns, the Python API hands out, and the CLI's --json and
# the REST API print. They are TypedDicts on purpose: their shape *is* the public JSON
# interface (scripts depend on it), mypy checks every key and value, pydantic validates them
# for the REST API's schemas, and they serialise with json.dumps as they are.


class EntityRef(TypedDict):
    """Who a quote, claim or relation points at: the resolved entity (or the in-document
    cluster `DOC:CLUSTER` before resolution), its name, and the mention's span."""

    id: str
    name: str | None
    start: int
    end: int


class TextSpan(TypedDict):
    """A span of the same document as the record that holds it (hedges, boosters)."""

    start: int
    end: int
    text: str


class EvidenceSpan(TypedDict):
    """A span of any document: provenance of an edge, a relation or a verdict."""

    doc_id: str
    start: int
    end: int
    text: str


class DocumentRecord(TypedDict):
    """A stored document's metadata; `text` only where asked for."""

    id: str
    sha256: str
    kind: DocKind
    path: str
    title: str
    author: str
    date: str | None
    custodian: str
    mime: str
    lang: str
    parent_id: str | None
    meta: dict[str, Any]
    size: int
    text: NotRequired[str]


class NearDuplicate(TypedDict):
    doc_id: str
    similarity: float


class DocumentView(DocumentRecord):
    """`show`: a document with its other paths, attachments, near-duplicates and pages."""

    paths: list[str]
    children: list[str]
    near_duplicates: list[NearDuplicate]
    pages: int


class SegmentRecord(TypedDict):
    doc_id: str
    kind: str
    number: int
    start: int
    end: int
    boilerplate: int


class SearchHit(TypedDict):
    doc_id: str
    path: str
    title: str
    kind: DocKind
    date: str | None
    score: float
    snippet: str


class FileRecord(TypedDict):
    """One input file in the ingest log."""

    path: str
    size: int
    mtime: float
    sha256: str | None
    status: str  # ingested | duplicate | skipped | failed
    reason: str
    doc_id: str | None
    seen_at: str


class MentionRecord(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    label: str
    entity_id: str  # the resolved entity, else DOC:CLUSTER


class MentionRow(MentionRecord):
    """A mention as stored, with its row id, in-document cluster and resolved entity (or None)."""

    id: int
    cluster: str
    resolved_entity: str | None


class QuoteRecord(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    speaker: EntityRef | None
    cue: str
    direct: bool


class QuoteRow(QuoteRecord):
    id: int


class ClaimRecord(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    type: ClaimType
    hedges: list[TextSpan]
    boosters: list[TextSpan]
    attributed_to: EntityRef | None
    checkworthiness: float


class ClaimRow(ClaimRecord):
    id: int


class RelationRow(TypedDict):
    """One stored relation: one evidence sentence, its subject and object."""

    id: int
    doc_id: str
    kind: str
    predicate: str
    start: int
    end: int
    text: str
    confidence: float
    negated: int
    hedged: int
    meta: dict[str, Any]
    subject_entity: str | None
    object_entity: str | None
    subject: EntityRef | None
    object: EntityRef | None


class RelationParty(TypedDict):
    id: str
    name: str | None


class RelationRecord(TypedDict):
    """`relations`: one (subject, object, kind) with all its evidence spans."""

    subject: RelationParty
    object: RelationParty
    kind: str
    predicate: str
    evidence: list[EvidenceSpan]
    confidence: float
    negated: bool
    hedged: bool
    count: int


class RhetoricRecord(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    technique: str
    score: float


class RhetoricRow(RhetoricRecord):
    id: int


class EntityRecord(TypedDict):
    """A resolved entity with its mention and document counts; `meta` (merge reasons,
    labels, e-mail addresses, corrections) where the full record was asked for."""

    id: str
    name: str
    type: str
    aliases: list[str]
    mentions: int
    documents: int
    meta: NotRequired[dict[str, Any]]


# -- Graph answers (`entity`, `neighbors`, `path`, `timeline`, `communities`) ----------------


class EntityNode(TypedDict):
    id: str
    name: str
    type: str


class GraphRelation(TypedDict):
    """One edge as seen from an entity: its kind, direction, weight and evidence spans."""

    kind: str
    predicate: str
    direction: str  # out | in | both
    count: int
    documents: int
    strength: float
    evidence_kind: str  # source | article
    evidence: list[EvidenceSpan]


class Neighbor(TypedDict):
    entity: EntityNode
    score: float
    relations: list[GraphRelation]


class NeighborsResult(TypedDict):
    entity: EntityNode
    neighbors: list[Neighbor]
    evidence_kind: str


class PathStep(TypedDict("PathStep", {"from": EntityNode})):  # "from" is a keyword
    to: EntityNode
    relation: str
    predicate: str
    direction: str
    strength: float
    cost: float
    evidence: list[EvidenceSpan]
    evidence_kind: str
    other_relations: list[GraphRelation]


class PathRecord(TypedDict):
    hops: int
    cost: float
    steps: list[PathStep]


class PathResult(TypedDict("PathResult", {"from": EntityNode})):
    to: EntityNode
    paths: list[PathRecord]
    evidence_kind: str


class EventDocument(TypedDict):
    title: str
    date: str | None
    path: str


class TimelineEvent(TypedDict):
    """A dated sentence naming the entity; the date is read in the sentence, else the document's."""

    date: str
    date_source: str  # sentence | document
    date_text: str
    doc_id: str
    start: int
    end: int
    text: str
    mention: TextSpan
    document: EventDocument


class TimelineResult(TypedDict):
    entity: EntityNode
    events: list[TimelineEvent]


class Community(TypedDict):
    id: int
    size: int
    members: list[EntityNode]


# -- Rows of the graph and of corrections, as the store returns them -------------------------


class EdgeRow(TypedDict):
    """One graph edge between entities a and b (one per a, b, kind and evidence kind)."""

    id: int
    a: str
    b: str
    kind: str
    predicate: str
    directed: int
    count: int
    documents: int
    strength: float
    evidence: str  # source | article


class EdgeEvidence(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    relation_id: int | None
    confidence: float


class EntityMention(TypedDict):
    """A mention of an entity with the document it is in."""

    id: int
    doc_id: str
    start: int
    end: int
    text: str
    label: str
    title: str
    date: str | None
    path: str


class QuoteSpan(TypedDict):
    doc_id: str
    start: int
    end: int
    text: str
    cue: str
    direct: int


class CorrectionRecord(TypedDict):
    """A human judgement (merge, split, rename, delete), kept apart from machine output."""

    id: int
    action: str
    payload: dict[str, Any]
    created_at: str
    undone: bool

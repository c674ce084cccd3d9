"""The data model shared by every stage (see DESIGN.md, "Data model").

Stages meet here and in the store, never in each other's internals. Every extracted
thing points back to text through a Span: document id plus character offsets into the
document's *normalised* text (the text the store holds).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NamedTuple, NotRequired

# typing_extensions' TypedDict: pydantic (the REST API's schemas) reads it on Python 3.11
from typing_extensions import TypedDict

DocKind = Literal["source", "article"]
SegmentKind = Literal["page", "paragraph", "sentence", "block", "header", "field", "name", "message"]
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
    field: str = ""  # kinds "field" and "name": the e-mail header field (from, to, cc, date, subject...)


@dataclass
class EmailParty:
    """A sender or recipient of an e-mail document, as ingest found it (table email_parties)."""

    role: str  # from | to | cc | bcc
    name: str
    address: str  # lower case, "" when none or redacted
    start: int  # the header line naming the party (0, 0 when not found)
    end: int
    text: str
    block: int = -1  # offset of its header block's From: line; -1: the document's own header


@dataclass
class EmailHeaders:
    """An e-mail document's header structure, parsed once at ingest (ingest/email_header.py)
    and read by every later stage. Segments (kind, number = header block index):
    "header" a header block (start: its first line; end: where its body begins; role "top"
    for the document's own header, "embedded" for a quoted or forwarded one; author: its
    sender as written); "field" one header line (`field`: from, to, cc, bcc, date, sent,
    subject, importance, attachments); "name" a person named in a From/To/Cc/Bcc line of the
    top header (the span of its PERSON mention; `field`: the line's); "message" where a
    quoted or forwarded message begins in the text (role quoted | forwarded, author)."""

    segments: list[Segment] = field(default_factory=list)
    parties: list[EmailParty] = field(default_factory=list)

    def body_start(self) -> int:
        """Where the body of the document's own message begins (0: no header at the top)."""
        return next((s.end for s in self.segments if s.kind == "header" and s.role == "top"), 0)

    def of_kind(self, kind: SegmentKind) -> list[Segment]:
        return [s for s in self.segments if s.kind == kind]


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


class MentionSpan(TypedDict):
    start: int
    end: int
    text: str
    label: str


class MentionsInDocument(TypedDict):
    """An entity's mentions in one document."""

    doc_id: str
    title: str
    date: str | None
    path: str
    mentions: list[MentionSpan]


class EntityProfile(EntityNode):
    """`entity --json`: an entity with its names, why they were merged (resolve's notes:
    `reasons`, `corrections`), its mentions by document, relations, quotes and dated events."""

    aliases: list[str]
    mentions: int
    documents: int
    emails: list[str]
    labels: dict[str, float]  # mention labels voted for the entity's type, with their weight
    reasons: list[dict[str, Any]]  # resolve's merge notes (pairs of names, rule, score)
    corrections: list[dict[str, Any]]  # the corrections by people that shaped the entity
    mentions_by_document: list[MentionsInDocument]
    relations: list[Neighbor]
    quotes_by: list[QuoteSpan]
    quotes_about: list[QuoteSpan]
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


class EdgeEvidenceRow(EdgeEvidence):
    """An edge's evidence span with the edge it belongs to (exports read them all)."""

    edge_id: int


class DocumentBrief(TypedDict):
    """What a listing shows of a document beside its id: title, date, path, kind, format."""

    id: str
    title: str
    date: str | None
    path: str
    kind: DocKind
    mime: str


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


class ResolveKey(NamedTuple):
    """A key incremental resolution blocks new names against (store table `resolve_keys`):
    which entity carries a name, an address, a full name or a blocking key (resolve/state.py)."""

    entity_id: str
    kind: str  # name | single | leftover | address | person | pblock | sblock | other | oblock | full
    key: str
    surname: str = ""
    given: str = ""
    data: str = ""


# -- Run summaries: what `ingest --json` and `analyze --json` print ---------------------------


class FileProblem(TypedDict):
    """A file an ingest run skipped or failed, and why (also in the ingest log)."""

    path: str
    status: str  # skipped | failed
    reason: str


class CorpusPassSummary(TypedDict):
    """The corpus-wide pass at the end of an ingest run: near-duplicates and boilerplate."""

    near_duplicate_links: int
    boilerplate_lines: int
    line_threshold: int
    paragraphs_marked: int


class IngestSummary(TypedDict):
    """`ingest --json`: files by outcome (ingested, duplicate, skipped, failed, unchanged),
    the files skipped or failed with their reason, and what the case holds after the run
    (`workers`: a run on a Dask cluster, casegraph.scale)."""

    counts: dict[str, int]
    errors: list[FileProblem]
    documents: int
    files: int
    elapsed_s: float
    workers: NotRequired[int]
    corpus: NotRequired[CorpusPassSummary]


class AnalysisFailure(TypedDict):
    doc_id: str
    error: str


class SentenceIndexSummary(TypedDict):
    """What one run of the sentence index (casegraph.search.index) embedded."""

    documents: int
    sentences: int
    embedded: int
    seconds: float
    sentences_per_second: float
    model: str
    # on Dask (casegraph.scale): workers and tasks (SQLite), documents left out (both backends)
    workers: NotRequired[int]
    tasks: NotRequired[int]
    failed: NotRequired[list[AnalysisFailure]]


# resolve's summary (casegraph.resolve.run, graph.build): counts (mentions, entities, edges by
# kind, name keys...) and seconds by name, and words saying how it ran (mode, why_full)
ResolveSummary = dict[str, float | str]


class AnalyzeSummary(TypedDict):
    """`analyze --json`: one analysis run, in one process or on a cluster (workers, retried)."""

    model: str
    documents: int
    failed: list[AnalysisFailure]
    words: int
    seconds: float
    words_per_second: float
    planned: int
    index: NotRequired[SentenceIndexSummary]
    resolve: NotRequired[ResolveSummary]
    workers: NotRequired[int]
    retried: NotRequired[int]


class DocumentToAnalyze(TypedDict):
    """A document an analysis run reads: its row number (to page through), id, text, meta."""

    rowid: int
    id: str
    text: str
    meta: dict[str, Any]


class AnalysisRun(TypedDict):
    """Analyzed documents of one model, analysis version and status."""

    model: str
    version: str
    status: str  # done | failed
    documents: int
    words: int | None


class AnalysisState(TypedDict):
    """The analyses log: documents by model, version and status, and the failures."""

    runs: list[AnalysisRun]
    failed: list[AnalysisFailure]


class LearnedModels(TypedDict):
    checkworthiness: str | None  # the packaged model's file, None when absent
    rhetoric: str  # the packaged model's file, else "lexicon"


class AnalysisInfo(TypedDict):
    """`info --json`: the NLP pipeline, the learned models and what the case holds."""

    model: str
    model_version: str
    spacy: str
    components: list[str]
    analysis_version: str
    casegraph: str
    learned: LearnedModels
    counts: dict[str, int]
    analyses: list[AnalysisRun]
    failed: list[AnalysisFailure]


class RegisterStored(TypedDict):
    """Registers (FARA) stored as documents: one per registrant, new or already present."""

    registrants: int
    documents_added: int
    documents_already_present: int
    documents: list[str]  # the ids of every registrant's document, for the register annotator


class RegisterAnnotated(TypedDict):
    """Mentions and relations the register annotator read from register documents."""

    documents_annotated: int
    documents_restored: int  # documents an NLP run had been forced over, given their register reading back
    mentions: int
    relations: int


class FaraSummary(TypedDict):
    """`ingest-fara --json`: registers stored, annotated, then resolved."""

    registrants: int
    documents_added: int
    documents_already_present: int
    documents_restored: int
    mentions: int
    relations: int
    resolve: ResolveSummary


# -- Load files: production metadata by Bates number ----------------------------------------

# One load-file row: column (as casegraph.ingest.formats.loadfile names it) -> non-empty cell.
# Every row has "bates_begin"; the other columns are whatever the production exported.
LoadRow = dict[str, str]


class BoilerplateLine(TypedDict):
    """A line repeated in many documents of the production (stamps, footers, disclaimers)."""

    hash: str  # the normalised line's 63-bit hash, as text
    text: str
    documents: int


# -- The check stage's inputs, as the store returns them ------------------------------------


class SpeakerColumns(TypedDict):
    """The speaker mention of a quote or claim and its resolved entity (all None if none)."""

    speaker_mention: int | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_entity: str | None
    speaker_name: str | None


class ArticleQuoteRow(SpeakerColumns):
    id: int
    start: int
    end: int
    text: str
    cue: str
    direct: int


class ArticleClaimRow(SpeakerColumns):
    id: int
    start: int
    end: int
    text: str
    type: ClaimType
    hedges: list[TextSpan]
    boosters: list[TextSpan]
    checkworthiness: float


class SourceQuoteRow(SpeakerColumns):
    start: int
    end: int
    text: str
    cue: str


class RhetoricSpan(TypedDict):
    """A rhetoric finding within one document (also the check report's `context.rhetoric`)."""

    start: int
    end: int
    text: str
    technique: str
    score: float


class SpanMention(TypedDict):
    """A mention inside a span of a document, with its resolved entity's name."""

    id: int
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None
    entity_name: str | None


class AttributionRow(TypedDict):
    """A quote (statement) of a document with the source as the text names it, how its
    speaker was found, and the speaker's mention and entity."""

    start: int
    end: int
    text: str
    cue: str
    form: str
    direct: int
    source_start: int | None
    source_end: int | None
    source_text: str
    speaker_how: str  # name | pronoun | description | role, "" when no speaker was found
    score: float
    speaker_mention: int | None
    speaker_text: str | None
    speaker_entity: str | None
    speaker_name: str | None


# -- The check report: what `check --json` prints and /api/checks/ID returns ------------------


class CheckArticle(TypedDict):
    id: str
    title: str
    path: str


class CheckSummary(TypedDict):
    """Items checked, counts by status, speculation, sources searched, seconds taken."""

    items: int
    quotes: int
    claims: int
    supported: int
    paraphrased: int
    misattributed: int
    contradicted: int
    not_found: int
    speculative: int
    speculation_share: float
    speculative_not_found: int
    sources: int
    seconds: float


class ArticleSpeaker(TypedDict):
    """Who the article says spoke: the entity's first name (else the text), the entity, the text."""

    name: str
    entity_id: str | None
    text: str


class VerdictEvidence(TypedDict):
    """A source sentence a verdict rests on, with its document and who speaks in it."""

    doc_id: str
    path: str
    title: str
    bates: str | None
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_entity: str | None
    speaker_source: str | None  # quote in the source | sender | author | ...
    speaker_said_as: str | None
    speaker_resolved: str | None
    role: str | None  # quote | authored | pasted | narration | quoted | forwarded
    date: str | None
    score: float
    cosine: float
    lexical: float
    verbatim: float


class Searched(TypedDict):
    terms: list[str]
    names: list[str]
    documents: int


class Cue(TypedDict):
    """A hedge or booster of a checked item (offsets None when the analysis gave none)."""

    start: int | None
    end: int | None
    text: str


class ItemContext(TypedDict):
    """How the article frames an item: claim type, check-worthiness, hedges, rhetoric."""

    claim_type: str | None
    checkworthiness: float | None
    about_documents: bool
    speculative: bool
    hedges: list[Cue]
    boosters: list[Cue]
    rhetoric: list[RhetoricSpan]


class CheckedItem(TypedDict):
    """One quote or claim of the article with its verdict and evidence."""

    kind: Literal["quote", "claim"]
    text: str
    start: int
    end: int
    status: VerdictStatus
    score: float
    reason: str
    evidence: list[VerdictEvidence]
    speaker: ArticleSpeaker | None
    searched: Searched
    context: ItemContext


class CheckThresholds(TypedDict):
    support: float
    verbatim: float
    min_checkworthiness: float
    verifier_support: float


class CheckStamp(TypedDict):
    """The stored report's row: its id, and when it was stored (on reading it back)."""

    id: int
    created_at: NotRequired[str]


class CheckReport(TypedDict):
    """`check --json`: an article's items checked against the source documents."""

    article: CheckArticle
    summary: CheckSummary
    items: list[CheckedItem]
    thresholds: CheckThresholds
    check: NotRequired[CheckStamp]


class CheckListing(TypedDict):
    """The latest check of an article, as the overview lists it."""

    id: int
    article_id: str
    created_at: str
    title: str
    summary: CheckSummary

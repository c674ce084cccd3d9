"""The store interface, grouped by noun: what every backend implements.

Stages call these methods and never write SQL (only `casegraph.store` speaks SQL). SQLite
(`SQLiteStore`) is the default backend; a second backend (PostgreSQL) is a class with these
methods that passes the contract tests in `tests/store/test_contract.py`. Records come back
as the TypedDicts of `casegraph.models`; `mypy` checks that `SQLiteStore` conforms (see
`casegraph.store.__init__`).

The nouns: documents (and the ingest log, load files, near-duplicates, search), segments
(sentences, paragraphs, e-mail parties), annotations (mentions, quotes, claims, relations,
rhetoric and their analysis runs), entities (resolution and corrections), graph (edges,
evidence and the path index), checks (check inputs, embeddings, sentence vectors, reports),
and transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from casegraph.models import (
    AnalysisState,
    ArticleClaimRow,
    ArticleQuoteRow,
    AttributionRow,
    BoilerplateLine,
    CheckListing,
    CheckReport,
    ClaimRow,
    CorrectionRecord,
    Document,
    DocumentBrief,
    DocumentRecord,
    DocumentToAnalyze,
    EdgeEvidence,
    EdgeEvidenceRow,
    EdgeRow,
    EmailHeaders,
    EntityMention,
    EntityRecord,
    FileRecord,
    LoadRow,
    MentionRow,
    NearDuplicate,
    QuoteRow,
    QuoteSpan,
    RelationRow,
    ResolveKey,
    RhetoricRow,
    RhetoricSpan,
    SearchHit,
    Segment,
    SegmentRecord,
    SourceQuoteRow,
    SpanMention,
)

if TYPE_CHECKING:  # for annotations only: importing the interface stays cheap
    import numpy.typing as npt

    from casegraph.store.vectors import VectorRow


class Documents(Protocol):
    def add_document(self, doc: Document, size: int = 0) -> bool:
        """Store a document with its segments. Returns False, storing nothing new, when a document with the same content hash exists (its other path is remembered)."""
        ...

    def update_document_meta(self, doc_id: str, **fields: Any) -> None:
        """Merge fields into a document: known columns are set, anything else goes into meta."""
        ...

    def link_near_duplicate(self, a: str, b: str, similarity: float) -> None: ...

    def set_boilerplate(self, lines: list[tuple[str, str, int]]) -> None:
        """Replace the production's boilerplate lines: (hash, text, number of documents)."""
        ...

    def record_file(
        self,
        path: str,
        size: int,
        mtime: float,
        status: str,
        reason: str = "",
        sha256: str | None = None,
        doc_id: str | None = None,
    ) -> None: ...

    def file_record(self, path: str) -> FileRecord | None: ...

    def file_log(self, status: str | None = None) -> list[FileRecord]: ...

    def save_load_rows(self, rows: list[LoadRow], source: str) -> list[LoadRow]:
        """Store load-file rows by Bates number, merged into what earlier load files said (a later file adds fields, it does not erase them). Returns the merged rows."""
        ...

    def load_row(self, bates: str) -> LoadRow | None: ...

    def load_rows(self) -> list[LoadRow]:
        """Every load-file row of the case, by Bates number."""
        ...

    def documents_by_bates(self, bates: str) -> list[DocumentRecord]: ...

    def documents_without_minhash(self, batch: int = 200) -> Iterator[tuple[str, str]]:
        """(id, text) of documents not yet MinHashed, in batches (bounded memory)."""
        ...

    def minhash_candidates(self, bands: list[tuple[int, int]]) -> list[str]: ...

    def minhash_signature(self, doc_id: str) -> bytes | None: ...

    def save_minhash(self, doc_id: str, signature: bytes, bands: list[tuple[int, int]]) -> None: ...

    def documents_without_line_counts(self, batch: int = 200) -> Iterator[tuple[str, str]]: ...

    def add_line_counts(self, doc_id: str, lines: dict[int, str]) -> None:
        """Count each distinct normalised line of one document once (by its 63-bit hash)."""
        ...

    def frequent_lines(self, min_documents: int) -> list[tuple[int, str, int]]: ...

    def count_documents(self) -> int: ...

    def document_id_for_sha256(self, sha256: str) -> str | None: ...

    def get_document(self, doc_id: str, with_text: bool = True) -> DocumentRecord | None: ...

    def find_document(self, key: str) -> DocumentRecord | None:
        """By id, id prefix, Bates number or path as ingested."""
        ...

    def list_documents(
        self, kind: str | None = None, parent_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[DocumentRecord]: ...

    def iter_document_texts(self, kind: str | None = None, batch: int = 200) -> Iterator[tuple[str, str]]:
        """(id, text) of every document, streamed in batches to keep memory bounded."""
        ...

    def document_paths(self, doc_id: str) -> list[str]: ...

    def near_duplicates(self, doc_id: str) -> list[NearDuplicate]: ...

    def boilerplate_lines(self) -> list[BoilerplateLine]: ...

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        mime: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        custodian: str | None = None,
        limit: int = 20,
    ) -> list[SearchHit]:
        """Full-text search, best first (BM25, title weighted above body), with snippets."""
        ...

    def documents_meta(self, doc_ids: Sequence[str]) -> dict[str, DocumentBrief]: ...

    def document_text(self, doc_id: str) -> str: ...

    def document_kinds(self) -> dict[str, str]:
        """id -> 'source' | 'article' of every document."""
        ...

    def document_count(self) -> int: ...

    def source_count(self) -> int: ...

    def term_document_counts(self, terms: Sequence[str]) -> dict[str, int]:
        """In how many documents each word occurs (full-text index vocabulary)."""
        ...

    def fts_sources(self, match: str, limit: int = 20, exclude: str | None = None) -> list[dict[str, Any]]:
        """Source documents matching an FTS5 expression, best BM25 first (body text only)."""
        ...


class Segments(Protocol):
    def replace_segments(self, doc_id: str, segments: list[Segment]) -> None: ...

    def mark_boilerplate_segments(self, doc_id: str, numbers: list[int], kind: str = "paragraph") -> None: ...

    def segments(self, doc_id: str, kind: str | None = None) -> list[SegmentRecord]: ...

    def sentence_segments(self, doc_id: str) -> list[tuple[int, int]]: ...

    def sentence_spans(self, doc_id: str) -> list[tuple[int, int]]:
        """Sentence segments stored at ingest (empty when ingest stored none)."""
        ...

    def replace_email_headers(self, doc_id: str, headers: EmailHeaders, version: int) -> None:
        """Store a document's e-mail header structure and parties (ingest/email_header.py)."""
        ...

    def email_headers(self, doc_id: str) -> EmailHeaders | None:
        """A document's stored e-mail header structure; None when it was never parsed."""
        ...

    def documents_without_email_headers(self, version: int, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Documents (id, text, meta) whose header structure is missing or older than version."""
        ...

    def email_parties(self, doc_id: str | None = None) -> list[dict[str, Any]]: ...

    def email_senders(self, doc_id: str) -> list[dict[str, Any]]:
        """Who sent an e-mail document (stored at ingest; entity_id and entity_name once resolved)."""
        ...


class Annotations(Protocol):
    def documents_to_analyze(
        self, after_rowid: int = 0, limit: int = 50, force: bool = False, doc_ids: list[str] | None = None
    ) -> list[DocumentToAnalyze]:
        """Documents not yet analyzed (all with force, or just doc_ids), by rowid, with text."""
        ...

    def count_documents_to_analyze(
        self, force: bool = False, doc_ids: list[str] | None = None
    ) -> tuple[int, int]:
        """(documents, characters) that an analysis run would process."""
        ...

    def save_analysis(self, result: Any, model: str, version: str) -> None:
        """Replace a document's annotations with `result` (an analyze.analyzer.DocAnalysis)."""
        ...

    def record_analysis_failure(self, doc_id: str, model: str, version: str, error: str) -> None: ...

    def mention_rows(
        self, doc_id: str | None = None, label: str | None = None, limit: int | None = None
    ) -> list[MentionRow]: ...

    def quote_rows(self, doc_id: str | None = None, limit: int | None = None) -> list[QuoteRow]: ...

    def text_roles(self, doc_id: str, start: int | None = None, end: int | None = None) -> list[Segment]:
        """Role blocks of a document (text inside text), those overlapping [start, end) if given."""
        ...

    def attributions_overlapping(self, doc_id: str, start: int, end: int) -> list[AttributionRow]:
        """Quotes of a document overlapping [start, end) with source text, speaker_how and speaker."""
        ...

    def claim_rows(
        self, doc_id: str | None = None, type: str | None = None, limit: int | None = None
    ) -> list[ClaimRow]: ...

    def relation_rows(
        self,
        doc_id: str | None = None,
        kind: str | None = None,
        typed_only: bool = False,
        limit: int | None = None,
    ) -> list[RelationRow]:
        """One row per stored relation with its subject and object (id, name, span)."""
        ...

    def rhetoric_rows(
        self, doc_id: str | None = None, technique: str | None = None, limit: int | None = None
    ) -> list[RhetoricRow]: ...

    def analysis_summary(self) -> AnalysisState:
        """Analyzed documents by model, version and status, and failures with their errors."""
        ...

    def analysis_model(self, doc_id: str) -> str | None: ...

    def is_analyzed(self, doc_id: str) -> bool: ...

    def add_register_annotations(
        self,
        doc_id: str,
        mentions: Sequence[dict[str, Any]],
        relations: Sequence[dict[str, Any]],
        model: str,
        version: str,
        replace: bool = False,
    ) -> None:
        """Mentions and relations read from a register rather than found by NLP; the document is marked analyzed by `model` so that `analyze` does not run the NLP pipeline on it. Relations refer to mentions by their index in `mentions`. With `replace`, whatever the document had (an NLP run forced over it) is replaced by the register's reading."""
        ...

    def article_quotes(self, doc_id: str) -> list[ArticleQuoteRow]:
        """The article's quotes with their speaker mention and its resolved entity, if any."""
        ...

    def article_claims(self, doc_id: str) -> list[ArticleClaimRow]: ...

    def article_rhetoric(self, doc_id: str) -> list[RhetoricSpan]: ...

    def mentions_in_span(self, doc_id: str, start: int, end: int) -> list[SpanMention]:
        """Mentions inside [start, end) with their resolved entity's name."""
        ...

    def source_quotes_overlapping(self, doc_id: str, start: int, end: int) -> list[SourceQuoteRow]:
        """Quotes of a source document that overlap [start, end), with their speakers."""
        ...


class Entities(Protocol):
    def iter_name_mentions(self, batch: int = 20000) -> Iterator[dict[str, Any]]:
        """Mentions that name a person, organisation or place, streamed in id order."""
        ...

    def replace_entities(
        self,
        entities: Sequence[dict[str, Any]],
        mention_links: Iterable[tuple[str | None, int]],
        party_links: Iterable[tuple[str | None, int]],
    ) -> None:
        """Replace all machine entities and links in one transaction: readers never see half."""
        ...

    def list_entities(self, type: str | None = None, limit: int | None = None) -> list[EntityRecord]:
        """Entities with their mention and document counts, most mentioned first."""
        ...

    def entity_by_id_or_name(self, key: str) -> EntityRecord | None:
        """The entity with this id, else the most mentioned one with exactly this name (case-insensitive); None when neither exists. The fast path of name lookup."""
        ...

    def entity_summary(self, entity_id: str) -> EntityRecord | None:
        """id, name, type, aliases, mentions, documents of one entity."""
        ...

    def replace_name_keys(self, rows: Sequence[tuple[str, str, int, str, str, int]]) -> None:
        """(key, entity id, person, surname, sound, mentions) for every name of every entity."""
        ...

    def entity_ids_by_key(self, keys: Sequence[str]) -> list[str]:
        """Entities with exactly one of these name keys, most mentioned first."""
        ...

    def person_keys_like(self, surname: str, sound: str) -> list[tuple[str, str]]:
        """(key, entity id) of person names with this surname or one that sounds alike."""
        ...

    def all_name_keys(self) -> list[tuple[str, str]]:
        """(key, entity id) of every name, most mentioned entities first."""
        ...

    def get_entity(self, entity_id: str) -> EntityRecord | None: ...

    def entity_names(self) -> list[EntityRecord]:
        """(id, name, type, aliases, mentions) of every entity: the lookup table for names."""
        ...

    def entity_mentions(self, entity_id: str, limit: int | None = None) -> list[EntityMention]: ...

    def entity_quotes(self, entity_id: str, limit: int = 200) -> list[QuoteSpan]:
        """Quotes whose speaker resolved to the entity."""
        ...

    def quotes_about(self, entity_id: str, limit: int = 200) -> list[QuoteSpan]:
        """Quotes whose text contains a mention of the entity."""
        ...

    def resolved_mentions(self) -> Iterator[tuple[int, str, int, int, str]]:
        """(id, doc_id, start, end, entity_id) of resolved mentions, by document and offset."""
        ...

    def entity_types(self) -> dict[str, str]: ...

    def entities_by_id(self, entity_ids: Sequence[str]) -> list[EntityRecord]: ...

    def entity_aliases(self, entity_ids: Iterable[str]) -> dict[str, list[str]]:
        """Every name an entity goes by: its canonical name and aliases."""
        ...

    def sources_mentioning(self, entity_ids: Sequence[str], limit: int = 20) -> list[dict[str, Any]]:
        """Source documents that mention the most of these entities (then the most often)."""
        ...

    def add_correction(self, action: str, payload: dict[str, Any]) -> int: ...

    def corrections(self, include_undone: bool = False) -> list[CorrectionRecord]: ...

    def set_correction_undone(self, correction_id: int, undone: bool = True) -> bool: ...


class Graph(Protocol):
    def typed_relations(self) -> Iterator[dict[str, Any]]:
        """Relations (except co-occurrence) with both ends resolved to entities."""
        ...

    def replace_graph(self, edges: Sequence[dict[str, Any]]) -> None:
        """Replace all edges; each edge dict has a, b, kind, predicate, directed, count, documents, strength and `evidence` (list of dicts doc_id, start, end, text, relation_id)."""
        ...

    def graph_version(self) -> int: ...

    def graph_edge_rows(self) -> list[tuple[int, str, str, str, int, int, float, int]]:
        """(id, a, b, kind, count, documents, strength, directed) of every edge."""
        ...

    def graph_link_rows(self) -> list[tuple[str, str, str, float]]:
        """(a, b, kind, strength) of every edge: what routing needs, nothing more."""
        ...

    def graph_link_rows_by_evidence(self, evidence: str) -> list[tuple[str, str, str, float]]:
        """(a, b, kind, strength) of the edges whose evidence is of this kind."""
        ...

    def edges_between(self, a: str, b: str) -> list[EdgeRow]: ...

    def edges_of(self, entity_id: str) -> list[EdgeRow]: ...

    def edge_evidence(self, edge_ids: Sequence[int], per_edge: int = 5) -> dict[int, list[EdgeEvidence]]:
        """Up to `per_edge` evidence spans for each edge, most confident first."""
        ...

    def iter_graph_edges(self) -> Iterator[EdgeRow]: ...

    def all_edge_evidence(self) -> Iterator[EdgeEvidenceRow]: ...

    def save_graph_index(self, version: int, ids: list[str], arrays: dict[str, Any]) -> None: ...

    def load_graph_index(self, version: int) -> tuple[list[str], dict[str, Any]] | None:
        """(ids, arrays) cached for this graph version, or None. Arrays are read as plain numbers (numpy.frombuffer): nothing in the database is ever unpickled or executed."""
        ...

    def save_graph_index_by_evidence(
        self, version: int, evidence: str, ids: list[str], arrays: dict[str, npt.NDArray[Any]]
    ) -> None: ...

    def load_graph_index_by_evidence(
        self, version: int, evidence: str
    ) -> tuple[list[str], dict[str, npt.NDArray[Any]]] | None:
        """(ids, arrays) cached for this graph version and evidence kind, or None. Read as plain numbers: nothing stored is unpickled or executed."""
        ...


class Checks(Protocol):
    def documents_for_check(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """id, path, title, date, author, meta and text of each document."""
        ...

    def get_embeddings(
        self, keys: Sequence[tuple[str, int, int]], model: str
    ) -> dict[tuple[str, int, int], bytes]:
        """Stored vectors for (doc_id, start, end) spans; missing spans are left out."""
        ...

    def put_embeddings(self, rows: Sequence[tuple[str, int, int, bytes]], model: str) -> None: ...

    def save_check(self, article_id: str, report: CheckReport) -> int: ...

    def latest_check(self, article_id: str) -> CheckReport | None: ...

    def recent_checks(self, limit: int = 20) -> list[CheckListing]:
        """The latest check of each article, newest first: id, article_id, created_at, title, summary."""
        ...

    def sources_without_vectors(
        self, model: str, doc_ids: Sequence[str] | None = None, after: int = 0, limit: int = 200
    ) -> list[tuple[int, str]]:
        """(rowid, id) of source documents with no index row for `model`, by rowid after `after` (page through with the last rowid); only `doc_ids` when given."""
        ...

    def count_sources_without_vectors(self, model: str, doc_ids: Sequence[str] | None = None) -> int: ...

    def indexable_sentences(self, doc_id: str) -> tuple[str, list[tuple[int, int]]]:
        """A document's text and its sentence segments outside boilerplate (ingest's)."""
        ...

    def put_sentence_vectors(self, model: str, rows: Sequence[VectorRow]) -> None: ...

    def sentence_vector_rows(self, model: str) -> Iterator[VectorRow]:
        """Every document's part of the index for `model` that holds sentences, by doc id."""
        ...

    def sentence_vector_stamp(self, model: str) -> tuple[int, int, int]:
        """(documents, sentences, last rowid) of the index: changes whenever the index does."""
        ...


class Transactions(Protocol):
    path: str  # where the case lives: a file (SQLite) or a server URL; outputs must never be written there

    def transaction(self) -> AbstractContextManager[object]:
        """All writes inside commit together or not at all. Nested blocks are savepoints: an inner block that fails is rolled back alone, and the outer one decides."""
        ...

    def close(self) -> None: ...

    def counts(self) -> dict[str, int]:
        """Rows per main table: what the database holds."""
        ...

    def set_state(self, key: str, value: Any) -> None: ...

    def get_state(self, key: str, default: Any = None) -> Any: ...

    def time_limit(self, seconds: float, what: str = "the query") -> AbstractContextManager[None]:
        """Interrupt the SQL run inside the block once it has taken `seconds`: raises InvalidInput saying so (a query too broad to answer in reasonable time)."""
        ...


class Resolution(Protocol):
    """Incremental resolution (store/resolution.py): keys to block new names against, the
    documents the entities account for, and changes to part of the entities and the graph."""

    def unresolved_documents(self) -> list[str]: ...

    def reanalyzed_documents(self, watermark: int) -> list[str]: ...

    def entity_and_edge_counts(self) -> tuple[int, int]: ...

    def max_mention_id(self) -> int: ...

    def max_party_id(self) -> int: ...

    def documents_with_parties_after(self, watermark: int) -> list[str]: ...

    def reparsed_party_documents(self, watermark: int) -> list[str]: ...

    def name_mentions_of(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]: ...

    def replace_resolve_keys(self, rows: Sequence[ResolveKey]) -> None: ...

    def add_resolve_keys(self, rows: Sequence[ResolveKey], doc_ids: Sequence[str]) -> None: ...

    def replace_resolve_keys_of(self, entity_ids: Sequence[str], rows: Sequence[ResolveKey]) -> None: ...

    def resolve_keys(self, kind: str, keys: Sequence[str]) -> list[ResolveKey]: ...

    def resolve_keys_by_surname(self, kind: str, surnames: Sequence[str]) -> list[ResolveKey]: ...

    def resolve_key_counts(self, kind: str, keys: Sequence[str]) -> dict[str, int]: ...

    def count_resolve_keys(self, kind: str, column: str, value: str) -> int: ...

    def resolve_keys_of(self, entity_ids: Sequence[str]) -> list[ResolveKey]: ...

    def retarget_resolve_keys(
        self, from_ids: Sequence[str], to_id: str, keys: Sequence[str] | None = None
    ) -> None: ...

    def existing_entity_ids(self, entity_ids: Sequence[str]) -> set[str]: ...

    def save_entities(self, entities: Sequence[dict[str, Any]]) -> None: ...

    def delete_entities(self, entity_ids: Sequence[str]) -> None: ...

    def link_mentions(
        self, mention_links: Iterable[tuple[str | None, int]], party_links: Iterable[tuple[str | None, int]]
    ) -> None: ...

    def entity_mention_rows(self, entity_ids: Sequence[str]) -> list[dict[str, Any]]: ...

    def entity_party_ids(self, entity_ids: Sequence[str]) -> dict[str, list[int]]: ...

    def entities_sharing_documents(self, entity_id: str, others: Sequence[str]) -> set[str]: ...

    def documents_naming(self, entity_ids: Sequence[str]) -> list[str]: ...

    def replace_name_keys_of(
        self, entity_ids: Sequence[str], rows: Sequence[tuple[str, str, int, str, str, int]]
    ) -> None: ...

    def resolved_mentions_in(self, doc_ids: Sequence[str]) -> list[tuple[int, str, int, int, str]]: ...

    def typed_relations_in(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]: ...

    def document_kinds_of(self, doc_ids: Sequence[str]) -> dict[str, str]: ...

    def add_edges(self, edges: Sequence[dict[str, Any]], max_evidence: int) -> None: ...

    def adjust_edges(self, changes: Sequence[dict[str, Any]], max_evidence: int) -> None: ...

    def replace_edges_of(self, entity_ids: Sequence[str], edges: Sequence[dict[str, Any]]) -> None: ...


class CaseStore(
    Documents, Segments, Annotations, Entities, Resolution, Graph, Checks, Transactions, Protocol
):
    """Everything a case's store offers: the union of the nouns."""

"""The sentence-embedding index of source documents: every source sentence embedded once
(all-MiniLM-L6-v2, the model `check` uses), so that `check` can search the whole case by
meaning and not only the documents that full-text search ranks first.

Built during `analyze` (`build_index`), incrementally: documents already indexed are skipped.
Stored in the `sentence_vectors` table, one row per document, as int8 vectors with one float32
scale per sentence (384 bytes + 4 a sentence: the estate's ~400k sentences take ~160 MB; int8
changes a cosine by at most ~0.002, measured on estate sentences).

Search is exact (brute force in numpy, chunk by chunk): over the estate's 309k sentences
about a second per checked article on one core and 120 MB, with every nearest sentence found;
an approximate index (faiss IVF or HNSW, measured by benchmarks/dense_bench.py: recall@10
0.93-0.98) is needed past about a million sentences (docs/scale.md); `SentenceIndex.search`
is where it would go in.

`analyze --workers N` runs the batches of `plan_batches` on Dask workers
(casegraph.scale.embed): the same batches, and so the same vectors, as one process.

Sentences shorter than 4 words are not indexed (retrieval drops them as evidence anyway), and
each distinct sentence text is embedded once per run: repeated disclaimers and forwarded
copies cost nothing twice.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casegraph.check import embed
from casegraph.models import SentenceIndexSummary
from casegraph.store import CaseStore
from casegraph.store.vectors import VectorRow

MIN_WORDS = 4
MIN_LETTERS = 12
BATCH_SENTENCES = 2048  # sentences gathered (over documents) before one model run
SEARCH_CHUNK = 32768  # index rows dequantised at a time while searching
MAX_TEXT_CACHE = 200_000  # distinct sentence texts remembered during one build


@dataclass
class IndexSummary:
    """What one `build_index` run did."""

    documents: int = 0  # documents indexed in this run
    sentences: int = 0  # sentences indexed in this run
    embedded: int = 0  # distinct texts the model encoded (the rest were repeats)
    seconds: float = 0.0
    sentences_per_second: float = 0.0
    model: str = embed.STORE_KEY

    def to_dict(self) -> SentenceIndexSummary:
        return SentenceIndexSummary(
            documents=self.documents,
            sentences=self.sentences,
            embedded=self.embedded,
            seconds=self.seconds,
            sentences_per_second=self.sentences_per_second,
            model=self.model,
        )

    def finish(self, seconds: float) -> None:
        self.seconds = round(seconds, 2)
        if self.seconds > 0:
            self.sentences_per_second = round(self.sentences / self.seconds, 1)


@dataclass(frozen=True)
class Hit:
    """A source sentence found by meaning."""

    doc_id: str
    start: int
    end: int
    cosine: float
    row: int = -1  # its position in the loaded index (SentenceIndex.vector)


def indexable(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and sum(c.isalpha() for c in text) >= MIN_LETTERS


def quantize(vectors: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """int8 rows and the float32 factor that restores each (row * scale ~ vector)."""
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


@dataclass
class EmbedBatch:
    """One model run of `build_index`: the documents it indexes, each with its sentence spans
    and their texts, and `fresh`, the distinct texts no earlier batch of the run embedded
    (the only ones the model encodes; the others are taken from the run's cache)."""

    docs: list[tuple[str, list[tuple[int, int]], list[str]]]
    fresh: list[str]

    @property
    def doc_ids(self) -> list[str]:
        return [d for d, _, _ in self.docs]


Quantized = tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]


def embed_quantized(texts: list[str]) -> Quantized:
    """int8 vectors and their scales of `texts` (`fresh` of a batch): the work of one batch,
    run here or as a Dask task (casegraph.scale.embed), with the same result."""
    return quantize(embed.encode(texts))


def plan_batches(
    store: CaseStore,
    model: str = embed.STORE_KEY,
    doc_ids: list[str] | None = None,
    batch_sentences: int = BATCH_SENTENCES,
) -> Iterator[EmbedBatch]:
    """The batches of a `build_index` run, in order: source documents without vectors (by
    rowid) gathered until a batch holds `batch_sentences` sentences. A text is fresh the
    first time the run sees it (`IndexWriter` keeps its vector; both forget every text
    past MAX_TEXT_CACHE, at the same points, so they stay in step)."""
    seen: set[str] = set()
    pending: list[tuple[str, list[tuple[int, int]], list[str]]] = []
    size = 0

    def batch() -> EmbedBatch:
        nonlocal pending, size
        keys = [k for _, _, texts in pending for k in texts]
        fresh = list(dict.fromkeys(k for k in keys if k not in seen))
        seen.update(fresh)
        out = EmbedBatch(pending, fresh)
        if len(seen) > MAX_TEXT_CACHE:
            seen.clear()
        pending, size = [], 0
        return out

    after = 0
    while True:
        page = store.sources_without_vectors(model, doc_ids, after=after)
        if not page:
            break
        after = page[-1][0]
        for _, doc_id in page:
            text, segments = store.indexable_sentences(doc_id)
            spans: list[tuple[int, int]] = []
            texts: list[str] = []
            for start, end in segments:
                sentence = text[start:end]
                if indexable(sentence):
                    spans.append((start, end))
                    texts.append(" ".join(sentence.split())[:800])  # as embed.encode clips it
            pending.append((doc_id, spans, texts))
            size += len(texts)
            if size >= batch_sentences:
                yield batch()
    if pending:
        yield batch()


class IndexWriter:
    """Stores the batches of a run in order, given the vectors of each batch's fresh texts;
    keeps those vectors for the texts later batches repeat (as `plan_batches` expects)."""

    def __init__(self, store: CaseStore, model: str, summary: IndexSummary):
        self.store = store
        self.model = model
        self.summary = summary
        self.cache: dict[str, tuple[npt.NDArray[np.int8], np.float32]] = {}
        self.lost: set[str] = set()  # fresh texts of batches that failed: their documents fail

    def write(self, batch: EmbedBatch, vectors: Quantized) -> list[str]:
        """Store the batch; returns the documents left out (a text of theirs was lost)."""
        q, scales = vectors
        if len(q) != len(batch.fresh) or len(scales) != len(batch.fresh):
            raise ValueError(f"{len(batch.fresh)} texts but {len(q)} vectors")
        for key, row, scale in zip(batch.fresh, q, scales, strict=True):
            self.cache[key] = (row, scale)
        self.summary.embedded += len(batch.fresh)
        rows: list[VectorRow] = []
        skipped: list[str] = []
        for doc_id, spans, texts in batch.docs:
            if any(t not in self.cache for t in texts):
                skipped.append(doc_id)
                continue
            dq = np.zeros((len(texts), embed.DIMENSIONS), dtype=np.int8)
            ds = np.zeros(len(texts), dtype="<f4")
            for j, t in enumerate(texts):
                dq[j], ds[j] = self.cache[t]
            flat = np.asarray(spans, dtype="<i4").reshape(-1)
            rows.append((doc_id, len(texts), flat.tobytes(), dq.tobytes(), ds.tobytes()))
            self.summary.documents += 1
            self.summary.sentences += len(texts)
        self.store.put_sentence_vectors(self.model, rows)
        self._forget()
        return skipped

    def fail(self, batch: EmbedBatch) -> None:
        """A batch whose vectors could not be made: none of it is stored, and the documents
        of later batches that repeat one of its texts are left out too (a rerun does them)."""
        self.lost.update(batch.fresh)
        self._forget()

    def _forget(self) -> None:
        if len(self.cache) + len(self.lost) > MAX_TEXT_CACHE:
            self.cache.clear()
            self.lost.clear()


def index_bar(total: int, progress: bool) -> Any:
    """The terminal progress bar (documents) of an index run, in one process or on Dask;
    None when not shown."""
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="index", file=sys.stderr)


def build_index(
    store: CaseStore,
    doc_ids: list[str] | None = None,
    *,
    model: str = embed.STORE_KEY,
    progress: bool = False,
    batch_sentences: int = BATCH_SENTENCES,
) -> IndexSummary:
    """Embed the sentences of every source document (or of `doc_ids`) not yet indexed.
    casegraph.scale.embed runs the same batches on Dask workers, with the same vectors."""
    summary = IndexSummary(model=model)
    total = store.count_sources_without_vectors(model, doc_ids)
    if total == 0:
        return summary
    began = time.perf_counter()
    bar = index_bar(total, progress)
    writer = IndexWriter(store, model, summary)
    for batch in plan_batches(store, model, doc_ids, batch_sentences):
        writer.write(batch, embed_quantized(batch.fresh))
        if bar is not None:
            bar.update(len(batch.docs))
    if bar is not None:
        bar.close()
    summary.finish(time.perf_counter() - began)
    return summary


class SentenceIndex:
    """The index of one model, loaded into memory: int8 rows, their scales and spans."""

    def __init__(self, doc_ids: list[str], rows: list[VectorRow], stamp: tuple[int, int, int]):
        self.stamp = stamp
        self.doc_ids = doc_ids
        n = sum(r[1] for r in rows)
        self.size = n
        self.vectors = np.zeros((n, embed.DIMENSIONS), dtype=np.int8)
        self.scales = np.zeros(n, dtype=np.float32)
        self.spans = np.zeros((n, 2), dtype=np.int32)
        self.doc_of = np.zeros(n, dtype=np.int32)
        self._by_doc: dict[str, int] | None = None
        self._first = np.zeros(0, dtype=np.int64)
        self._spans_of: dict[int, dict[tuple[int, int], int]] = {}
        at = 0
        for i, (_, count, spans, vectors, scales) in enumerate(rows):
            self.vectors[at : at + count] = np.frombuffer(vectors, dtype=np.int8).reshape(count, -1)
            self.scales[at : at + count] = np.frombuffer(scales, dtype="<f4")
            self.spans[at : at + count] = np.frombuffer(spans, dtype="<i4").reshape(count, 2)
            self.doc_of[at : at + count] = i
            at += count

    @classmethod
    def from_store(cls, store: CaseStore, model: str = embed.STORE_KEY) -> SentenceIndex | None:
        """The store's index (None when it has none), loaded once per process and reloaded
        when the index changes."""
        stamp = store.sentence_vector_stamp(model)
        if stamp[1] == 0:
            return None
        key = (store.path, model)
        with _lock:
            cached = _loaded.get(key)
            if cached is not None and cached.stamp == stamp and store.path != ":memory:":
                return cached
        rows = [r for r in store.sentence_vector_rows(model) if _valid(r)]
        index = cls([r[0] for r in rows], rows, stamp)
        with _lock:
            _loaded[key] = index
        return index

    def search(
        self, queries: npt.NDArray[np.float32], k: int = 24, exclude: str | None = None
    ) -> list[list[Hit]]:
        """The k sentences closest to each query (unit vectors, one per row), best first."""
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if self.size == 0 or len(q) == 0:
            return [[] for _ in range(len(q))]
        k = min(k, self.size)
        skip = self.doc_ids.index(exclude) if exclude in self.doc_ids else -1
        best_scores = np.full((len(q), 0), -np.inf, dtype=np.float32)
        best_rows = np.zeros((len(q), 0), dtype=np.int64)
        for lo in range(0, self.size, SEARCH_CHUNK):
            hi = min(self.size, lo + SEARCH_CHUNK)
            sims = (q @ self.vectors[lo:hi].astype(np.float32).T) * self.scales[lo:hi]
            if skip >= 0:
                sims[:, self.doc_of[lo:hi] == skip] = -np.inf
            take = min(k, hi - lo)
            part = np.argpartition(-sims, take - 1, axis=1)[:, :take]
            best_scores = np.concatenate([best_scores, np.take_along_axis(sims, part, axis=1)], axis=1)
            best_rows = np.concatenate([best_rows, part + lo], axis=1)
            if best_scores.shape[1] > 4 * k:  # keep the running best small
                keep = np.argpartition(-best_scores, k - 1, axis=1)[:, :k]
                best_scores = np.take_along_axis(best_scores, keep, axis=1)
                best_rows = np.take_along_axis(best_rows, keep, axis=1)
        out: list[list[Hit]] = []
        for scores, rows in zip(best_scores, best_rows, strict=True):
            order = np.lexsort((rows, -scores))[:k]  # ties by position: the same every run
            hits = []
            for j in order:
                if not np.isfinite(scores[j]):
                    continue
                r = int(rows[j])
                start, end = (int(x) for x in self.spans[r])
                hits.append(Hit(self.doc_ids[int(self.doc_of[r])], start, end, float(scores[j]), r))
            out.append(hits)
        return out

    def row_of(self, doc_id: str, start: int, end: int) -> int | None:
        """The index row of exactly this sentence span, if it is indexed."""
        if self._by_doc is None:
            self._by_doc = {d: i for i, d in enumerate(self.doc_ids)}
            self._first = np.searchsorted(self.doc_of, np.arange(len(self.doc_ids) + 1))
        i = self._by_doc.get(doc_id)
        if i is None:
            return None
        rows = self._spans_of.get(i)
        if rows is None:
            lo, hi = int(self._first[i]), int(self._first[i + 1])
            rows = {(int(a), int(b)): lo + j for j, (a, b) in enumerate(self.spans[lo:hi])}
            self._spans_of[i] = rows
        return rows.get((start, end))

    def vector(self, row: int) -> npt.NDArray[np.float32]:
        return np.asarray(self.vectors[row], dtype=np.float32) * np.float32(self.scales[row])


def _valid(row: VectorRow) -> bool:
    """A row whose arrays agree with its count (anything else is skipped, never trusted)."""
    _, count, spans, vectors, scales = row
    return len(spans) == 8 * count and len(vectors) == embed.DIMENSIONS * count and len(scales) == 4 * count


_lock = threading.Lock()
_loaded: dict[tuple[str, str], SentenceIndex] = {}

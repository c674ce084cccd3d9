"""Corpus-level pass at the end of each ingest run: near-duplicates and boilerplate.

Incremental and bounded in memory: only documents not seen by an earlier pass are read
(in batches); MinHash signatures, LSH band keys and line counts live in the store, and
near-duplicate candidates come from an indexed lookup of band keys, not from an in-memory
index of the whole corpus.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from casegraph.ingest.segment import PAGE_STAMP
from casegraph.models import CorpusPassSummary, SegmentRecord

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

T = TypeVar("T")
NUM_PERM = 128
THRESHOLD = 0.8  # estimated Jaccard similarity of word 5-gram shingles
SHINGLE = 5
MIN_WORDS = 30  # shorter texts: too few shingles for a meaningful estimate
_WORD = re.compile(r"\w+")


def _bands() -> tuple[int, int]:
    try:
        from datasketch.lsh import _optimal_param

        bands, rows = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)
        return int(bands), int(rows)
    except ImportError:  # private helper: fall back to a split that suits 0.8
        return 9, 13


BANDS, ROWS = _bands()


def _in_transactions(store: CaseStore, items: Iterator[T] | list[T], every: int = 200) -> Iterator[T]:
    """Yield items, committing the work done on them every `every` items (one commit per
    document costs more than the work; a crash loses at most one batch, redone next run)."""
    iterator = iter(items)
    while True:
        with store.transaction():
            batch = 0
            for item in iterator:
                yield item
                batch += 1
                if batch >= every:
                    break
            else:
                return


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


def _identity(value: int) -> int:
    return value


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity)
SIGNATURE_DTYPE = _TEMPLATE.hashvalues.dtype
_MASK = np.uint64(0xFFFFFFFF)


def minhash(text: str) -> npt.NDArray[np.uint64] | None:
    """MinHash of the document's word 5-gram shingles. Shingle hashes are computed in numpy
    from per-word CRC32s (stable across processes, unlike hash()), then fed to datasketch."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    hashes = {w: zlib.crc32(w.encode()) | 1 for w in set(words)}
    word_hashes = np.fromiter(map(hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE + 1
    shingles = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):  # polynomial rolling combination, wrapping in 64 bits
        shingles = shingles * np.uint64(1_000_003) + word_hashes[k : k + n]
    unique = np.unique((shingles ^ (shingles >> np.uint64(32))) & _MASK)
    m = _TEMPLATE.copy()
    # update_batch builds a (num_perm x n) matrix: feed it in slices to bound memory
    for i in range(0, len(unique), 4096):
        m.update_batch(unique[i : i + 4096].tolist())
    values: npt.NDArray[np.uint64] = m.hashvalues
    return values


def band_keys(signature: npt.NDArray[np.uint64]) -> list[tuple[int, int]]:
    return [(b, _hash64(signature[b * ROWS : (b + 1) * ROWS].tobytes())) for b in range(BANDS)]


def link_near_duplicates(store: CaseStore) -> int:
    """MinHash every new document, link it to earlier ones above THRESHOLD. Returns links made."""
    links = 0
    for doc_id, text in _in_transactions(store, store.documents_without_minhash()):
        sig = minhash(text)
        if sig is None:
            store.save_minhash(doc_id, b"", [])
            continue
        bands = band_keys(sig)
        for other in store.minhash_candidates(bands):
            if other == doc_id:
                continue
            raw = store.minhash_signature(other)
            if not raw:
                continue
            similarity = float(np.mean(np.frombuffer(raw, dtype=SIGNATURE_DTYPE) == sig))
            if similarity >= THRESHOLD:
                store.link_near_duplicate(doc_id, other, round(similarity, 4))
                links += 1
        store.save_minhash(doc_id, sig.tobytes(), bands)
    return links


# -- boilerplate -------------------------------------------------------------------------

MIN_DOCUMENTS = 5  # a line must recur in at least this many documents ...
MIN_SHARE = 0.01  # ... and in this share of the corpus, to count as boilerplate
_DIGITS = re.compile(r"\d")


_PAGE_NUMBER = re.compile(r"\s*(?:page\s*)?\d+\s*(?:(?:of|/)\s*\d+)?\s*", re.I)


def line_key(line: str) -> str:
    """Lines that differ only in spacing and case are the same line; page stamps and page
    numbers also match whatever their number ("HOUSE OVERSIGHT 031153"). Other numbers
    count: a "Sent: 12/9/2016" header is not boilerplate."""
    key = " ".join(line.lower().split())
    if key and key[-1].isdigit() and len(key) < 60:
        stripped = line.strip()
        if PAGE_STAMP.fullmatch(stripped) or _PAGE_NUMBER.fullmatch(stripped):
            key = _DIGITS.sub("#", key)
    return key


_WORDISH = re.compile(r"[^\W\d_]{3}")


def _countable(key: str) -> bool:
    """Long enough, with a word in it: not just numbers or punctuation."""
    return len(key) >= 8 and _WORDISH.search(key) is not None


def line_hashes(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for line in text.splitlines():
        key = line_key(line)
        if _countable(key):
            out.setdefault(_hash64(key.encode()), line.strip()[:300])
    return out


def boilerplate_paragraphs(text: str, paragraphs: list[SegmentRecord], boilerplate: set[int]) -> list[int]:
    """Numbers of the paragraphs whose every countable line is boilerplate."""
    out = []
    for para in paragraphs:
        keys = [line_key(line) for line in text[para["start"] : para["end"]].splitlines()]
        keys = [k for k in keys if _countable(k)]
        if keys and all(_hash64(k.encode()) in boilerplate for k in keys):
            out.append(para["number"])
    return out


def detect_boilerplate(store: CaseStore) -> dict[str, int]:
    counted = []
    for doc_id, text in _in_transactions(store, store.documents_without_line_counts()):
        store.add_line_counts(doc_id, line_hashes(text))
        counted.append(doc_id)
    total = store.count_documents()
    threshold = max(MIN_DOCUMENTS, math.ceil(MIN_SHARE * total))
    lines = store.frequent_lines(threshold)
    new = {h for h, _, _ in lines}
    old = {int(r["hash"]) for r in store.boilerplate_lines()}
    if new != old:
        store.set_boilerplate([(str(h), text, n) for h, text, n in lines])
        targets: Any = (doc_id for doc_id, _ in store.iter_document_texts())  # the set changed: re-mark all
    else:
        targets = counted
    marked = 0
    for doc_id in _in_transactions(store, targets):
        marked += _mark_document(store, doc_id, new)
    return {"boilerplate_lines": len(lines), "line_threshold": threshold, "paragraphs_marked": marked}


def _mark_document(store: CaseStore, doc_id: str, boilerplate: set[int]) -> int:
    """Flag the document's boilerplate paragraphs and the sentences inside them."""
    paragraphs = store.segments(doc_id, "paragraph")
    if not boilerplate and not any(p["boilerplate"] for p in paragraphs):
        return 0
    doc = store.get_document(doc_id)
    if doc is None:
        return 0
    text = doc["text"]
    numbers = boilerplate_paragraphs(text, paragraphs, boilerplate) if boilerplate else []
    was = [p["number"] for p in paragraphs if p["boilerplate"]]
    if numbers == was:
        return len(numbers)  # nothing changed: no writes
    store.mark_boilerplate_segments(doc_id, numbers, "paragraph")
    chosen = set(numbers)
    flagged = sorted((p["start"], p["end"]) for p in paragraphs if p["number"] in chosen)
    starts = [a for a, _ in flagged]
    sentences = []
    for sent in store.segments(doc_id, "sentence"):
        i = bisect_right(starts, sent["start"]) - 1  # the flagged paragraph starting at or before it
        if i >= 0 and sent["end"] <= flagged[i][1]:
            sentences.append(sent["number"])
    store.mark_boilerplate_segments(doc_id, sentences, "sentence")
    return len(numbers)


def corpus_pass(store: CaseStore) -> CorpusPassSummary:
    links = link_near_duplicates(store)
    found = detect_boilerplate(store)
    return CorpusPassSummary(
        near_duplicate_links=links,
        boilerplate_lines=found["boilerplate_lines"],
        line_threshold=found["line_threshold"],
        paragraphs_marked=found["paragraphs_marked"],
    )

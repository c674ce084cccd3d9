"""Finding candidate evidence for an item among the source documents.

Narrow first, then embed (measured in benchmarks/check_bench.py: embedding every sentence of
the estate corpus once would take hours on these CPUs, while a check embeds a few hundred
candidate sentences, cached in the `embeddings` table for the next check):

1. documents: full-text search (BM25) on the item's rarest words, OR-ed so that a paraphrase
   sharing only some words still matches; an exact phrase search for quotes; and the source
   documents that mention the item's resolved entities;
2. sentences of those documents that contain the item's words (stems, so "negotiated" meets
   "negotiate"), weighted by rarity; quoted passages inside them become candidates too;
3. embeddings (all-MiniLM-L6-v2) of the item and the best candidates: cosine similarity
   catches paraphrases and back-translations that share few words;
4. the sentence-embedding index of every source sentence (casegraph.search.index, built by
   `analyze`), searched by the item's vector: a paraphrase whose words are common in the corpus
   is found even when full-text search ranks its document below the first 20 (`add_semantic`).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from casegraph.check import embed
from casegraph.check.items import Item
from casegraph.check.text import STOPWORDS, fold, sentences, stem, words
from casegraph.search.index import SentenceIndex
from casegraph.store import CaseStore

SENTENCES_PER_ITEM = 8  # candidate sentences embedded per item (plus quoted passages for quotes)
RARE_TERMS = 8  # a candidate sentence holds at least one of the item's 8 rarest words
MAX_HITS_PER_TERM = 500  # occurrences of one word read per document
SENTENCES_PER_DOCUMENT = 40
SEMANTIC_PER_ITEM = 8  # sentences added per item from the embedding index
SEMANTIC_HITS = 128  # nearest sentences read per item, then re-ranked with their shared words
SEMANTIC_LEXICAL = 0.5  # weight of the rarity-weighted shared words in that re-ranking
SEMANTIC_PER_DOCUMENT = 2
_QUOTED = re.compile(r"[\"“]([^\"“”]{20,600})[\"”]")


@dataclass
class Candidate:
    doc_id: str
    start: int
    end: int
    text: str
    lexical: float = 0.0  # rarity-weighted share of the item's words found here
    cosine: float = 0.0
    score: float = 0.0  # calibrated support score in [0, 1]
    verbatim: float = 0.0  # 0-100: how closely the item's words appear here in order
    via: list[str] = field(default_factory=list)  # how the document was found

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


@dataclass
class Search:
    """What was searched for one item: said in not_found reasons."""

    terms: list[str]
    entities: list[str]
    documents: int
    sentences: int
    absent: list[str] = field(default_factory=list)  # names no source document contains
    semantic: int = 0  # candidates found by the embedding index only


class Retriever:
    """Candidate evidence for items, with per-run caches of documents and sentences."""

    def __init__(
        self,
        store: CaseStore,
        *,
        documents_per_item: int = 20,
        sentences_per_item: int = SENTENCES_PER_ITEM,
        exclude: str | None = None,
        semantic: bool = True,
    ):
        self.store = store
        self.semantic = semantic  # search the sentence-embedding index too (when the case has one)
        self.documents_per_item = documents_per_item
        self.sentences_per_item = sentences_per_item
        self.exclude = exclude
        self._docs: dict[str, dict[str, Any]] = {}
        self._sentences: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        self._df: dict[str, int] = {}
        self._hits: dict[tuple[str, str], list[int]] = {}
        self._lower: dict[str, str] = {}
        self._name_found: dict[str, bool] = {}
        self._entity_found: dict[str, bool] = {}
        self._n = max(1, store.document_count())

    # -- step 1: documents ------------------------------------------------------------------

    def idf(self, word: str) -> float:
        df = self._df.get(word, 0)
        return math.log((self._n + 1) / (df + 0.5))

    def prepare(self, items: list[Item]) -> None:
        """Look up the rarity of every word of every item at once."""
        vocabulary = {w for item in items for w in _query_words(item.core + " " + " ".join(item.names))}
        self._df.update(self.store.term_document_counts(sorted(vocabulary - set(self._df))))

    def documents(self, item: Item) -> tuple[dict[str, list[str]], list[str]]:
        """Candidate source documents -> how each was found; and the words searched."""
        present = [w for w in _query_words(item.core) if self._df.get(w, 0) > 0]
        ranked = sorted(set(present), key=lambda w: (-self.idf(w), w))[:12]
        found: dict[str, list[str]] = {}
        if ranked:
            match = " OR ".join(f'"{w}"' for w in ranked)
            for row in self.store.fts_sources(match, self.documents_per_item, self.exclude):
                found.setdefault(row["doc_id"], []).append("words")
        phrase = _phrase(item.core)
        if item.kind == "quote" and phrase:
            for row in self.store.fts_sources(phrase, 5, self.exclude):
                found.setdefault(row["doc_id"], []).insert(0, "phrase")
        if item.entity_ids:
            for row in self.store.sources_mentioning(item.entity_ids, self.documents_per_item // 2):
                found.setdefault(row["doc_id"], []).append("entities")
        return found, ranked

    # -- step 2: sentences ------------------------------------------------------------------

    def _document(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._docs:
            self._docs.update(self.store.documents_for_check([doc_id]))
        return self._docs[doc_id]

    def _sentence_index(self, doc_id: str) -> tuple[list[int], list[tuple[int, int]]]:
        if doc_id not in self._sentences:
            spans = self.store.sentence_spans(doc_id) or list(sentences(self._document(doc_id)["text"]))
            self._sentences[doc_id] = ([s for s, _ in spans], spans)
        return self._sentences[doc_id]

    def candidates(self, item: Item) -> tuple[list[Candidate], Search]:
        """The best sentences (and quoted passages) for the item, by weighted word overlap.

        Only sentences holding one of the item's rarest words are scored (a regular
        expression over each document finds them), so that long documents and common
        words cost little."""
        docs, searched = self.documents(item)
        stems: dict[str, float] = {}
        for w in _query_words(item.core):
            stems[stem(w)] = max(stems.get(stem(w), 0.0), self.idf(w))
        total = sum(stems.values()) or 1.0
        present = {stem(w) for w in searched}
        rare = sorted(present, key=lambda x: (-stems.get(x, 0.0), x))[
            :RARE_TERMS
        ]  # ties by word: the same every run
        scored: list[Candidate] = []
        for doc_id, via in docs.items():
            text = self._document(doc_id)["text"]
            _, spans = self._sentence_index(doc_id)
            hits: dict[int, int] = {}
            for term in rare:
                for i in self._term_sentences(doc_id, term):
                    hits[i] = hits.get(i, 0) + 1
            best_hit = sorted(hits, key=lambda i: -hits[i])[:SENTENCES_PER_DOCUMENT]
            for i in best_hit:
                start, end = spans[i]
                sentence = text[start:end]
                scored.append(
                    Candidate(doc_id, start, end, sentence, lexical=_weight(sentence, stems, total), via=via)
                )
        scored.sort(key=lambda c: (-c.lexical, c.doc_id, c.start))
        best = _diverse(scored, self.sentences_per_item)
        if item.kind == "quote":  # the quoted passages of the source sentences, and quotes running on
            best += self._quoted_parts(best, stems, total)
        absent = self.absent_names(item.names, item.entity_ids)
        search = Search(searched, list(item.names), len(docs), len(scored), absent)
        return best, search

    def absent_names(self, names: list[str], entity_ids: list[str] | None = None) -> list[str]:
        """The item's names that no source document names (worth saying): neither in these
        words nor as the resolved entity ("Mr. Aliyev" in a source names "Rakhat Aliyev" once
        resolution has linked the two)."""
        absent = []
        aliases = self.store.entity_aliases(entity_ids) if entity_ids else {}
        for name in dict.fromkeys(names):
            if name not in self._name_found:
                phrase = _phrase(name, size=6, minimum=1)
                self._name_found[name] = bool(phrase and self.store.fts_sources(phrase, 1, self.exclude))
            if not self._name_found[name] and not self._entity_in_sources(name, aliases):
                absent.append(name)
        return absent

    def _entity_in_sources(self, name: str, aliases: dict[str, list[str]]) -> bool:
        """Whether an entity the article's `name` resolved to is mentioned in a source."""
        wanted = fold(name)
        for entity_id, known in aliases.items():
            if any(fold(a) == wanted for a in known):
                if entity_id not in self._entity_found:
                    self._entity_found[entity_id] = bool(self.store.sources_mentioning([entity_id], 1))
                if self._entity_found[entity_id]:
                    return True
        return False

    def _term_sentences(self, doc_id: str, term: str) -> list[int]:
        """Sentences of a document holding a word that starts with `term` (cached: the items
        of one article share their rare words)."""
        key = (doc_id, term)
        if key not in self._hits:
            if doc_id not in self._lower:
                text = self._document(doc_id)["text"]
                lower = text.lower()
                if len(lower) != len(text):  # "İ" lowers to two characters: keep offsets aligned
                    lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
                self._lower[doc_id] = lower
            lower = self._lower[doc_id]
            starts, spans = self._sentence_index(doc_id)
            found: list[int] = []
            at = lower.find(term)
            n = 0
            while at != -1 and n < MAX_HITS_PER_TERM:
                if at == 0 or not lower[at - 1].isalnum():  # the start of a word
                    n += 1
                    i = bisect.bisect_right(starts, at) - 1
                    if i >= 0 and at < spans[i][1] and (not found or found[-1] != i):
                        found.append(i)
                at = lower.find(term, at + len(term))
            self._hits[key] = found
        return self._hits[key]

    def _quoted_parts(
        self, chosen: list[Candidate], stems: dict[str, float], total: float
    ) -> list[Candidate]:
        """Quoted passages inside candidate sentences, and the sentence pair a quote may span."""
        extra: list[Candidate] = []
        for c in chosen:
            for m in _QUOTED.finditer(c.text):
                start, end = c.start + m.start(1), c.start + m.end(1)
                extra.append(
                    Candidate(
                        c.doc_id, start, end, m.group(1), lexical=_weight(m.group(1), stems, total), via=c.via
                    )
                )
            starts, spans = self._sentence_index(c.doc_id)
            i = bisect.bisect_left(starts, c.start)
            if (
                i + 1 < len(spans) and c.text.lstrip()[:1] in '"“'
            ):  # a quote running on into the next sentence
                text = self._document(c.doc_id)["text"]
                end = spans[i + 1][1]
                extra.append(
                    Candidate(
                        c.doc_id,
                        c.start,
                        end,
                        text[c.start : end],
                        lexical=_weight(text[c.start : end], stems, total),
                        via=c.via,
                    )
                )
        return extra

    def document(self, doc_id: str) -> dict[str, Any]:
        return self._document(doc_id)

    # -- step 4: the sentence-embedding index -----------------------------------------------

    def add_semantic(
        self,
        items: list[Item],
        queries: list[npt.NDArray[np.float32]],
        found: list[tuple[list[Candidate], Search]],
    ) -> dict[tuple[str, int, int], npt.NDArray[np.float32]]:
        """Add to each item's candidates the source sentences nearest to its vector in the
        case's sentence index (repeats and more than SEMANTIC_PER_DOCUMENT per document left
        out); returns the index's vectors of the sentences added. Nothing when the case has
        no index (built by `analyze`) or `semantic` is off."""
        index = SentenceIndex.from_store(self.store) if self.semantic and items else None
        if index is None:
            return {}
        vectors: dict[tuple[str, int, int], npt.NDArray[np.float32]] = {}
        hits = index.search(np.stack(queries).astype(np.float32), k=SEMANTIC_HITS, exclude=self.exclude)
        for item, (cands, search), near in zip(items, found, hits, strict=True):
            stems, total = self._stems(item)
            known = {c.key for c in cands}
            docs = {c.doc_id for c in cands}
            texts = {h: self._document(h.doc_id)["text"][h.start : h.end] for h in near}
            lexical = {h: _weight(texts[h], stems, total) for h in near}
            # nearest by meaning first, then the ones that also share the item's rarer words
            ranked = sorted(near, key=lambda h: -(h.cosine + SEMANTIC_LEXICAL * lexical[h]))
            seen: set[float] = set()
            per_doc: dict[str, int] = {}
            added = 0
            for hit in ranked:
                if added >= SEMANTIC_PER_ITEM:
                    break
                repeat = round(hit.cosine, 4)  # the same sentence in a copy of the document
                if repeat in seen or per_doc.get(hit.doc_id, 0) >= SEMANTIC_PER_DOCUMENT:
                    continue
                seen.add(repeat)
                per_doc[hit.doc_id] = per_doc.get(hit.doc_id, 0) + 1
                key = (hit.doc_id, hit.start, hit.end)
                if key in known:
                    continue
                cands.append(
                    Candidate(
                        hit.doc_id,
                        hit.start,
                        hit.end,
                        texts[hit],
                        lexical=lexical[hit],
                        cosine=hit.cosine,
                        via=["embedding"],
                    )
                )
                vectors[key] = index.vector(hit.row)
                added += 1
                if hit.doc_id not in docs:
                    docs.add(hit.doc_id)
                    search.documents += 1
            search.semantic = added
        return vectors

    def _stems(self, item: Item) -> tuple[dict[str, float], float]:
        stems: dict[str, float] = {}
        for w in _query_words(item.core):
            stems[stem(w)] = max(stems.get(stem(w), 0.0), self.idf(w))
        return stems, sum(stems.values()) or 1.0

    # -- step 3: embeddings -------------------------------------------------------------------

    def embed_spans(
        self, spans: list[tuple[str, int, int, str]], model: str = embed.STORE_KEY
    ) -> dict[tuple[str, int, int], npt.NDArray[np.float32]]:
        """Vectors of (doc_id, start, end) spans: stored ones reused, new ones stored.
        Items of articles are stored under their own `model` key: their text is the span's
        checkable core (no quote marks, no "the documents state that"), not the span itself."""
        return self.embed_groups([(spans, model)])[0]

    def embed_groups(
        self, groups: list[tuple[list[tuple[str, int, int, str]], str]]
    ) -> list[dict[tuple[str, int, int], npt.NDArray[np.float32]]]:
        """`embed_spans` for several (spans, model key) groups, with every missing vector of
        all groups made in one `embed.encode` call (the model is fastest on full batches)."""
        found: list[dict[tuple[str, int, int], npt.NDArray[np.float32]]] = []
        missing: list[tuple[int, tuple[str, int, int], str]] = []
        index = SentenceIndex.from_store(self.store) if self.semantic else None
        for g, (spans, model) in enumerate(groups):
            keys = list({(d, s, e): t for d, s, e, t in spans}.items())
            stored = self.store.get_embeddings([k for k, _ in keys], model) if keys else {}
            found.append({k: embed.from_blob(v) for k, v in stored.items()})
            if index is not None and model == embed.STORE_KEY:  # source sentences embedded by analyze
                for k, _ in keys:
                    row = index.row_of(*k) if k not in found[g] else None
                    if row is not None:
                        found[g][k] = index.vector(row)
            missing += [(g, k, t) for k, t in keys if k not in found[g]]
        if missing:
            fresh = embed.encode([t for _, _, t in missing])
            for g, (_, model) in enumerate(groups):
                rows = [(k, v) for (h, k, _), v in zip(missing, fresh, strict=False) if h == g]
                if rows:
                    self.store.put_embeddings([(*k, embed.to_blob(v)) for k, v in rows], model)
                    found[g].update(rows)
        return found


def _query_words(text: str) -> list[str]:
    return [
        w
        for w in words(text)
        if (w not in STOPWORDS and len(w) >= 3 and not w.isdigit()) or (w.isdigit() and len(w) == 4)
    ]


def _phrase(text: str, size: int = 8, minimum: int = 4) -> str:
    """An FTS5 phrase of the item's first words (enough to find a verbatim quote)."""
    tokens = re.findall(r"\w+", fold(text))
    return '"' + " ".join(tokens[:size]) + '"' if len(tokens) >= minimum else ""


def _weight(text: str, stems: dict[str, float], total: float) -> float:
    present = {stem(w) for w in words(text)}
    return sum(v for s, v in stems.items() if s in present) / total


def _diverse(scored: list[Candidate], limit: int, per_document: int = 4) -> list[Candidate]:
    """The best candidates, at most `per_document` from one document (near-duplicate
    documents and long reports must not crowd out the rest)."""
    chosen: list[Candidate] = []
    counts: dict[str, int] = {}
    for c in scored:
        if len(chosen) >= limit:
            break
        if counts.get(c.doc_id, 0) >= per_document or len(c.text.split()) < 4:
            continue
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        chosen.append(c)
    return chosen

"""The part of the public API (casegraph.api.Case) for analysis (analyze, mentions, quotes, claims, relations, rhetoric, info, eval)."""

from __future__ import annotations

import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from casegraph.models import (
    AnalysisFailure,
    AnalysisInfo,
    AnalyzeSummary,
    ClaimRecord,
    EntityRef,
    EvidenceSpan,
    LearnedModels,
    MentionRecord,
    QuoteRecord,
    RegisterAnnotated,
    RelationParty,
    RelationRecord,
    RhetoricRecord,
)
from casegraph.store import CaseStore

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

MAX_BATCH_CHARS = 100_000  # text handed to a worker at a time (one larger document goes alone)
MAX_BATCH_DOCS = 32


class AnalysisAPI:
    store: CaseStore

    def analyze_documents(
        self,
        doc_ids: list[str] | None = None,
        *,
        model: str | None = None,
        processes: int = 1,
        force: bool = False,
        progress: bool | None = None,
        index: bool = True,
    ) -> AnalyzeSummary:
        """Analyze documents not yet analyzed (all of them with force, except the documents of
        structured registers unless named in doc_ids; or just doc_ids): entities, quotes, claims, relations, rhetoric. Returns a run summary. A document that
        fails is recorded with its error and the run goes on."""
        from tqdm import tqdm

        from casegraph.analyze.analyzer import (
            VERSION,
            AnalysisTally,
            DocAnalysis,
            Payload,
            _init_worker,
            _work,
            analyze_batch,
            run_summary,
        )
        from casegraph.analyze.pipeline import load_nlp, model_name

        name = model_name(model)
        nlp = load_nlp(name)
        label = f"{name}@{nlp.meta.get('version', '')}"
        # e-mail header structure is stored at ingest; documents stored before it get it once
        from casegraph.ingest.email_header import store_missing

        store_missing(self.store)
        total_docs, total_chars = self.store.count_documents_to_analyze(force, doc_ids)
        show = sys.stderr.isatty() if progress is None else progress
        bar = tqdm(
            total=total_chars, unit="char", unit_scale=True, desc="analyze", disable=not show, file=sys.stderr
        )
        done = AnalysisTally(documents=0, words=0, failed=[])
        # several workers need several batches each to share the work evenly
        batch_chars = (
            MAX_BATCH_CHARS
            if processes <= 1
            else max(20_000, min(MAX_BATCH_CHARS, total_chars // (processes * 6)))
        )
        started = time.perf_counter()

        def batches() -> Iterator[list[Payload]]:
            last, batch, size = 0, [], 0
            while True:
                rows = self.store.documents_to_analyze(last, 50, force, doc_ids)
                if not rows:
                    break
                last = rows[-1]["rowid"]
                if processes > 1:  # longest first: workers finish together instead of waiting on one
                    rows.sort(key=lambda r: -len(r["text"]))
                for row in rows:
                    paragraphs = self.store.segments(row["id"], "paragraph")
                    headers = self.store.email_headers(row["id"])
                    batch.append(Payload(row["id"], row["text"], row["meta"], paragraphs, headers))
                    size += len(row["text"])
                    if size >= batch_chars or len(batch) >= MAX_BATCH_DOCS:
                        yield batch
                        batch, size = [], 0
            if batch:
                yield batch

        def save(results: list[DocAnalysis]) -> None:
            for result in results:
                if result.error:
                    self.store.record_analysis_failure(result.doc_id, label, VERSION, result.error)
                    done["failed"].append(AnalysisFailure(doc_id=result.doc_id, error=result.error))
                    print(f"analyze: {result.doc_id}: {result.error}", file=sys.stderr)
                else:
                    self.store.save_analysis(result, label, VERSION)
                    done["documents"] += 1
                    done["words"] += result.words

        if processes <= 1:
            for batch in batches():
                save(analyze_batch(batch, name))
                bar.update(sum(len(p.text) for p in batch))
        else:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(processes, initializer=_init_worker, initargs=(name,)) as pool:
                pending: deque[tuple[AsyncResult[list[DocAnalysis]], int]] = deque()
                for batch in batches():
                    pending.append((pool.apply_async(_work, (batch,)), sum(len(p.text) for p in batch)))
                    while len(pending) >= processes * 2:  # a bounded window of work in flight
                        job, chars = pending.popleft()
                        save(job.get())
                        bar.update(chars)
                while pending:
                    job, chars = pending.popleft()
                    save(job.get())
                    bar.update(chars)
        bar.close()
        seconds = time.perf_counter() - started
        summary = run_summary(label, done, total_docs, seconds)
        if index:  # every source sentence embedded once, for `check` (casegraph.search.index)
            from casegraph.search.index import build_index

            summary["index"] = build_index(self.store, doc_ids, progress=show).to_dict()
        return summary

    def annotate_registers(self, doc_ids: list[str]) -> RegisterAnnotated:
        """Mentions and relations of register documents, from the structure ingest kept."""
        from casegraph.analyze.register import annotate_registers

        return annotate_registers(self.store, doc_ids)

    # -- reading annotations ------------------------------------------------------------

    def mentions(
        self, doc_id: str | None = None, label: str | None = None, limit: int | None = None
    ) -> list[MentionRecord]:
        return [
            MentionRecord(
                doc_id=r["doc_id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                label=r["label"],
                entity_id=r["entity_id"],
            )
            for r in self.store.mention_rows(doc_id, label, limit)
        ]

    def quotes(self, doc_id: str | None = None, limit: int | None = None) -> list[QuoteRecord]:
        return [
            QuoteRecord(
                doc_id=r["doc_id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                speaker=r["speaker"],
                cue=r["cue"],
                direct=r["direct"],
            )
            for r in self.store.quote_rows(doc_id, limit)
        ]

    def claims(
        self, doc_id: str | None = None, type: str | None = None, limit: int | None = None
    ) -> list[ClaimRecord]:
        return [
            ClaimRecord(
                doc_id=r["doc_id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                type=r["type"],
                hedges=r["hedges"],
                boosters=r["boosters"],
                attributed_to=r["attributed_to"],
                checkworthiness=r["checkworthiness"],
            )
            for r in self.store.claim_rows(doc_id, type, limit)
        ]

    def relations(
        self, doc_id: str | None = None, kind: str | None = None, typed_only: bool = False
    ) -> list[RelationRecord]:
        """Relations grouped by (subject, object, kind) with all their evidence spans. Typed
        relations come first; `mentioned_with` (co-occurrence in a sentence) carries "count"."""
        groups: dict[tuple[str, str, str], RelationRecord] = {}
        predicates: dict[tuple[str, str, str], Counter[str]] = {}
        for r in self.store.relation_rows(doc_id, kind, typed_only):
            subj = _party(r["subject"], r["subject_entity"])
            obj = _party(r["object"], r["object_entity"])
            if subj is None or obj is None:
                continue
            key = (subj["id"], obj["id"], r["kind"])
            g = groups.get(key)
            if g is None:
                g = groups[key] = RelationRecord(
                    subject=subj,
                    object=obj,
                    kind=r["kind"],
                    predicate=r["predicate"],
                    evidence=[],
                    confidence=0.0,
                    negated=True,
                    hedged=False,
                    count=0,
                )
                predicates[key] = Counter()
            predicates[key][r["predicate"]] += 1
            g["evidence"].append(
                EvidenceSpan(doc_id=r["doc_id"], start=r["start"], end=r["end"], text=r["text"])
            )
            g["confidence"] = max(g["confidence"], r["confidence"])
            g["negated"] = g["negated"] and bool(r["negated"])
            g["hedged"] = g["hedged"] or bool(r["hedged"])
            g["count"] += int(r["meta"].get("count", 1))
        out = []
        for key, g in groups.items():
            g["predicate"] = predicates[key].most_common(1)[0][0]
            out.append(g)
        out.sort(
            key=lambda g: (g["kind"] == "mentioned_with", g["kind"], -g["count"], g["subject"]["name"] or "")
        )
        return out

    def rhetoric(
        self, doc_id: str | None = None, technique: str | None = None, limit: int | None = None
    ) -> list[RhetoricRecord]:
        return [
            RhetoricRecord(
                doc_id=r["doc_id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                technique=r["technique"],
                score=r["score"],
            )
            for r in self.store.rhetoric_rows(doc_id, technique, limit)
        ]

    def info(self, model: str | None = None) -> AnalysisInfo:
        """The NLP pipeline (name, versions, components), the shipped learned models and what
        the database holds."""
        import spacy

        from casegraph.analyze import checkworthy, rhetoric
        from casegraph.analyze.analyzer import VERSION
        from casegraph.analyze.linear import load_packaged
        from casegraph.analyze.pipeline import load_nlp, model_name

        name = model_name(model)
        nlp = load_nlp(name)
        try:
            from importlib.metadata import version

            casegraph_version = version("casegraph")
        except Exception:  # running from a source tree without installed metadata
            casegraph_version = ""
        summary = self.store.analysis_summary()
        return AnalysisInfo(
            model=name,
            model_version=nlp.meta.get("version", ""),
            spacy=spacy.about.__version__,
            components=list(nlp.pipe_names),
            analysis_version=VERSION,
            casegraph=casegraph_version,
            learned=LearnedModels(
                checkworthiness=checkworthy.MODEL_FILE if load_packaged(checkworthy.MODEL_FILE) else None,
                rhetoric=rhetoric.MODEL_FILE if load_packaged(rhetoric.MODEL_FILE) else "lexicon",
            ),
            counts=self.store.counts(),
            analyses=summary["runs"],
            failed=summary["failed"],
        )


def _party(ref: EntityRef | None, entity: str | None) -> RelationParty | None:
    if ref is not None:
        return RelationParty(id=ref["id"], name=ref["name"])
    if entity:
        return RelationParty(id=entity, name=entity)
    return None

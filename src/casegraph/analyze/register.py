"""The register annotator: mentions and relations of structured registers (FARA), read from
the structure that ingest kept with each register document (`meta["register_reading"]`)
rather than found by the NLP pipeline.

The document is marked analyzed by `MODEL`, so that `analyze` (even with --force) leaves it
alone; when an NLP run was forced over it by name, annotating again restores the register's
reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from casegraph.models import RegisterAnnotated

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

MODEL = "casegraph-fara"
VERSION = "1"


def annotate_registers(store: CaseStore, doc_ids: Iterable[str]) -> RegisterAnnotated:
    """Store the register reading of each document not yet annotated by the register."""
    annotated = restored = n_mentions = n_relations = 0
    for doc_id in doc_ids:
        doc = store.get_document(doc_id)
        reading: dict[str, Any] | None = doc["meta"].get("register_reading") if doc else None
        if doc is None or reading is None:
            continue
        model = store.analysis_model(doc_id)
        if model == MODEL:
            continue
        text = doc["text"]
        mentions = [{**m, "text": text[m["start"] : m["end"]]} for m in reading["mentions"]]
        relations = [{**r, "text": text[r["start"] : r["end"]]} for r in reading["relations"]]
        store.add_register_annotations(doc_id, mentions, relations, MODEL, VERSION, replace=model is not None)
        if model is None:
            annotated += 1
            n_mentions += len(mentions)
            n_relations += len(relations)
        else:
            restored += 1
    return RegisterAnnotated(
        documents_annotated=annotated,
        documents_restored=restored,
        mentions=n_mentions,
        relations=n_relations,
    )

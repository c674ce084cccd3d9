"""Resolution over a whole store: read mentions and e-mail parties, resolve, apply the
stored corrections, write entities and links in one transaction."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from casegraph.resolve.corrections import Applier
from casegraph.resolve.incremental import full_state, invalidate
from casegraph.resolve.resolver import build_groups, join_groups, make_entities

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore


def refresh_email_parties(store: CaseStore) -> int:
    """E-mail parties are stored at ingest with each document's header structure
    (ingest/email_header.py); documents stored before that get theirs here, once. No text is
    parsed for a document whose structure is stored. Returns how many documents were parsed."""
    from casegraph.ingest.email_header import store_missing

    return store_missing(store)


def resolve_store(store: CaseStore) -> dict[str, Any]:
    started = time.perf_counter()
    invalidate(store)  # GraphAPI.resolve marks the case ready once the graph is built too
    refresh_email_parties(store)
    # documents by id (their content hash), each one's rows in the order they were written:
    # the same order on both backends however many workers wrote the case, where row ids
    # interleave the documents of parallel writers (the incremental resolve goes by id too)
    mentions = sorted(store.iter_name_mentions(), key=lambda m: (m["doc_id"], m["id"]))
    parties = sorted(store.email_parties(), key=lambda p: (p["doc_id"], p["id"]))
    groups = build_groups(mentions, parties, text_of=store.document_text)  # titles before surnames
    clusters = join_groups(groups)
    entities = make_entities(groups, clusters)
    machine = (
        {m: e["id"] for e in entities for m in e["mention_ids"]},
        {p: e["id"] for e in entities for p in e["party_ids"]},
    )
    by_mention = {m["id"]: m for m in mentions}
    applier = Applier(entities, by_mention)
    applied = sum(applier.apply(c) for c in store.corrections())
    entities = applier.entities
    mention_links = [(e["id"], mid) for e in entities for mid in e["mention_ids"]]
    party_links = [(e["id"], pid) for e in entities for pid in e["party_ids"]]
    for e in entities:
        e["meta"]["anchors"] = [list(a) for a in e["anchors"][:20]]
    party_owner = {p: e["id"] for e in entities for p in e["party_ids"]}
    with store.transaction():  # the entities and the keys the next documents join them by
        store.replace_entities(entities, mention_links, party_links)
        keys = full_state(store, groups, clusters, machine, applier.owner, party_owner)
    merged = sum(1 for e in entities if len({m_key(by_mention[m]) for m in e["mention_ids"]}) > 1)
    summary = {
        "mentions": len(mentions),
        "email_parties": len(parties),
        "entities": len(entities),
        "entities_with_several_names": merged,
        "corrections_applied": applied,
        "resolve_keys": keys,
        "seconds": round(time.perf_counter() - started, 3),
    }
    store.set_state("last_resolve", summary)
    return summary


def m_key(mention: dict[str, Any]) -> str:
    return " ".join(mention["text"].lower().split())

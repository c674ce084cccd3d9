"""FollowTheMoney entities for the graph, built with the `followthemoney` library.

Entities: PERSON → Person, ORG → Company when the name carries a legal form (LLC, Inc.),
else Organization; places → Address (with the country code where the name is a country);
source documents → Document. Relations → Family, Employment / Membership, Associate, Payment,
Representation or UnknownLink, each with `proof` pointing at the Document entities of its
evidence and the first evidence sentence as `summary`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from rigour.names.org_types import extract_org_types

from casegraph.models import DocumentBrief, EdgeRow

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

PLACE_TYPES = {"GPE", "LOC", "FAC"}


def entity_schema(node: dict[str, Any]) -> str | None:
    if node["type"] == "PERSON":
        return "Person"
    if node["type"] == "ORG":
        return "Company" if extract_org_types(node["name"].lower()) else "Organization"
    if node["type"] in PLACE_TYPES:
        return "Address"
    return None  # nationalities, groups and bare e-mail addresses have no FtM schema of their own


def _node_proxy(node: dict[str, Any]) -> EntityProxy | None:
    schema = entity_schema(node)
    if schema is None:
        return None
    proxy = model.make_entity(schema)
    proxy.id = node["id"]
    if schema == "Address":
        proxy.add("full", node["name"])
        code = registry.country.clean(node["name"])
        if code:
            proxy.add("country", code)
    else:
        proxy.add("name", node["name"])
        for alias in node["aliases"]:
            if "@" in alias and schema != "Address":
                proxy.add("email", alias)
            else:
                proxy.add("alias", alias)
    return proxy


def _document_proxy(doc: DocumentBrief) -> EntityProxy:
    proxy = model.make_entity("Document")
    proxy.id = f"doc-{doc['id']}"
    proxy.add("title", doc.get("title") or PurePath(doc.get("path") or doc["id"]).name)
    proxy.add("fileName", PurePath((doc.get("path") or "").split("#")[0]).name or doc["id"])
    if doc.get("date"):
        proxy.add("date", str(doc["date"])[:10])
    return proxy


def _relation_proxy(edge: EdgeRow, a: EntityProxy, b: EntityProxy) -> EntityProxy:
    kind = edge["kind"]
    a_person, b_person = a.schema.is_a("Person"), b.schema.is_a("Person")
    a_legal, b_legal = a.schema.is_a("LegalEntity"), b.schema.is_a("LegalEntity")
    b_org = b.schema.is_a("Organization")

    def make(schema: str, pairs: list[tuple[str, EntityProxy]], role_prop: str | None) -> EntityProxy:
        proxy = model.make_entity(schema)
        proxy.make_id("casegraph", edge["a"], edge["b"], kind)
        for prop, value in pairs:
            proxy.add(prop, value.id)
        if role_prop:
            proxy.add(role_prop, edge["predicate"] or kind)
        return proxy

    if kind == "family" and a_person and b_person:
        return make("Family", [("person", a), ("relative", b)], "relationship")
    if kind == "role" and a_person and b_org:
        return make("Employment", [("employee", a), ("employer", b)], "role")
    if kind in ("member", "role") and a_legal and b_org:
        return make("Membership", [("member", a), ("organization", b)], "role")
    if kind in ("associate", "met", "mentioned_with", "communicated", "conflict") and a_person and b_person:
        return make("Associate", [("person", a), ("associate", b)], "relationship")
    if kind == "paid" and a_legal and b_legal:
        return make("Payment", [("payer", a), ("beneficiary", b)], None)
    if kind in ("represents", "hired", "lobbied") and a_legal and b_legal:
        agent, client = (b, a) if kind == "hired" else (a, b)  # "X hired Y": Y acts for X
        return make("Representation", [("agent", agent), ("client", client)], "role")
    return make("UnknownLink", [("subject", a), ("object", b)], "role")


def ftm_entities(store: CaseStore, nodes: Any, edges: Any, evidence: Any) -> Iterator[EntityProxy]:
    proxies: dict[str, EntityProxy] = {}
    for node in nodes:
        proxy = _node_proxy(node)
        if proxy is not None:
            proxies[node["id"]] = proxy
            yield proxy
    doc_ids = sorted({ev["doc_id"] for evs in evidence.values() for ev in evs if ev["doc_id"]})
    docs = store.documents_meta(doc_ids)
    for doc_id in doc_ids:
        if doc_id in docs:
            yield _document_proxy(docs[doc_id])
    for edge in edges:
        a, b = proxies.get(edge["a"]), proxies.get(edge["b"])
        if a is None or b is None:
            continue
        proxy = _relation_proxy(edge, a, b)
        ev = evidence.get(edge["id"], [])
        for item in ev:
            if item["doc_id"] in docs:
                proxy.add("proof", f"doc-{item['doc_id']}")
        if ev:
            proxy.add("summary", ev[0]["text"][:1000])
        proxy.add(
            "description",
            f"{edge['kind']}: {edge['count']} pieces of evidence in {edge['documents']} documents",
        )
        yield proxy

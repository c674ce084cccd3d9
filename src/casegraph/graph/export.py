"""Exports of the entity graph: GEXF and GraphML (Gephi, networkx, igraph), FollowTheMoney
JSON lines (Aleph / OpenAleph), CSV of nodes and edges, and Neo4j LOAD CSV files.

Every edge carries its kind, evidence count, the documents of its evidence and whether that
evidence comes from sources or from articles (`evidence_kind`); the
FollowTheMoney export links each relationship to Document entities through `proof`.

Spreadsheet formula injection: in the csv and neo4j files, a text cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return (after any apostrophes) gets a leading `'`, as
OWASP recommends, so that a name or a sentence from a source document such as
`=HYPERLINK(...)` is shown as text by Excel, LibreOffice or Google Sheets and never run.
Numbers are written as numbers. To get the original text back, remove one leading `'` from
a cell that starts with apostrophes followed by one of those characters.

Files are written whole or not at all (a temporary file beside each, then a rename), and
never over the case database or its -wal/-shm files.
"""

from __future__ import annotations

import csv
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casegraph.errors import CasegraphError
from casegraph.models import EdgeEvidenceRow, EdgeRow

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

FORMATS = ("gexf", "graphml", "ftm", "csv", "neo4j")
FOLDER_FORMATS = ("csv", "neo4j")  # OUT is a folder of files for these


def output_files(fmt: str, out: Path) -> list[Path]:
    """The files an export to `out` writes."""
    if fmt == "csv":
        return [out / "nodes.csv", out / "edges.csv"]
    if fmt == "neo4j":
        return [out / "nodes.csv", out / "relationships.csv", out / "load.cypher"]
    return [out]


_FORMULA = re.compile(r"'*[-=+@\t\r]")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a string that would start a formula gets a leading
    apostrophe (OWASP's advice on CSV injection); other values are returned unchanged."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _safe_row(row: list[Any]) -> list[Any]:
    return [spreadsheet_safe(v) for v in row]


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary path to write; renamed to `path` only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        yield part
        os.replace(part, path)
    finally:
        if part.exists():
            part.unlink()


def _refuse_case_files(store: CaseStore, files: list[Path]) -> None:
    db = os.path.realpath(str(getattr(store, "path", "")))
    own = {db + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    for f in files:
        if os.path.realpath(f) in own or (f.exists() and os.path.exists(db) and os.path.samefile(f, db)):
            raise CasegraphError(f"refusing to write {f}: it is the case database; give another name")


def export(store: CaseStore, fmt: str, out: Path) -> dict[str, Any]:
    if fmt not in FORMATS:
        raise CasegraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _refuse_case_files(store, output_files(fmt, out))
    nodes = store.list_entities()
    edges = list(store.iter_graph_edges())
    evidence = _evidence_by_edge(store)
    writer = {
        "gexf": write_gexf,
        "graphml": write_graphml,
        "ftm": write_ftm,
        "csv": write_csv,
        "neo4j": write_neo4j,
    }[fmt]
    files = writer(store, nodes, edges, evidence, out)
    return {"format": fmt, "nodes": len(nodes), "edges": len(edges), "files": [str(f) for f in files]}


def _evidence_by_edge(store: CaseStore, per_edge: int = 5) -> dict[int, list[EdgeEvidenceRow]]:
    out: dict[int, list[EdgeEvidenceRow]] = {}
    for ev in store.all_edge_evidence():
        bucket = out.setdefault(ev["edge_id"], [])
        if len(bucket) < per_edge:
            bucket.append(ev)
    return out


def _edge_docs(evidence: list[EdgeEvidenceRow]) -> str:
    return " ".join(sorted({e["doc_id"] for e in evidence}))


def _evidence_kind(edge: EdgeRow) -> str:
    """Whether the edge rests on source documents or on articles (graph_edges.evidence)."""
    return str(edge.get("evidence", "source"))


def _edge_text(evidence: list[EdgeEvidenceRow]) -> str:
    return evidence[0]["text"][:500] if evidence else ""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: Any) -> str:
    """Text as XML 1.0 allows it: OCR output carries form feeds and other control characters."""
    return _NOT_XML.sub(" ", str(value))


def _prepare(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# -- GEXF -------------------------------------------------------------------------------------

NODE_ATTRS = [("type", "string"), ("mentions", "integer"), ("documents", "integer"), ("aliases", "string")]
EDGE_ATTRS = [
    ("kind", "string"),
    ("predicate", "string"),
    ("directed", "boolean"),
    ("count", "integer"),
    ("documents", "integer"),
    ("evidence_docs", "string"),
    ("evidence", "string"),
    ("evidence_kind", "string"),
]


def write_gexf(store: CaseStore, nodes: Any, edges: Any, evidence: Any, out: Path) -> list[Path]:
    # GEXF 1.2 is what Gephi and networkx read and write by default
    root = ET.Element("gexf", {"xmlns": "http://www.gexf.net/1.2draft", "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "casegraph"
    # one edge type for the whole file (networkx rejects mixed graphs); co-occurrence edges
    # carry directed=false as an attribute
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        block = ET.SubElement(graph, "attributes", {"class": cls})
        for i, (name, kind) in enumerate(attrs):
            ET.SubElement(block, "attribute", {"id": str(i), "title": name, "type": kind})
    xml_nodes = ET.SubElement(graph, "nodes")
    known = set()
    for n in nodes:
        known.add(n["id"])
        node = ET.SubElement(xml_nodes, "node", {"id": n["id"], "label": _xml(n["name"])})
        values = ET.SubElement(node, "attvalues")
        for i, (name, _) in enumerate(NODE_ATTRS):
            value = "; ".join(n["aliases"]) if name == "aliases" else n[name]
            ET.SubElement(values, "attvalue", {"for": str(i), "value": _xml(value)})
    xml_edges = ET.SubElement(graph, "edges")
    for e in edges:
        if e["a"] not in known or e["b"] not in known:
            continue
        ev = evidence.get(e["id"], [])
        edge_attrs = {
            "id": str(e["id"]),
            "source": e["a"],
            "target": e["b"],
            "label": e["kind"],
            "weight": str(e["strength"]),
        }
        edge = ET.SubElement(xml_edges, "edge", edge_attrs)
        values = ET.SubElement(edge, "attvalues")
        row = {
            **e,
            "directed": "true" if e["directed"] else "false",
            "evidence_docs": _edge_docs(ev),
            "evidence": _edge_text(ev),
            "evidence_kind": _evidence_kind(e),
        }
        for i, (name, _) in enumerate(EDGE_ATTRS):
            ET.SubElement(values, "attvalue", {"for": str(i), "value": _xml(row[name])})
    path = _prepare(out)
    with _atomic(path) as part:
        ET.ElementTree(root).write(part, encoding="utf-8", xml_declaration=True)
    return [path]


# -- GraphML -----------------------------------------------------------------------------------

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_NODE = [
    ("label", "string"),
    ("type", "string"),
    ("mentions", "int"),
    ("documents", "int"),
    ("aliases", "string"),
]
GRAPHML_EDGE = [
    ("kind", "string"),
    ("predicate", "string"),
    ("directed", "boolean"),
    ("count", "int"),
    ("documents", "int"),
    ("weight", "double"),
    ("evidence_docs", "string"),
    ("evidence", "string"),
    ("evidence_kind", "string"),
]


def write_graphml(store: CaseStore, nodes: Any, edges: Any, evidence: Any, out: Path) -> list[Path]:
    """GraphML with the entity ids as node ids (igraph's writer would renumber them)."""
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    for scope, attrs, prefix in (("node", GRAPHML_NODE, "n_"), ("edge", GRAPHML_EDGE, "e_")):
        for name, kind in attrs:
            ET.SubElement(
                root, "key", {"id": prefix + name, "for": scope, "attr.name": name, "attr.type": kind}
            )
    graph = ET.SubElement(root, "graph", {"id": "casegraph", "edgedefault": "directed"})
    known = set()
    for n in nodes:
        known.add(n["id"])
        node = ET.SubElement(graph, "node", {"id": n["id"]})
        row = {**n, "label": n["name"], "aliases": "; ".join(n["aliases"])}
        for name, _ in GRAPHML_NODE:
            ET.SubElement(node, "data", {"key": "n_" + name}).text = _xml(row[name])
    for e in edges:
        if e["a"] not in known or e["b"] not in known:
            continue
        ev = evidence.get(e["id"], [])
        edge = ET.SubElement(graph, "edge", {"id": f"e{e['id']}", "source": e["a"], "target": e["b"]})
        row = {
            **e,
            "directed": "true" if e["directed"] else "false",
            "weight": e["strength"],
            "evidence_docs": _edge_docs(ev),
            "evidence": _edge_text(ev),
            "evidence_kind": _evidence_kind(e),
        }
        for name, _ in GRAPHML_EDGE:
            ET.SubElement(edge, "data", {"key": "e_" + name}).text = _xml(row[name])
    path = _prepare(out)
    with _atomic(path) as part:
        ET.ElementTree(root).write(part, encoding="utf-8", xml_declaration=True)
    return [path]


# -- CSV and Neo4j ----------------------------------------------------------------------------


def _node_rows(nodes: Any) -> Iterator[list[Any]]:
    for n in nodes:
        yield [n["id"], n["name"], n["type"], "; ".join(n["aliases"]), n["mentions"], n["documents"]]


def _edge_rows(edges: Any, evidence: Any, known: Any) -> Iterator[list[Any]]:
    for e in edges:
        if e["a"] in known and e["b"] in known:
            ev = evidence.get(e["id"], [])
            yield [
                e["a"],
                e["b"],
                e["kind"],
                e["predicate"],
                int(e["directed"]),
                e["count"],
                e["documents"],
                e["strength"],
                _edge_docs(ev),
                _edge_text(ev),
                _evidence_kind(e),
            ]


EDGE_HEADER = [
    "source",
    "target",
    "kind",
    "predicate",
    "directed",
    "count",
    "documents",
    "strength",
    "evidence_docs",
    "evidence",
    "evidence_kind",
]


def _write_rows(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    with _atomic(path) as part, part.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(_safe_row(row) for row in rows)


def write_csv(
    store: CaseStore, nodes: Any, edges: Any, evidence: Any, out: Path, edge_file: str = "edges.csv"
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    known = {n["id"] for n in nodes}
    node_path, edge_path = out / "nodes.csv", out / edge_file
    _write_rows(node_path, ["id", "name", "type", "aliases", "mentions", "documents"], _node_rows(nodes))
    _write_rows(edge_path, EDGE_HEADER, _edge_rows(edges, evidence, known))
    return [node_path, edge_path]


NEO4J_SCRIPT = """// Load with: copy nodes.csv and relationships.csv into Neo4j's import folder, then run this file.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (e:Entity {id: row.id})
SET e.name = row.name, e.type = row.type, e.aliases = split(row.aliases, '; '),
    e.mentions = toInteger(row.mentions), e.documents = toInteger(row.documents);
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
MATCH (a:Entity {id: row.source}), (b:Entity {id: row.target})
CREATE (a)-[r:RELATED {kind: row.kind, predicate: row.predicate, directed: toInteger(row.directed) = 1,
    count: toInteger(row.count), documents: toInteger(row.documents), strength: toFloat(row.strength),
    evidence_docs: split(row.evidence_docs, ' '), evidence: row.evidence,
    evidence_kind: row.evidence_kind}]->(b);
"""


def write_neo4j(store: CaseStore, nodes: Any, edges: Any, evidence: Any, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    node_path, rel_path = write_csv(store, nodes, edges, evidence, out, edge_file="relationships.csv")
    script = out / "load.cypher"
    with _atomic(script) as part:
        part.write_text(NEO4J_SCRIPT, encoding="utf-8")
    return [node_path, rel_path, script]


# -- FollowTheMoney ---------------------------------------------------------------------------


def write_ftm(store: CaseStore, nodes: Any, edges: Any, evidence: Any, out: Path) -> list[Path]:
    from casegraph.graph.ftm import ftm_entities

    path = _prepare(out)
    with _atomic(path) as part, part.open("w", encoding="utf-8") as f:
        for proxy in ftm_entities(store, nodes, edges, evidence):
            f.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return [path]

"""Exports read back by their tools' own parsers: networkx and igraph for GEXF / GraphML,
the followthemoney library for FtM, the csv module for CSV and Neo4j files."""

from __future__ import annotations

import csv
import json

import igraph as ig
import networkx as nx
import pytest
from followthemoney import model


def test_gexf_and_graphml_parse_back(seeds_readonly, tmp_path):
    nodes = {e["id"] for e in seeds_readonly.entities()}
    edges = seeds_readonly.store.graph_edge_rows()
    gexf = seeds_readonly.export("gexf", tmp_path / "g.gexf")
    g = nx.read_gexf(gexf["files"][0])
    assert set(g.nodes) == nodes
    assert g.number_of_edges() == len(edges) == gexf["edges"]
    assert g.nodes[seeds_readonly.find_entity("Nazarbayev")["id"]]["label"] == "Nursultan Nazarbayev"
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert "mentioned_with" in kinds and kinds - {"mentioned_with"}

    graphml = seeds_readonly.export("graphml", tmp_path / "g.graphml")
    h = nx.read_graphml(graphml["files"][0])
    assert set(h.nodes) == nodes and h.number_of_edges() == len(edges)
    i = ig.Graph.Read_GraphML(graphml["files"][0])
    assert i.vcount() == len(nodes) and i.ecount() == len(edges)
    assert set(i.vs["label"]) == {e["name"] for e in seeds_readonly.entities()}


def test_ftm_entities_validate_and_cite_documents(seeds_readonly, tmp_path):
    out = seeds_readonly.export("ftm", tmp_path / "entities.ftm.json")
    lines = [json.loads(line) for line in open(out["files"][0], encoding="utf-8")]
    proxies = [model.get_proxy(d, cleaned=False) for d in lines]
    ids = {p.id for p in proxies}
    for data, proxy in zip(lines, proxies, strict=False):
        assert proxy.schema.validate(data) is None
        for required in proxy.schema.required:
            assert data["properties"].get(required), (proxy.schema.name, required)
        if proxy.schema.edge:  # relationships point at existing entities and documents
            for prop in proxy.schema.properties.values():
                if prop.type.name == "entity":
                    assert all(v in ids for v in proxy.get(prop))
            proofs = proxy.get("proof")
            assert proofs and all(p in ids for p in proofs)
    schemata = {p.schema.name for p in proxies}
    assert {"Person", "Document", "Address"} <= schemata
    assert schemata & {"Family", "Associate", "Employment", "Membership", "UnknownLink"}
    family = [p for p in proxies if p.schema.name == "Family"]
    by_id = {p.id: p for p in proxies}
    assert any(
        {by_id[f.first("person")].first("name"), by_id[f.first("relative")].first("name")}
        == {"Rakhat Aliyev", "Nursultan Nazarbayev"}
        for f in family
    )


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_csv_and_neo4j_files(seeds_readonly, tmp_path, fmt):
    out = seeds_readonly.export(fmt, tmp_path / fmt)
    files = {p.split("/")[-1]: p for p in out["files"]}
    with open(files["nodes.csv"], newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    edge_file = files["edges.csv" if fmt == "csv" else "relationships.csv"]
    with open(edge_file, newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert len(nodes) == out["nodes"] and len(edges) == out["edges"]
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids and e["evidence_docs"] for e in edges)
    # the seeds are articles: every edge says its evidence is an article's, none passes for a source's
    assert {e["evidence_kind"] for e in edges} == {"article"}
    if fmt == "neo4j":
        script = open(files["load.cypher"], encoding="utf-8").read()
        assert script.count("LOAD CSV WITH HEADERS") == 2


def test_unknown_format_is_a_clear_error(seeds_readonly, tmp_path):
    from casegraph.errors import CasegraphError

    with pytest.raises(CasegraphError, match="gexf"):
        seeds_readonly.export("dot", tmp_path / "x")


def test_control_characters_from_ocr_do_not_break_xml(seeds_case, tmp_path):
    """Form feeds and other control characters occur in OCR text; XML 1.0 forbids them."""
    joe = seeds_case.find_entity("Joe Biden")
    seeds_case.rename(joe["id"], "Joe\x0cBiden\x01")
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        out = seeds_case.export(fmt, tmp_path / f"g.{fmt}")
        graph = reader(out["files"][0])
        assert graph.nodes[joe["id"]]["label"] == "Joe Biden "

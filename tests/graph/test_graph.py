"""The entity graph on the analyzed seed articles: paths with evidence, neighbours, timeline,
communities; and the routing rules on a small hand-made graph."""

from __future__ import annotations

from casegraph.graph.index import GraphIndex
from casegraph.graph.timeline import dates_in


def _assert_evidence_is_real(case, evidence):
    assert evidence
    for ev in evidence:
        assert case.store.document_text(ev["doc_id"])[ev["start"] : ev["end"]] == ev["text"]


def _names_in(text: str, entity: dict, case) -> bool:
    full = case.find_entity(entity["id"])
    return any(alias.split()[-1] in text for alias in [full["name"], *full["aliases"]] if alias.split())


def test_path_nazarbayev_to_epstein_with_evidence_sentences(seeds_readonly):
    result = seeds_readonly.path("Nazarbayev", "Epstein", evidence="all")
    assert result["from"]["name"] == "Nursultan Nazarbayev"
    assert result["to"]["name"] == "Jeffrey Epstein"
    assert result["paths"]
    best = result["paths"][0]
    assert best["hops"] == len(best["steps"]) >= 1
    assert best["steps"][0]["from"]["id"] == result["from"]["id"]
    assert best["steps"][-1]["to"]["id"] == result["to"]["id"]
    for step in best["steps"]:
        _assert_evidence_is_real(seeds_readonly, step["evidence"])
        sentence = step["evidence"][0]["text"]
        assert _names_in(sentence, step["from"], seeds_readonly) and _names_in(
            sentence, step["to"], seeds_readonly
        )
    costs = [p["cost"] for p in result["paths"]]
    assert costs == sorted(costs)


def test_path_joe_biden_to_massimov(seeds_readonly):
    result = seeds_readonly.path("Joe Biden", "Massimov", evidence="all")
    assert result["from"]["name"] == "Joe Biden" and result["to"]["name"] == "Karim Massimov"
    assert result["paths"]
    for path in result["paths"]:
        ids = [path["steps"][0]["from"]["id"]] + [s["to"]["id"] for s in path["steps"]]
        assert ids[0] == result["from"]["id"] and ids[-1] == result["to"]["id"]
        assert len(set(ids)) == len(ids)  # simple paths
        for step in path["steps"]:
            _assert_evidence_is_real(seeds_readonly, step["evidence"])
    # Hunter Biden (his son) is a different node from Joe Biden
    assert seeds_readonly.find_entity("Hunter Biden")["id"] != result["from"]["id"]


def test_neighbours_rank_typed_relations_with_evidence(seeds_readonly):
    result = seeds_readonly.neighbors("Aliyev", evidence="all")
    assert result["entity"]["name"] == "Rakhat Aliyev"
    top = result["neighbors"][0]
    assert top["entity"]["name"] == "Nursultan Nazarbayev"  # son-in-law and adversary
    kinds = {r["kind"] for r in top["relations"]}
    assert kinds - {"mentioned_with"}, kinds  # a typed relation, not only co-occurrence
    scores = [n["score"] for n in result["neighbors"]]
    assert scores == sorted(scores, reverse=True)
    for n in result["neighbors"]:
        for r in n["relations"]:
            _assert_evidence_is_real(seeds_readonly, r["evidence"])


def test_timeline_takes_dates_from_the_sentence(seeds_readonly):
    events = seeds_readonly.timeline("Hunter Biden")["events"]
    dated = [e for e in events if e["date_source"] == "sentence"]
    assert any(e["date"] == "2020" and "laptop" in e["text"] for e in dated)
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    _assert_evidence_is_real(seeds_readonly, events)


def test_dates_in_sentences_of_the_seeds():
    assert dates_in("she wrote to her supervisor in July 2008.") == [("2008-07", "July 2008")]
    assert dates_in("In 2019, while in custody") == [("2019", "2019")]
    assert dates_in("Dear Mr. Link, June 19, 2019") == [("2019-06-19", "June 19, 2019")]
    assert dates_in("two billion dollars") == []
    assert dates_in("after she moved to New York in the 1990s") == []  # a decade is no date


def test_communities_cover_known_entities(seeds_readonly):
    groups = seeds_readonly.communities()
    assert groups
    known = {e["id"] for e in seeds_readonly.entities()}
    assert all(m["id"] in known for g in groups for m in g["members"])
    assert sum(g["size"] for g in groups) <= len(known)
    together = [
        g for g in groups if {"Rakhat Aliyev", "Nursultan Nazarbayev"} <= {m["name"] for m in g["members"]}
    ]
    assert together  # son-in-law and adversary: one group
    assert seeds_readonly.communities() == groups  # the same groups every time


def test_routing_prefers_typed_relations_and_avoids_hubs():
    # a - b typed; a - hub - b through co-occurrence; hub touches many others
    rows = [
        ("a", "x", "family", 1.0),
        ("x", "b", "met", 1.0),
        ("a", "hub", "mentioned_with", 1.5),
        ("hub", "b", "mentioned_with", 1.5),
    ]
    rows += [("hub", f"n{i}", "mentioned_with", 0.3) for i in range(40)]
    index = GraphIndex(rows)
    found = index.paths("a", "b", k=3)
    assert [step[1] for step in found[0]] == ["x", "b"]
    assert [step[1] for step in found[1]] == ["hub", "b"]  # the alternative, dearer route
    assert index.paths("a", "nobody") == []


def test_resolve_again_keeps_ids_and_graph(seeds_case):
    before = {e["id"]: (e["name"], e["mentions"]) for e in seeds_case.entities()}
    edges = len(seeds_case.store.graph_edge_rows())
    summary = seeds_case.resolve()
    assert {e["id"]: (e["name"], e["mentions"]) for e in seeds_case.entities()} == before
    assert summary["edges"] == edges == len(seeds_case.store.graph_edge_rows())


def test_the_cached_routing_index_routes_like_a_fresh_one(seeds_case):
    fresh = GraphIndex(seeds_case.store.graph_link_rows(), 0, seeds_case.store.entity_types())
    GraphIndex.from_store(seeds_case.store)  # builds and caches
    cached = GraphIndex.from_store(seeds_case.store)  # read back from the cache
    a, b = seeds_case.find_entity("Joe Biden")["id"], seeds_case.find_entity("Massimov")["id"]
    assert cached.ids == fresh.ids and cached.paths(a, b) == fresh.paths(a, b)
    seeds_case.resolve()  # a new graph version: the old cache is not used
    assert seeds_case.store.load_graph_index(seeds_case.store.graph_version()) is None

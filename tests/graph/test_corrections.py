"""Merge, split, rename and delete by people: stored apart, re-applied after every resolve,
undoable."""

from __future__ import annotations

import json


def _entity_of_mention(case, doc_text: str):
    """Entity ids of the mentions written exactly so."""
    return {
        m["entity_id"] for m in case.store.query("SELECT entity_id FROM mentions WHERE text = ?", (doc_text,))
    }


def test_merge_survives_resolve_and_can_be_undone(seeds_case):
    joe = seeds_case.find_entity("Joe Biden")
    hunter = seeds_case.find_entity("Hunter Biden")
    assert joe["id"] != hunter["id"]
    result = seeds_case.merge(joe["id"], hunter["id"])
    merged = seeds_case.find_entity("Hunter Biden")
    assert merged["id"] == joe["id"] and "Hunter Biden" in merged["aliases"]
    seeds_case.resolve()  # machine output rebuilt, the person's decision re-applied
    assert seeds_case.find_entity("Hunter Biden")["id"] == joe["id"]
    assert seeds_case.entity(joe["id"])["corrections"][0]["action"] == "merge"
    seeds_case.undo(result["correction"])
    assert seeds_case.find_entity("Hunter Biden")["id"] != seeds_case.find_entity("Joe Biden")["id"]
    assert [c["undone"] for c in seeds_case.corrections()] == [True]


def test_split_moves_an_alias_out_and_stays_split(seeds_case):
    nazarbayev = seeds_case.find_entity("Nursultan Nazarbayev")
    assert "Nazarbayev" in nazarbayev["aliases"]
    seeds_case.split(nazarbayev["id"], "Nazarbayev")
    for _ in range(2):
        full = _entity_of_mention(seeds_case, "Nursultan Nazarbayev")
        bare = _entity_of_mention(seeds_case, "Nazarbayev")
        assert full == {nazarbayev["id"]}
        assert len(bare) == 1 and bare != full
        seeds_case.resolve()


def test_rename_and_delete_survive_resolve(seeds_case):
    rahall = seeds_case.find_entity("Rahall")
    seeds_case.rename(rahall["id"], "Tanya Rahall")
    state = seeds_case.find_entity("State")
    seeds_case.delete_entity(state["id"])
    seeds_case.resolve()
    renamed = seeds_case.find_entity(rahall["id"])
    assert renamed["name"] == "Tanya Rahall" and "Rahall" in renamed["aliases"]
    assert seeds_case.find_entity("Tanya Rahall")["id"] == rahall["id"]
    assert state["id"] not in {e["id"] for e in seeds_case.entities()}
    assert _entity_of_mention(seeds_case, "State") <= {None}


def test_corrections_find_their_entity_by_anchors_when_the_id_changed(seeds_case):
    rahall = seeds_case.find_entity("Rahall")
    correction = seeds_case.rename(rahall["id"], "Tanya Rahall")["correction"]
    # simulate an id that no longer exists (e.g. a resolver change renamed ids)
    payload = json.loads(
        seeds_case.store.scalar("SELECT payload FROM corrections WHERE id = ?", (correction,))
    )
    payload["entity"]["id"] = "ent-gone"
    seeds_case.store.conn.execute(
        "UPDATE corrections SET payload = ? WHERE id = ?", (json.dumps(payload), correction)
    )
    seeds_case.resolve()
    assert seeds_case.find_entity(rahall["id"])["name"] == "Tanya Rahall"

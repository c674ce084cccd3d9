"""Human judgements: merge, split, rename and delete, stored apart from machine output.

A correction names entities by id *and* by anchors (spans of some of their mentions), so it
still finds its entities after re-analysis or a resolver change renamed their ids. After every
resolve the machine output is rebuilt and all corrections not undone are applied in order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from casegraph.models import CorrectionRecord
from casegraph.resolve.names import parse_name

ACTIONS = ("merge", "split", "rename", "delete")


def reference(entity: dict[str, Any]) -> dict[str, Any]:
    """What a correction stores to find an entity again: id, name and mention anchors."""
    return {
        "id": entity["id"],
        "name": entity["name"],
        "anchors": [list(a) for a in entity.get("anchors", [])[:20]],
    }


def split_id(entity_id: str, part: str) -> str:
    return "ent-" + hashlib.sha1(f"split|{entity_id}|{part}".encode()).hexdigest()[:12]


class Applier:
    """Applies corrections to the entity dicts of one resolve run (in place)."""

    def __init__(self, entities: list[dict[str, Any]], mentions: dict[int, dict[str, Any]]):
        self.by_id = {e["id"]: e for e in entities}
        self.mentions = mentions
        self.anchor_to_mention = {(m["doc_id"], m["start"], m["end"]): mid for mid, m in mentions.items()}
        self.owner: dict[int, str] = {}
        for e in entities:
            for mid in e["mention_ids"]:
                self.owner[mid] = e["id"]

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.by_id.values())

    def locate(self, ref: dict[str, Any]) -> dict[str, Any] | None:
        if ref.get("id") in self.by_id:
            return self.by_id[ref["id"]]
        owners = Counter(
            self.owner[mid]
            for a in ref.get("anchors", [])
            if (mid := self.anchor_to_mention.get(tuple(a))) is not None and mid in self.owner
        )
        if owners:
            return self.by_id.get(owners.most_common(1)[0][0])
        return None

    def apply(self, correction: CorrectionRecord) -> bool:
        action, payload = correction["action"], correction["payload"]
        note = {"correction": correction["id"], "action": action}
        if action == "merge":
            found = [e for ref in payload["entities"] if (e := self.locate(ref)) is not None]
            found = list({id(e): e for e in found}.values())
            if len(found) < 2:
                return False
            target = found[0]
            for other in found[1:]:
                self._move_all(other, target)
            target["meta"].setdefault("corrections", []).append(
                {**note, "merged": [e["name"] for e in found[1:]]}
            )
            return True
        if action == "split":
            entity = self.locate(payload["entity"])
            if entity is None:
                return False
            moved_any = False
            for part in payload["parts"]:
                moved_any |= self._split_part(entity, part, payload.get("type"), note)
            return moved_any
        if action == "rename":
            entity = self.locate(payload["entity"])
            if entity is None:
                return False
            if entity["name"] not in entity["aliases"]:
                entity["aliases"].insert(0, entity["name"])
            entity["name"] = payload["name"]
            entity["aliases"] = [a for a in entity["aliases"] if a != payload["name"]]
            if payload.get("type"):
                entity["type"] = payload["type"]
            entity["meta"].setdefault("corrections", []).append({**note, "name": payload["name"]})
            return True
        if action == "delete":
            entity = self.locate(payload["entity"])
            if entity is None:
                return False
            for mid in entity["mention_ids"]:
                self.owner.pop(mid, None)
            del self.by_id[entity["id"]]
            return True
        return False

    def _move_all(self, source: dict[str, Any], target: dict[str, Any]) -> None:
        for mid in source["mention_ids"]:
            self.owner[mid] = target["id"]
        target["mention_ids"] += source["mention_ids"]
        target["party_ids"] += source["party_ids"]
        target["anchors"] += source["anchors"]
        target["aliases"] += [
            a
            for a in [source["name"], *source["aliases"]]
            if a not in target["aliases"] and a != target["name"]
        ]
        target["meta"].setdefault("merged_from", []).append(source["id"])
        del self.by_id[source["id"]]

    def _split_part(self, entity: dict[str, Any], part: str, type_: str | None, note: dict[str, Any]) -> bool:
        key = parse_name(part, entity["type"]).key
        moved = [
            mid
            for mid in entity["mention_ids"]
            if parse_name(self.mentions[mid]["text"], entity["type"]).key == key
        ]
        if not moved:
            return False
        new_id = split_id(entity["id"], key)
        keep = set(moved)
        entity["mention_ids"] = [m for m in entity["mention_ids"] if m not in keep]
        entity["anchors"] = [a for a in entity["anchors"] if self.anchor_to_mention.get(tuple(a)) not in keep]
        entity["aliases"] = [a for a in entity["aliases"] if parse_name(a, entity["type"]).key != key]
        anchors = [
            (self.mentions[m]["doc_id"], self.mentions[m]["start"], self.mentions[m]["end"]) for m in moved
        ]
        self.by_id[new_id] = {
            "id": new_id,
            "name": part,
            "type": type_ or entity["type"],
            "aliases": [],
            "mention_ids": moved,
            "party_ids": [],
            "anchors": anchors[:40],
            "meta": {"corrections": [{**note, "split_from": entity["id"]}], "reasons": []},
        }
        for mid in moved:
            self.owner[mid] = new_id
        entity["meta"].setdefault("corrections", []).append({**note, "split_off": part})
        return True

"""Finding an entity from what a person types: an id, a name, an alias, a surname or a
misspelling, through the same name parsing and matching as resolution."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process

from casegraph.errors import NotFoundError
from casegraph.resolve.matching import compare_persons
from casegraph.resolve.names import parse_other, parse_person


class EntityLookup:
    def __init__(self, entities: list[dict[str, Any]]):
        self.entities = entities  # most mentioned first
        self.by_id = {e["id"]: e for e in entities}
        self.keys: list[tuple[str, int]] = []  # (normalised name, entity index)
        for i, e in enumerate(entities):
            for name in [e["name"], *e["aliases"]]:
                parsed = parse_person(name) if e["type"] == "PERSON" else parse_other(name)
                if parsed.key:
                    self.keys.append((parsed.key, i))
                if "@" in name:
                    self.keys.append((name.lower(), i))

    def find(self, query: str) -> dict[str, Any]:
        found = self.candidates(query)
        if not found:
            raise NotFoundError(f"no entity matches {query!r} (try `casegraph entities` for the list)")
        return found[0]

    def candidates(self, query: str, limit: int = 5) -> list[dict[str, Any]]:
        query = query.strip()
        if query in self.by_id:
            return [self.by_id[query]]
        person, other = parse_person(query), parse_other(query)
        exact = {i for key, i in self.keys if key in (person.key, other.key, query.lower())}
        if exact:
            return [self.entities[i] for i in sorted(exact)][:limit]
        # a surname, a name with other given names left out, a variant spelling
        ranked: dict[int, float] = {}
        for key, i in self.keys:
            if self.entities[i]["type"] == "PERSON":
                verdict = compare_persons(person, parse_person(key))
                if verdict.same:
                    ranked[i] = max(ranked.get(i, 0.0), verdict.score)
        if not ranked:
            choices = [key for key, _ in self.keys]
            for _, score, pos in process.extract(
                other.key or query.lower(), choices, scorer=fuzz.WRatio, limit=limit * 3
            ):
                if score >= 88:
                    i = self.keys[pos][1]
                    ranked[i] = max(ranked.get(i, 0.0), score / 100.0)
        order = sorted(ranked, key=lambda i: (-ranked[i], i))
        return [self.entities[i] for i in order][:limit]

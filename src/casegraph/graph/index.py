"""The in-memory graph (python-igraph) for paths and communities.

Edges between the same two entities are collapsed into one weighted link for routing. The
cost of a link says how much we trust the connection, lower = better:
    cost = min over its edges of kind_cost / (1 + ln(1 + strength))
           + hub penalty of both ends (log degree) + type penalty of both ends
so typed relations beat co-occurrence, more evidence beats less, and people, countries or
nationalities that touch everything (hubs) cost more to pass through, so they do not make
every pair look close. Built with numpy so that a million edges load in seconds; the
edges themselves (kinds, evidence) are read from the store per query.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from casegraph.store.interface import CaseStore

# Which edges a query may use: those resting on source documents (the default of `path` and
# `neighbors`), on articles, or all of them.
EVIDENCE_KINDS = ("source", "article", "all")
KIND_COST = {"mentioned_with": 4.0, "communicated": 1.5}
TYPED_COST = 1.0
HUB_WEIGHT = 0.35
# Passing through a nationality or a country says little about how two people are connected
# ("American", "Kazakhstan" touch everyone in a story): such nodes cost extra to route through.
NODE_TYPE_COST = {"NORP": 3.0, "GPE": 1.0, "LOC": 1.0}
# Alternative paths: links of the paths already found cost this much more.
DETOUR_FACTOR = 8.0


def kind_cost(kind: str) -> float:
    return KIND_COST.get(kind, TYPED_COST)


class GraphIndex:
    """Entities as vertices, collapsed links as edges, from (a, b, kind, strength) rows."""

    def __init__(
        self, rows: Sequence[tuple[Any, ...]], version: int = 0, types: dict[str, str] | None = None
    ):
        self.version = version
        types = types or {}
        index: dict[str, int] = {}
        setdefault = index.setdefault
        if rows:
            col_a, col_b, kinds, weights = zip(*rows, strict=False)
        else:
            col_a, col_b, kinds, weights = (), (), (), ()
        # setdefault(x, len(index)) numbers each new id in order of first appearance
        src = np.fromiter((setdefault(x, len(index)) for x in col_a), dtype=np.int64, count=len(col_a))
        dst = np.fromiter((setdefault(x, len(index)) for x in col_b), dtype=np.int64, count=len(col_b))
        base = np.fromiter((KIND_COST.get(k, TYPED_COST) for k in kinds), dtype=np.float64, count=len(kinds))
        strength = np.asarray(weights, dtype=np.float64)
        self.index = index
        self.ids = list(index)
        size = len(self.ids)
        keep = src != dst
        lo = np.minimum(src, dst)[keep]
        hi = np.maximum(src, dst)[keep]
        cost = base[keep] / (1.0 + np.log1p(strength[keep]))
        strength = strength[keep]
        pair_key = lo * max(size, 1) + hi
        pairs, inverse = np.unique(pair_key, return_inverse=True)
        link_cost = np.full(len(pairs), np.inf)
        np.minimum.at(link_cost, inverse, cost)
        link_strength = np.bincount(inverse, weights=strength, minlength=len(pairs))
        pa, pb = pairs // max(size, 1), pairs % max(size, 1)
        self.degree = (
            np.bincount(np.concatenate([pa, pb]), minlength=size) if size else np.zeros(0, dtype=np.int64)
        )
        node_cost = (
            np.array([NODE_TYPE_COST.get(types.get(x, ""), 0.0) for x in self.ids]) if size else np.zeros(0)
        )
        hub = HUB_WEIGHT * np.log1p(self.degree) + node_cost
        self.cost = link_cost + (hub[pa] + hub[pb]) / 2 if len(pairs) else link_cost
        self._finish(pa, pb, link_strength)

    def _finish(self, pa: npt.NDArray[Any], pb: npt.NDArray[Any], strength: npt.NDArray[Any]) -> None:
        self.pa, self.pb, self.strength = pa, pb, strength
        self.graph = ig.Graph(n=len(self.ids), edges=np.column_stack([pa, pb]), directed=False)
        self.graph.es["cost"] = self.cost.tolist()
        self.graph.es["strength"] = strength.tolist()

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """What from_arrays needs, as plain numeric arrays (stored without pickle)."""
        return {
            "pa": self.pa.astype("<i8"),
            "pb": self.pb.astype("<i8"),
            "cost": self.cost.astype("<f8"),
            "strength": self.strength.astype("<f8"),
        }

    @classmethod
    def from_arrays(cls, ids: list[str], arrays: dict[str, npt.NDArray[Any]], version: int = 0) -> GraphIndex:
        index = cls.__new__(cls)
        index.version = version
        index.ids = ids
        index.index = {x: i for i, x in enumerate(ids)}
        pa, pb = arrays["pa"], arrays["pb"]
        index.degree = (
            np.bincount(np.concatenate([pa, pb]), minlength=len(ids)) if ids else np.zeros(0, dtype=np.int64)
        )
        index.cost = arrays["cost"]
        index._finish(pa, pb, arrays["strength"])
        return index

    @classmethod
    def from_store(cls, store: CaseStore, evidence: str = "all") -> GraphIndex:
        """The index of the store's current graph: from its cache when there is one, else
        built from the edges and cached. `evidence` "source" or "article" keeps only the
        edges whose evidence is of that kind ("all": every edge)."""
        version = store.graph_version()
        if evidence != "all":
            found = store.load_graph_index_by_evidence(version, evidence)
            if found is not None:
                return cls.from_arrays(found[0], found[1], version)
            index = cls(store.graph_link_rows_by_evidence(evidence), version, store.entity_types())
            if not getattr(store, "read_only", False):  # a read-only case is read without its cache
                store.save_graph_index_by_evidence(version, evidence, index.ids, index.arrays())
            return index
        cached = store.load_graph_index(version)
        if cached is not None:
            return cls.from_arrays(cached[0], cached[1], version)
        index = cls(store.graph_link_rows(), version, store.entity_types())
        if not getattr(store, "read_only", False):
            store.save_graph_index(version, index.ids, index.arrays())
        return index

    def paths(
        self, a: str, b: str, k: int = 3, max_hops: int = 6
    ) -> list[list[tuple[str, str, float, float]]]:
        """Up to k cheap paths from a to b, cheapest first, each a list of steps (from, to,
        link cost, link strength). The first is the cheapest path; each further one is the
        cheapest once the links already used cost DETOUR_FACTOR times more (a fast stand-in
        for exact k-shortest paths that still yields different routes)."""
        if a not in self.index or b not in self.index or a == b:
            return []
        va, vb = self.index[a], self.index[b]
        out: list[list[tuple[str, str, float, float]]] = []
        seen: set[tuple[int, ...]] = set()
        raised: dict[int, float] = {}  # edges made dearer for the next search, with their cost
        try:
            for _ in range(k):
                with warnings.catch_warnings():  # "couldn't reach some vertices" just means no path
                    warnings.simplefilter("ignore", RuntimeWarning)
                    epath = self.graph.get_shortest_path(va, vb, weights="cost", output="epath")
                if not epath or len(epath) > max_hops or tuple(epath) in seen:
                    break
                seen.add(tuple(epath))
                steps, current = [], va
                for eid in epath:
                    edge = self.graph.es[eid]
                    nxt = edge.target if edge.source == current else edge.source
                    steps.append(
                        (self.ids[current], self.ids[nxt], float(self.cost[eid]), float(self.strength[eid]))
                    )
                    current = nxt
                    if eid not in raised:
                        raised[eid] = edge["cost"]
                        edge["cost"] = edge["cost"] * DETOUR_FACTOR
                out.append(steps)
        finally:  # the index is shared between queries: put the costs back
            for eid, cost in raised.items():
                self.graph.es[eid]["cost"] = cost
        out.sort(key=lambda steps: sum(s[2] for s in steps))
        return out

    def communities(self, min_size: int = 2) -> list[list[str]]:
        """Louvain communities over link strength, largest first."""
        if self.graph.ecount() == 0:
            return []
        # igraph draws from Python's `random`; a fixed seed gives the UI the same groups every time
        state = random.getstate()
        random.seed(0)
        try:
            parts = self.graph.community_multilevel(weights="strength")
        finally:
            random.setstate(state)
        groups = [[self.ids[v] for v in members] for members in parts if len(members) >= min_size]
        return sorted(groups, key=len, reverse=True)

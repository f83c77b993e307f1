"""Per-request DataLoaders: nodes by id (articles without their text), article texts,
degrees, relations around nodes, and pages of relations' evidence.

A new ``Loaders`` is made for every request (in ``get_context``), so nothing cached
outlives the request and editors' changes are seen by the next one. Every load
function makes one store call per batch, run in the threadpool because store calls
block.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import anyio
from shegong.graph import Direction, GraphStore
from shegong.schema import Evidence, Node, Relation, RelationType
from strawberry.dataloader import DataLoader

from .perloop import PerLoop

__all__ = ["EvidenceKey", "Loaders", "NeighbourKey", "Neighbours", "call_store"]

T = TypeVar("T")

Neighbours = list[tuple[Relation, Node]]


class NeighbourKey(NamedTuple):
    """What a ``neighbours`` load asks: around which node, which types, which way,
    and how many at most (None for all)."""

    node_id: str
    types: tuple[RelationType, ...] | None = None
    direction: Direction = "both"
    limit: int | None = None


class EvidenceKey(NamedTuple):
    """What an ``evidence`` load asks: one page of one relation's evidence."""

    relation_id: str
    limit: int
    offset: int = 0


#: Store calls running at once per server (threads; the embedded store lends each a
#: reader connection from a pool of the same size).
STORE_THREADS = 8


_store_limiter = PerLoop(lambda: anyio.CapacityLimiter(STORE_THREADS))


async def call_store(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one blocking store call in a worker thread (at most ``STORE_THREADS`` at
    once), off the event loop; the thread sees the request's deadline."""
    call = functools.partial(fn, *args, **kwargs) if kwargs else fn
    return await anyio.to_thread.run_sync(call, *(() if kwargs else args), limiter=_store_limiter())


@dataclass
class Loaders:
    """The DataLoaders of one request over one store."""

    store: GraphStore
    nodes: DataLoader[str, Node | None] = field(init=False)
    degrees: DataLoader[str, int] = field(init=False)
    neighbours: DataLoader[NeighbourKey, Neighbours] = field(init=False)
    evidence: DataLoader[EvidenceKey, list[Evidence]] = field(init=False)
    texts: DataLoader[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.nodes = DataLoader(load_fn=self._load_nodes)
        self.degrees = DataLoader(load_fn=self._load_degrees)
        self.neighbours = DataLoader(load_fn=self._load_neighbours)
        self.evidence = DataLoader(load_fn=self._load_evidence)
        self.texts = DataLoader(load_fn=self._load_texts)

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        found = await call_store(self.store.get_many, ids)
        return [found.get(i) for i in ids]

    async def _load_texts(self, ids: list[str]) -> list[str]:
        # Article bodies on their own: ``nodes`` loads articles without them.
        found = await call_store(self.store.get_many, ids, text=True)
        return [str(found[i].properties.get("text") or "") if i in found else "" for i in ids]

    async def _load_degrees(self, ids: list[str]) -> list[int]:
        found = await call_store(self.store.degree, ids)
        return [found.get(i, 0) for i in ids]

    async def _load_neighbours(self, keys: list[NeighbourKey]) -> list[Neighbours]:
        # One store call per (types, direction, limit) group; usually there is one group.
        groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for key in keys:
            group = groups[(key.types, key.direction, key.limit)]
            if key.node_id not in group:
                group.append(key.node_id)

        def fetch() -> dict[NeighbourKey, Neighbours]:
            out: dict[NeighbourKey, Neighbours] = {}
            for (types, direction, limit), ids in groups.items():
                found = self.store.neighbours_many(ids, types, direction, limit)
                for nid in ids:
                    out[NeighbourKey(nid, types, direction, limit)] = found.get(nid, [])
            return out

        results = await call_store(fetch)
        self.nodes.prime_many({node.id: node for pairs in results.values() for _, node in pairs})
        return [results[key] for key in keys]

    async def _load_evidence(self, keys: list[EvidenceKey]) -> list[list[Evidence]]:
        # One store call per page window; every relation of a query asks the same one.
        groups: dict[tuple[int, int], list[str]] = defaultdict(list)
        for key in keys:
            groups[(key.limit, key.offset)].append(key.relation_id)

        def fetch() -> dict[EvidenceKey, list[Evidence]]:
            out: dict[EvidenceKey, list[Evidence]] = {}
            for (limit, offset), ids in groups.items():
                for rid, page in self.store.evidence(ids, limit, offset).items():
                    out[EvidenceKey(rid, limit, offset)] = page
            return out

        pages = await call_store(fetch)
        return [pages.get(key, []) for key in keys]

    def prime(self, nodes: Sequence[Node]) -> None:
        """Remember nodes a query already fetched, so fields resolving them cost nothing."""
        self.nodes.prime_many({node.id: node for node in nodes})

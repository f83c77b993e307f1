"""Per-request DataLoaders: nodes by id (articles without their text), article texts,
degrees, relations around nodes, pages of relations' evidence, and pages of relations
with their evidence and its articles in one round (``relation_pages``).

A new ``Loaders`` is made for every request (in ``get_context``), so nothing cached
outlives the request and editors' changes are seen by the next one. Every load
function makes one store call per batch, run in the threadpool because store calls
block, and the calls asked in one turn of the event loop share one thread hop
(``rounds.StoreRound``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, TypeVar

from shegong.graph import Direction, GraphStore
from shegong.schema import Evidence, Node, Relation, RelationType
from strawberry.dataloader import DataLoader

from .rounds import STORE_THREADS, StoreRound, call_store

__all__ = [
    "EvidenceKey",
    "Loaders",
    "NeighbourKey",
    "Neighbours",
    "RelationPageKey",
    "STORE_THREADS",
    "call_store",
]

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


class RelationPageKey(NamedTuple):
    """A page of the relations around a node, with the evidence window the query asks of
    each relation on the page (``limit``, ``offset``) and whether it shows the articles."""

    around: NeighbourKey
    start: int
    end: int
    evidence_limit: int
    evidence_offset: int
    articles: bool


@dataclass
class Loaders:
    """The DataLoaders of one request over one store.

    Each load function holds the store, the round and the loaders it primes, never
    this object: a loader calling back into its ``Loaders`` would make a reference
    cycle, and every request's loaders, futures and models would then wait for the
    garbage collector instead of being freed when the request ends.
    """

    store: GraphStore
    nodes: DataLoader[str, Node | None] = field(init=False)
    degrees: DataLoader[str, int] = field(init=False)
    neighbours: DataLoader[NeighbourKey, Neighbours] = field(init=False)
    evidence: DataLoader[EvidenceKey, list[Evidence]] = field(init=False)
    texts: DataLoader[str, str] = field(init=False)
    relation_pages: DataLoader[RelationPageKey, Neighbours] = field(init=False)
    round: StoreRound = field(init=False)

    def __post_init__(self) -> None:
        store, calls = self.store, StoreRound()
        self.round = calls
        self.nodes = DataLoader(load_fn=partial(_load_nodes, store, calls))
        self.degrees = DataLoader(load_fn=partial(_load_degrees, store, calls))
        self.neighbours = DataLoader(load_fn=partial(_load_neighbours, store, calls, self.nodes))
        self.evidence = DataLoader(load_fn=partial(_load_evidence, store, calls))
        self.texts = DataLoader(load_fn=partial(_load_texts, store, calls))
        self.relation_pages = DataLoader(
            load_fn=partial(
                _load_relation_pages, store, calls, self.neighbours, self.nodes, self.evidence
            )
        )

    def prime(self, nodes: Sequence[Node]) -> None:
        """Remember nodes a query already fetched, so fields resolving them cost nothing."""
        self.nodes.prime_many({node.id: node for node in nodes})


async def _load_nodes(store: GraphStore, calls: StoreRound, ids: list[str]) -> list[Node | None]:
    found = await calls.call(lambda: store.get_many(ids))
    return [found.get(i) for i in ids]


async def _load_texts(store: GraphStore, calls: StoreRound, ids: list[str]) -> list[str]:
    # Article bodies on their own: ``nodes`` loads articles without them.
    found = await calls.call(lambda: store.get_many(ids, text=True))
    return [str(found[i].properties.get("text") or "") if i in found else "" for i in ids]


async def _load_degrees(store: GraphStore, calls: StoreRound, ids: list[str]) -> list[int]:
    found = await calls.call(lambda: store.degree(ids))
    return [found.get(i, 0) for i in ids]


async def _load_neighbours(
    store: GraphStore,
    calls: StoreRound,
    nodes: DataLoader[str, Node | None],
    keys: list[NeighbourKey],
) -> list[Neighbours]:
    results = await calls.call(lambda: _fetch_neighbours(store, keys))
    nodes.prime_many({node.id: node for pairs in results.values() for _, node in pairs})
    return [results[key] for key in keys]


def _fetch_neighbours(
    store: GraphStore, keys: Sequence[NeighbourKey]
) -> dict[NeighbourKey, Neighbours]:
    # One store call per (types, direction, limit) group; usually there is one group.
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for key in keys:
        group = groups[(key.types, key.direction, key.limit)]
        if key.node_id not in group:
            group.append(key.node_id)
    out: dict[NeighbourKey, Neighbours] = {}
    for (types, direction, limit), ids in groups.items():
        found = store.neighbours_many(ids, types, direction, limit)
        for nid in ids:
            out[NeighbourKey(nid, types, direction, limit)] = found.get(nid, [])
    return out


async def _load_evidence(
    store: GraphStore, calls: StoreRound, keys: list[EvidenceKey]
) -> list[list[Evidence]]:
    pages = await calls.call(lambda: _fetch_evidence(store, keys))
    return [pages.get(key, []) for key in keys]


def _fetch_evidence(
    store: GraphStore, keys: Sequence[EvidenceKey]
) -> dict[EvidenceKey, list[Evidence]]:
    # One store call per page window; every relation of a query asks the same one.
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key in keys:
        groups[(key.limit, key.offset)].append(key.relation_id)
    out: dict[EvidenceKey, list[Evidence]] = {}
    for (limit, offset), ids in groups.items():
        for rid, page in store.evidence(ids, limit, offset).items():
            out[EvidenceKey(rid, limit, offset)] = page
    return out


async def _load_relation_pages(
    store: GraphStore,
    calls: StoreRound,
    neighbours: DataLoader[NeighbourKey, Neighbours],
    nodes: DataLoader[str, Node | None],
    evidence: DataLoader[EvidenceKey, list[Evidence]],
    keys: list[RelationPageKey],
) -> list[Neighbours]:
    # Relations, their evidence pages and the articles behind them in one thread:
    # a hop to a worker thread and back costs more than these small store calls.
    def fetch() -> tuple[
        dict[NeighbourKey, Neighbours], dict[EvidenceKey, list[Evidence]], dict[str, Node]
    ]:
        around = _fetch_neighbours(store, [key.around for key in keys])
        wanted: dict[EvidenceKey, bool] = {}
        for key in keys:
            for rel, _ in around[key.around][key.start : key.end]:
                if not rel.evidence and key.evidence_offset < rel.evidence_count:
                    ev_key = EvidenceKey(rel.id, key.evidence_limit, key.evidence_offset)
                    wanted[ev_key] = wanted.get(ev_key, False) or key.articles
        pages = _fetch_evidence(store, list(wanted))
        ids = sorted(
            {
                ev.article_id
                for ev_key, articles in wanted.items()
                if articles
                # the piece past the page only says whether another follows
                for ev in pages.get(ev_key, [])[: ev_key.limit - 1]
            }
        )
        return around, pages, store.get_many(ids) if ids else {}

    around, pages, articles = await calls.call(fetch)
    neighbours.prime_many(around)
    nodes.prime_many({node.id: node for pairs in around.values() for _, node in pairs})
    evidence.prime_many(pages)
    nodes.prime_many(articles)
    return [around[key.around] for key in keys]

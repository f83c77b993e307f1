"""Network analysis for analysts: projections, centrality and communities with networkx.

Works on the MultiDiGraph that ``store.to_networkx()`` returns (see graph.export for its
attributes). Article nodes, MENTIONS and REPORTED_BY are left out of every measure here:
they say what was written about an entity, not how entities are related. Results are
typed rows (dataclasses: ``pandas.DataFrame(rows)`` makes a table of them) in a stable
order, so a notebook shows the same thing on every run.

The store-level tables (paths with evidence, relations, timeline, places) are in
graph.analysis_tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import networkx as nx
from shegong.schema import Label, RelationType, SchemaError, parse_label

__all__ = [
    "NOT_ENTITY_RELATIONS",
    "Centrality",
    "Community",
    "communities",
    "component_layout",
    "entity_graph",
    "organisation_graph",
    "top_central",
]

#: Relation types that are about articles, not between entities.
NOT_ENTITY_RELATIONS = frozenset({RelationType.MENTIONS.value, RelationType.REPORTED_BY.value})
#: Above this many nodes betweenness is estimated from a seeded sample of sources.
EXACT_BETWEENNESS_LIMIT = 3000


@dataclass(frozen=True)
class Centrality:
    """How central one node is in the entity graph."""

    id: str
    name: str
    kind: str | None
    degree: int  # relations touching it (MENTIONS/REPORTED_BY excluded)
    neighbours: int  # distinct entities it is related to
    betweenness: float  # normalised, over the undirected entity graph


@dataclass(frozen=True)
class Community:
    """One Louvain community: ``number`` 1 is the largest."""

    number: int
    size: int
    ids: tuple[str, ...]
    names: tuple[str, ...]


def _is_entity_edge(attrs: dict[str, Any]) -> bool:
    return attrs.get("type") not in NOT_ENTITY_RELATIONS


def entity_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of entities: articles dropped, parallel relations
    collapsed into one edge whose ``weight`` counts them and ``types`` lists them."""
    H = nx.Graph()
    for node, attrs in sorted(G.nodes(data=True), key=lambda item: item[0]):
        if attrs.get("label") != Label.ARTICLE.value:
            H.add_node(node, **attrs)
    for u, v, _key, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        if u == v or u not in H or v not in H or not _is_entity_edge(attrs):
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
            H[u][v]["types"] = sorted({*H[u][v]["types"], attrs["type"]})
        else:
            H.add_edge(u, v, weight=1, types=[attrs["type"]])
    return H


def organisation_graph(
    G: nx.MultiDiGraph,
    via: Iterable[Label | str] = (Label.EVENT, Label.PERSON, Label.POLICY),
) -> nx.Graph:
    """Organisations only, joined when they are related directly (GUIDED_BY, PART_OF,
    DONATED_TO ...) or through one entity of a label in ``via`` (two organisers of one
    event, one person's two posts, co-issuers of a policy).

    Edge attributes: ``weight`` (direct relations plus shared entities), ``types`` (the
    direct relation types, sorted) and ``via`` (names of the shared entities, sorted).
    Every organisation of ``G`` is a node, related or not.
    """
    via_labels = {_label(lb).value for lb in via}
    org = Label.ORGANISATION.value
    orgs = nx.Graph()
    for node, attrs in sorted(G.nodes(data=True), key=lambda item: item[0]):
        if attrs.get("label") == org:
            orgs.add_node(node, **attrs)

    def link(u: str, v: str) -> dict[str, Any]:
        if not orgs.has_edge(u, v):
            orgs.add_edge(u, v, weight=0, types=[], via=[])
        edge: dict[str, Any] = orgs[u][v]
        edge["weight"] += 1
        return edge

    shared: dict[str, set[str]] = {}
    for u, v, _key, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: e[2]):
        if u == v or not _is_entity_edge(attrs):
            continue
        if u in orgs and v in orgs:
            edge = link(u, v)
            edge["types"] = sorted({*edge["types"], attrs["type"]})
            continue
        for middle, end in ((u, v), (v, u)):
            if end in orgs and G.nodes[middle].get("label") in via_labels:
                shared.setdefault(middle, set()).add(end)
    for middle in sorted(shared):
        for u, v in combinations(sorted(shared[middle]), 2):
            edge = link(u, v)
            edge["via"] = sorted({*edge["via"], G.nodes[middle].get("name", middle)})
    return orgs


def _label(value: Label | str) -> Label:
    return value if isinstance(value, Label) else parse_label(value)


def _betweenness(H: nx.Graph, seed: int) -> dict[str, float]:
    if H.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT:
        return dict(nx.betweenness_centrality(H, normalized=True))
    # Exact betweenness is O(V*E); a seeded sample keeps big graphs quick and repeatable.
    return dict(nx.betweenness_centrality(H, k=1000, normalized=True, seed=seed))


def top_central(
    G: nx.MultiDiGraph,
    label: Label | str = Label.ORGANISATION,
    k: int = 10,
    by: Literal["degree", "betweenness"] = "degree",
    seed: int = 0,
) -> list[Centrality]:
    """The ``k`` most central nodes of ``label`` in the entity graph of ``G``.

    Ranked by ``by`` (degree: relations touching the node; betweenness: how often it
    lies on shortest paths between other entities), then by the other measure, then id.
    Betweenness is computed over all entities (people and events bridge organisations)
    and reported for the nodes of ``label``.
    """
    if by not in ("degree", "betweenness"):
        raise SchemaError(f"top_central: by={by!r} is not a measure; choose degree or betweenness")
    wanted = _label(label).value
    H = entity_graph(G)
    between = _betweenness(H, seed)
    rows = [
        Centrality(
            id=node,
            name=str(attrs.get("name", node)),
            kind=attrs.get("kind"),
            degree=int(H.degree(node, weight="weight")),
            neighbours=int(H.degree(node)),
            betweenness=round(between.get(node, 0.0), 6),
        )
        for node, attrs in H.nodes(data=True)
        if attrs.get("label") == wanted
    ]
    if by == "degree":
        rows.sort(key=lambda r: (-r.degree, -r.betweenness, r.id))
    else:
        rows.sort(key=lambda r: (-r.betweenness, -r.degree, r.id))
    return rows[: max(k, 0)]


def communities(
    G: nx.Graph, seed: int = 0, resolution: float = 1.0, min_size: int = 1
) -> list[Community]:
    """Louvain communities (networkx ``louvain_communities`` with a fixed ``seed``).

    ``G`` may be the store's MultiDiGraph (reduced to its entity graph first) or an
    undirected graph such as ``organisation_graph(G)`` (edge ``weight`` used). Communities
    smaller than ``min_size`` are left out; the rest are numbered from the largest down
    (ties by first id), members sorted by id.
    """
    H = entity_graph(G) if G.is_multigraph() or G.is_directed() else G
    if H.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    groups = sorted((sorted(c) for c in found if len(c) >= min_size), key=lambda c: (-len(c), c[0]))
    return [
        Community(
            number=i,
            size=len(ids),
            ids=tuple(ids),
            names=tuple(str(H.nodes[n].get("name", n)) for n in ids),
        )
        for i, ids in enumerate(groups, start=1)
    ]


def component_layout(
    G: nx.Graph, seed: int = 0, width: float = 8.0
) -> dict[str, tuple[float, float]]:
    """Node positions for drawing a graph of many small components: each connected
    component gets its own seeded spring layout, sized by the square root of its node
    count, and the components are packed in rows (largest first), so a big component is
    not squeezed into the middle by the others pushing it. Deterministic for a ``seed``."""
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    parts = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    biggest = len(parts[0]) if parts else 1
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    gap = 0.3
    for part in parts:
        size = 2.0 * max(0.15, (len(part) / biggest) ** 0.5)  # a component's box side
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        centre = (x + size / 2, y - size / 2)
        if len(part) == 1:
            placed = {part[0]: centre}
        else:
            sub = nx.Graph(H.subgraph(part))
            placed = nx.spring_layout(sub, seed=seed, weight=None, center=centre, scale=size / 2)
        for node in part:
            px, py = placed[node]
            pos[node] = (float(px), float(py))
        x += size + gap
        row_height = max(row_height, size)
    return pos

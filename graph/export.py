"""The graph as networkx, node-link JSON, GraphML, GEXF and neo4j-admin CSV (graph.export_csv).

Every function works over the GraphStore protocol (``nodes()`` and ``iter_relations()``),
so both stores share them. Outputs are deterministic: nodes by id, edges by relation id,
JSON keys sorted. Node-link, GraphML and CSV are written as the store is read
(``export_stream``: memory independent of the graph's size); GEXF and ``build_networkx``
hold the graph in memory.

Node attributes: ``label``, ``name``, ``aliases`` (list), ``kind``, ``first_seen``,
``last_seen`` and the node's scalar properties (a place's ``lat``/``lon``, ``adcode``,
``level``; an article's ``title``, ``source``, ``date``, ``file`` ... but not its text) and
an article's lists ``sources``, ``urls``, ``files`` (every outlet that carried it).
Edge attributes (the edge key is the relation id): ``type``, ``confidence``, ``curated``,
``evidence_count``, the relation's properties, ``editor``/``note`` when set, and the
provenance as lists aligned piece by piece: ``article_ids``, ``sentences``, ``rules``.

GraphML and GEXF are read by Gephi, Cytoscape and yEd, which show a node's ``label``:
there ``label`` is the entity's name and the schema label is ``schema_label``; an edge's
``label`` is its relation type (GEXF also keeps it as ``relation_type``: its ``type`` is
the edge direction).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx
from shegong.schema import Label, Node, Relation, RelationType

from .export_attrs import edge_attributes, flat_value, node_attributes
from .export_csv import ARRAY_DELIMITER, export_csv
from .export_stream import export_graphml, export_node_link

if TYPE_CHECKING:
    from .base import GraphStore

__all__ = [
    "ARRAY_DELIMITER",
    "build_networkx",
    "edge_attributes",
    "export_csv",
    "export_gexf",
    "export_graphml",
    "export_node_link",
    "node_attributes",
]


def _iso_only(date: object) -> str | None:
    """``date`` when it carries a year (a month-day ``MM-DD`` lies in no ISO range)."""
    return date if isinstance(date, str) and date[:4].isdigit() else None


def _within(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    """``date`` (ISO, any precision) inside the bounds, each compared at its own precision."""
    if not date:
        return False
    if date_from and date[: len(date_from)] < date_from:
        return False
    return not (date_to and date[: len(date_to)] > date_to)


def _overlaps(node: Node, date_from: str | None, date_to: str | None) -> bool:
    first, last = node.first_seen, node.last_seen or node.first_seen
    if not first or not last:
        return False
    if date_from and last[: len(date_from)] < date_from:
        return False
    return not (date_to and first[: len(date_to)] > date_to)


def build_networkx(
    nodes: Iterable[Node],
    relations: Iterable[Relation],
    labels: Iterable[Label] | None = None,
    types: Iterable[RelationType] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by relation id.

    ``labels`` keeps nodes of those labels (and edges between them), ``types`` edges of
    those types. With ``date_from``/``date_to`` (ISO dates, any precision, inclusive) an
    edge is kept when one of its evidence articles is dated inside the range, and a node
    when it is an end of a kept edge or was seen inside the range.
    """
    all_nodes = list(nodes)
    article_dates = {
        n.id: n.first_seen or _iso_only(n.properties.get("date"))
        for n in all_nodes
        if n.label == Label.ARTICLE
    }
    wanted_labels = {Label(label) for label in labels} if labels is not None else None
    wanted_types = {RelationType(t) for t in types} if types is not None else None
    dated = date_from is not None or date_to is not None
    by_id = {n.id: n for n in all_nodes if wanted_labels is None or n.label in wanted_labels}
    graph = nx.MultiDiGraph()
    for node_id in sorted(by_id):
        node = by_id[node_id]
        if (
            not dated
            or _overlaps(node, date_from, date_to)
            or (
                node.label == Label.ARTICLE
                and _within(article_dates.get(node.id), date_from, date_to)
            )
        ):
            graph.add_node(node_id, **node_attributes(node))
    # Store iterators (iter_relations) come in id order already; lists are sorted here.
    ordered = (
        sorted(relations, key=lambda r: r.id) if isinstance(relations, list | tuple) else relations
    )
    for rel in ordered:
        if wanted_types is not None and rel.type not in wanted_types:
            continue
        if rel.source_id not in by_id or rel.target_id not in by_id:
            continue
        if dated and not any(
            _within(article_dates.get(ev.article_id), date_from, date_to) for ev in rel.evidence
        ):
            continue
        for end in (rel.source_id, rel.target_id):
            if end not in graph:
                graph.add_node(end, **node_attributes(by_id[end]))
        graph.add_edge(rel.source_id, rel.target_id, key=rel.id, **edge_attributes(rel))
    return graph


def _store_graph(store: GraphStore) -> nx.MultiDiGraph:
    return build_networkx(store.nodes(), store.iter_relations())


def _viewer_graph(store: GraphStore, gexf: bool = False) -> nx.MultiDiGraph:
    """The store graph with flat attribute values and the labels viewers display."""
    source = _store_graph(store)
    graph = nx.MultiDiGraph()
    for node_id, attrs in source.nodes(data=True):
        flat = {k: flat_value(v) for k, v in attrs.items() if v is not None}
        flat["schema_label"] = flat.pop("label")
        flat["label"] = attrs["name"]
        graph.add_node(node_id, **flat)
    for u, v, key, attrs in source.edges(keys=True, data=True):
        flat = {k: flat_value(x) for k, x in attrs.items() if x is not None}
        flat["label"] = attrs["type"]
        if gexf:  # GEXF's edge "type" is directed/undirected; "id" is the edge's id
            flat["relation_type"] = flat.pop("type")
            flat["id"] = key
        graph.add_edge(u, v, key=key, **flat)
    return graph


def export_gexf(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write GEXF 1.2 (Gephi's own format) with networkx; attributes as for GraphML."""
    graph = _viewer_graph(store, gexf=True)
    nx.write_gexf(graph, os.fspath(path), encoding="utf-8")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}

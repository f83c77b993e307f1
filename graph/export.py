"""The graph as networkx, node-link JSON, GraphML, GEXF and neo4j-admin CSV (graph.export_csv).

Every function works over the GraphStore protocol (``nodes()`` and ``iter_relations()``),
so both stores share them. Outputs are deterministic: nodes by id, edges by relation id,
JSON keys sorted. Node-link, GraphML, GEXF and CSV are written as the store is read
(``export_stream``, ``export_csv``: memory independent of the graph's size);
``build_networkx`` holds the graph in memory.

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

from collections.abc import Iterable

import networkx as nx
from shegong.schema import Label, Node, Relation, RelationType

from .export_attrs import edge_attributes, node_attributes
from .export_csv import ARRAY_DELIMITER, export_csv
from .export_stream import export_gexf, export_graphml, export_node_link

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

"""The graph as networkx, node-link JSON, GraphML and neo4j-admin CSV.

Every function works over the GraphStore protocol (``nodes()`` and ``iter_relations()``),
so both stores share them. Outputs are deterministic: nodes by id, edges by relation id,
JSON keys sorted.

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

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from shegong.schema import (
    RELATION_SPECS,
    UNIONED_PROPERTIES,
    Label,
    Node,
    Relation,
    RelationType,
)

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

#: neo4j-admin's array delimiter in the CSV export; ``;`` inside a value becomes ``；``.
ARRAY_DELIMITER = ";"
#: GraphML holds scalars only: lists are joined with this.
GRAPHML_JOIN = " | "

_NODE_FIELDS = ("label", "name", "aliases", "kind", "first_seen", "last_seen")
_EDGE_FIELDS = (
    "type",
    "confidence",
    "curated",
    "evidence_count",
    "article_ids",
    "sentences",
    "rules",
)
# an article's body (far too big for a graph file) and its MinHash signature (no use there)
_SKIPPED_PROPERTIES = {"text", "minhash"}


def node_attributes(node: Node) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "label": node.label.value,
        "name": node.name,
        "aliases": list(node.aliases),
        "kind": node.kind,
        "first_seen": node.first_seen,
        "last_seen": node.last_seen,
    }
    for key in sorted(node.properties):
        value = node.properties[key]
        if key in attrs or key in _SKIPPED_PROPERTIES:
            continue
        if _is_scalar(value) or (key in UNIONED_PROPERTIES and isinstance(value, list)):
            attrs[key] = value
    return attrs


def edge_attributes(rel: Relation) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "type": rel.type.value,
        "confidence": rel.confidence,
        "curated": rel.curated,
        "evidence_count": len(rel.evidence),
        "article_ids": [ev.article_id for ev in rel.evidence],
        "sentences": [ev.sentence for ev in rel.evidence],
        "rules": [ev.rule for ev in rel.evidence],
    }
    for key in ("editor", "note"):
        if getattr(rel, key) is not None:
            attrs[key] = getattr(rel, key)
    for key in sorted(rel.properties):
        if key not in attrs:
            attrs[key] = rel.properties[key]
    return attrs


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


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


def export_node_link(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write networkx ``node_link_data`` (key ``edges``) as JSON; returns the counts."""
    graph = _store_graph(store)
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: e["key"])
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, sort_keys=True, indent=1)
        out.write("\n")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def _graphml_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return GRAPHML_JOIN.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _viewer_graph(store: GraphStore, gexf: bool = False) -> nx.MultiDiGraph:
    """The store graph with flat attribute values and the labels viewers display."""
    source = _store_graph(store)
    graph = nx.MultiDiGraph()
    for node_id, attrs in source.nodes(data=True):
        flat = {k: _graphml_value(v) for k, v in attrs.items() if v is not None}
        flat["schema_label"] = flat.pop("label")
        flat["label"] = attrs["name"]
        graph.add_node(node_id, **flat)
    for u, v, key, attrs in source.edges(keys=True, data=True):
        flat = {k: _graphml_value(x) for k, x in attrs.items() if x is not None}
        flat["label"] = attrs["type"]
        if gexf:  # GEXF's edge "type" is directed/undirected; "id" is the edge's id
            flat["relation_type"] = flat.pop("type")
            flat["id"] = key
        graph.add_edge(u, v, key=key, **flat)
    return graph


def export_graphml(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write GraphML; ``label`` is the name (see the module docstring), list attributes
    joined with `` | ``, empty values left out."""
    graph = _viewer_graph(store)
    nx.write_graphml(graph, os.fspath(path), encoding="utf-8")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def export_gexf(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write GEXF 1.2 (Gephi's own format) with networkx; attributes as for GraphML."""
    graph = _viewer_graph(store, gexf=True)
    nx.write_gexf(graph, os.fspath(path), encoding="utf-8")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


# -- neo4j-admin CSV ---------------------------------------------------------------------
def _csv_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return ":boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return ":long"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return ":float"
    if present and all(isinstance(v, list | tuple) for v in present):
        return ":string[]"
    return ""


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, "；") for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def export_csv(store: GraphStore, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the neo4j-admin import layout: ``<Label>.csv`` per node label and
    ``<TYPE>.csv`` per relation type (non-retracted); returns the files written.

    Import with ``neo4j-admin database import full --nodes=Organisation.csv ...
    --relationships=GUIDED_BY.csv ... --array-delimiter=';' --multiline-fields=true``.
    """
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    by_label: dict[Label, list[Node]] = {}
    for node in store.nodes():
        by_label.setdefault(node.label, []).append(node)
    for label in sorted(by_label, key=lambda lb: lb.value):
        group = by_label[label]
        keys = sorted({k for n in group for k in n.properties})
        typed = [k + _csv_type([n.properties.get(k) for n in group]) for k in keys]
        path = out_dir / f"{label.value}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(
                [
                    "id:ID",
                    "name",
                    "aliases:string[]",
                    "kind",
                    "first_seen",
                    "last_seen",
                    *typed,
                    ":LABEL",
                ]
            )
            for n in group:
                props = [_csv_value(n.properties.get(k)) for k in keys]
                writer.writerow(
                    [
                        n.id,
                        n.name,
                        _csv_value(list(n.aliases)),
                        _csv_value(n.kind),
                        _csv_value(n.first_seen),
                        _csv_value(n.last_seen),
                        *props,
                        label.value,
                    ]
                )
        written.append(path)
    files: dict[RelationType, Any] = {}
    writers: dict[RelationType, Any] = {}  # csv writers (their type is private)
    try:
        for rel in store.iter_relations():
            rel_writer = writers.get(rel.type)
            if rel_writer is None:
                path = out_dir / f"{rel.type.value}.csv"
                files[rel.type] = path.open("w", encoding="utf-8", newline="")
                rel_writer = writers[rel.type] = csv.writer(files[rel.type])
                props = [
                    p + (":int" if p == "count" else "")
                    for p in RELATION_SPECS[rel.type].properties
                ]
                rel_writer.writerow(
                    [
                        ":START_ID",
                        ":END_ID",
                        ":TYPE",
                        "id",
                        "confidence:float",
                        "curated:boolean",
                        "evidence_count:int",
                        *props,
                        "article_ids:string[]",
                        "rules:string[]",
                        "editor",
                        "note",
                    ]
                )
                written.append(path)
            rel_writer.writerow(
                [
                    rel.source_id,
                    rel.target_id,
                    rel.type.value,
                    rel.id,
                    _csv_value(rel.confidence),
                    _csv_value(rel.curated),
                    len(rel.evidence),
                    *(
                        _csv_value(rel.properties.get(p))
                        for p in RELATION_SPECS[rel.type].properties
                    ),
                    _csv_value(sorted({ev.article_id for ev in rel.evidence})),
                    _csv_value(sorted({ev.rule for ev in rel.evidence})),
                    _csv_value(rel.editor),
                    _csv_value(rel.note),
                ]
            )
    finally:
        for handle in files.values():
            handle.close()
    return sorted(written)

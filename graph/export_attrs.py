"""What a node and an edge carry in every export, and how values are written flat.

Shared by the networkx graph (``export.build_networkx``) and the streaming file writers
(``export_stream``), so that a file and ``to_networkx`` agree attribute by attribute.
"""

from __future__ import annotations

import json
from typing import Any

from shegong.schema import UNIONED_PROPERTIES, Node, Relation

__all__ = [
    "GRAPHML_JOIN",
    "edge_attributes",
    "flat_value",
    "node_attributes",
]

#: GraphML and GEXF hold scalars only: lists are joined with this.
GRAPHML_JOIN = " | "

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
    """The edge of a relation read with its evidence (``iter_relations``)."""
    attrs: dict[str, Any] = {
        "type": rel.type.value,
        "confidence": rel.confidence,
        "curated": rel.curated,
        "evidence_count": rel.evidence_count,
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


def flat_value(value: Any) -> Any:
    """A GraphML / GEXF value: lists joined with GRAPHML_JOIN, mappings as JSON."""
    if isinstance(value, list | tuple):
        return GRAPHML_JOIN.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value

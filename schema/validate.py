"""Validation of nodes and relations against the vocabulary, with messages that name
the bad value and list the valid ones."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import SchemaError
from .models import GraphBatch, Node, Relation
from .vocab import KINDS, RELATION_SPECS, Label, RelationType

__all__ = ["validate_batch", "validate_endpoints", "validate_node", "validate_relation"]


def validate_node(node: Node) -> None:
    """Raise SchemaError if the node's label, name or kind is not acceptable."""
    if not isinstance(node.label, Label):
        raise SchemaError(f"unknown node label {node.label!r}")
    if not node.name or not node.name.strip():
        raise SchemaError(f"{node.label.value} with an empty name (id {node.id!r})")
    kinds = KINDS[node.label]
    if node.kind is not None and kinds and node.kind not in kinds:
        raise SchemaError(
            f"unknown kind {node.kind!r} for {node.label.value} {node.name!r}; "
            f"valid kinds: {', '.join(kinds)}"
        )


def validate_endpoints(rtype: RelationType, source: Label, target: Label) -> None:
    """Raise SchemaError if ``rtype`` may not connect ``source`` to ``target``."""
    spec = RELATION_SPECS[rtype]
    if source not in spec.sources or target not in spec.targets:
        sources = "|".join(sorted(label.value for label in spec.sources))
        targets = "|".join(sorted(label.value for label in spec.targets))
        raise SchemaError(
            f"{rtype.value} cannot connect {source.value} -> {target.value}; "
            f"it connects {sources} -> {targets}"
        )


def validate_relation(relation: Relation, labels: Mapping[str, Label] | None = None) -> None:
    """Raise SchemaError for an unknown type, unknown property or wrong endpoint labels.

    ``labels`` maps node ids to their labels; endpoints not found there are not checked
    here (the store checks them against what it holds).
    """
    spec = RELATION_SPECS[RelationType(relation.type)]
    unknown = sorted(set(relation.properties) - set(spec.properties))
    if unknown:
        valid = ", ".join(spec.properties) or "none"
        raise SchemaError(
            f"{relation.type.value} has no propert{'y' if len(unknown) == 1 else 'ies'} "
            f"{', '.join(map(repr, unknown))}; valid properties: {valid}"
        )
    if labels is not None and relation.source_id in labels and relation.target_id in labels:
        validate_endpoints(relation.type, labels[relation.source_id], labels[relation.target_id])


def validate_batch(batch: GraphBatch) -> None:
    """Validate every node, and every relation whose endpoints are in the batch."""
    labels = {}
    for node in batch.nodes:
        validate_node(node)
        labels[node.id] = node.label
    for relation in batch.relations:
        validate_relation(relation, labels)

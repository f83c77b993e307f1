"""How a stored node or relation and a new one combine; shared by every store.

The rules are the contract in graph.base: aliases unioned and sorted, stored ``kind`` and
properties win unless empty (the lists of ``UNIONED_PROPERTIES`` are unioned),
``first_seen`` the minimum and ``last_seen`` the maximum; for relations evidence is unioned
by (article_id, start, end, rule), ``curated``, ``retracted`` and ``reviewed`` never go back
to False.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from shegong.schema import (
    Evidence,
    GraphBatch,
    InputError,
    Label,
    Node,
    NotFoundError,
    Relation,
    SchemaError,
    merge_unioned,
    relation_id,
)

__all__ = [
    "batch_ids",
    "plan_nodes",
    "check_merge",
    "fold_batch_nodes",
    "fold_batch_relations",
    "redirect_relation",
    "evidence_key",
    "fold_relations",
    "is_empty",
    "merge_evidence",
    "merge_node",
    "merge_properties",
    "merge_relation",
    "normalise_node",
]

EvidenceKey = tuple[str, int, int, str]


def is_empty(value: Any) -> bool:
    """True for values that count as "not stated": None, "", and empty containers."""
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def merge_properties(stored: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values win unless empty, but ``UNIONED_PROPERTIES`` lists are unioned; keys
    sorted so equal contents compare equal."""
    merged = dict(new)
    for key, value in stored.items():
        if not is_empty(value) or key not in merged:
            merged[key] = value
    merge_unioned(merged, stored, new)
    return {key: merged[key] for key in sorted(merged)}


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def normalise_node(node: Node, node_id: str | None = None) -> Node:
    """A copy of ``node`` in stored form (sorted aliases and properties), under ``node_id``."""
    return Node(
        label=node.label,
        name=node.name,
        aliases=tuple(sorted(set(node.aliases) - {node.name})),
        kind=node.kind or None,
        properties={key: node.properties[key] for key in sorted(node.properties)},
        first_seen=node.first_seen or None,
        last_seen=node.last_seen or None,
        id=node_id or node.id,
    )


def merge_node(stored: Node, new: Node) -> Node:
    """``new`` folded into ``stored``; a different name of ``new`` becomes an alias."""
    if stored.label != new.label:
        raise SchemaError(
            f"node {stored.id!r} is a {stored.label.value}; cannot merge a "
            f"{new.label.value} ({new.name!r}) into it"
        )
    aliases = set(stored.aliases) | set(new.aliases) | {new.name}
    return Node(
        label=stored.label,
        name=stored.name,
        aliases=tuple(sorted(aliases - {stored.name})),
        kind=stored.kind or new.kind or None,
        properties=merge_properties(stored.properties, new.properties),
        first_seen=_min(stored.first_seen, new.first_seen),
        last_seen=_max(stored.last_seen, new.last_seen),
        id=stored.id,
    )


def evidence_key(ev: Evidence) -> EvidenceKey:
    """The identity of a piece of evidence: one per (article_id, start, end, rule)."""
    return (ev.article_id, ev.start, ev.end, ev.rule)


def merge_evidence(stored: Iterable[Evidence], new: Iterable[Evidence]) -> list[Evidence]:
    """Union by ``evidence_key`` (stored pieces win), sorted by key."""
    union: dict[EvidenceKey, Evidence] = {}
    for ev in (*stored, *new):
        union.setdefault(evidence_key(ev), ev)
    return [union[key] for key in sorted(union)]


def merge_relation(stored: Relation, new: Relation) -> Relation:
    """``new`` folded into ``stored`` (same id).

    An editor's value corrects the stored one: the properties of a curated ``new`` win
    over the stored ones, extracted or curated (keys it does not name stay), and its
    editor and note replace the stored ones. Otherwise (extraction) stored properties win.
    """
    curating = new.curated
    properties = (
        merge_properties(new.properties, stored.properties)
        if curating
        else merge_properties(stored.properties, new.properties)
    )
    return Relation(
        type=stored.type,
        source_id=stored.source_id,
        target_id=stored.target_id,
        properties=properties,
        evidence=merge_evidence(stored.evidence, new.evidence),
        curated=stored.curated or new.curated,
        retracted=stored.retracted or new.retracted,
        editor=new.editor if curating or stored.editor is None else stored.editor,
        note=new.note if curating or stored.note is None else stored.note,
        created_at=stored.created_at if stored.created_at is not None else new.created_at,
        retracted_reason=(
            stored.retracted_reason if stored.retracted_reason is not None else new.retracted_reason
        ),
        id=stored.id,
        reviewed=stored.reviewed or new.reviewed,
    )


def fold_relations(group: Sequence[Relation]) -> Relation:
    """Relations with one id folded in order (the first wins, as if it were stored);
    the evidence is unioned once, not pairwise, so a fact repeated in thousands of
    articles of one file costs one sort."""
    evidence = merge_evidence([], [ev for rel in group for ev in rel.evidence])
    head = replace(group[0], evidence=[])
    for other in group[1:]:
        head = merge_relation(head, replace(other, evidence=[]))
    return replace(head, evidence=evidence)


def redirect_relation(rel: Relation, redirect: dict[str, str]) -> Relation | None:
    """``rel`` with merged-away endpoints replaced by the kept ids (and its id recomputed);
    None when it would become a loop on one node (both ends were merged together)."""
    source = redirect.get(rel.source_id, rel.source_id)
    target = redirect.get(rel.target_id, rel.target_id)
    if (source, target) == (rel.source_id, rel.target_id):
        return rel
    if source == target:
        return None
    return replace(
        rel, source_id=source, target_id=target, id=relation_id(rel.type, source, target)
    )


def fold_batch_nodes(batch: GraphBatch, redirect: dict[str, str]) -> dict[str, Node]:
    """Nodes of the batch by id (after redirects), repeats merged, in stored form."""
    incoming: dict[str, Node] = {}
    for node in batch.nodes:
        node_id = redirect.get(node.id, node.id)
        seen = incoming.get(node_id)
        incoming[node_id] = merge_node(seen, node) if seen else normalise_node(node, node_id)
    return incoming


def fold_batch_relations(batch: GraphBatch, redirect: dict[str, str]) -> dict[str, Relation]:
    """Relations by id, redirected, with duplicates (and duplicate evidence) folded.

    The caller's objects are only read, never changed; the common case (a relation seen
    once, with one piece of evidence) is passed through without copying.
    """
    groups: dict[str, list[Relation]] = {}
    for original in batch.relations:
        rel = redirect_relation(original, redirect) if redirect else original
        if rel is not None:
            groups.setdefault(rel.id, []).append(rel)
    return {
        rid: group[0] if len(group) == 1 and len(group[0].evidence) <= 1 else fold_relations(group)
        for rid, group in groups.items()
    }


def check_merge(kept: Node, other_id: str, other: Node | None, merged_into: str | None) -> Node:
    """``other`` if it may be merged into ``kept``; else the error an editor should read.

    ``merged_into`` is where ``other_id`` was merged before, when it is no longer a node.
    """
    if kept.label == Label.ARTICLE:
        raise SchemaError("articles cannot be merged (their ids are content hashes)")
    if other_id == kept.id:
        raise InputError(f"cannot merge {other_id!r} into itself")
    if other is None:
        if merged_into:
            raise InputError(f"{other_id!r} was already merged into {merged_into!r}")
        raise NotFoundError(f"no node with id {other_id!r}")
    if other.label != kept.label:
        raise SchemaError(
            f"cannot merge {other.label.value} {other.name!r} ({other_id}) into "
            f"{kept.label.value} {kept.name!r} ({kept.id}): labels differ"
        )
    return other


def batch_ids(batch: GraphBatch) -> set[str]:
    """Every id a batch names: its nodes and both ends of its relations."""
    ids = {node.id for node in batch.nodes}
    ids.update(rel.source_id for rel in batch.relations)
    ids.update(rel.target_id for rel in batch.relations)
    return ids


def plan_nodes(
    incoming: Mapping[str, Node], stored: Mapping[str, Node]
) -> tuple[list[Node], list[Node]]:
    """Nodes to add, and stored nodes whose merge with the incoming one changes them."""
    adds: list[Node] = []
    updates: list[Node] = []
    for node_id, node in incoming.items():
        old = stored.get(node_id)
        if old is None:
            adds.append(node)
        else:
            merged = merge_node(old, node)
            if merged != old:
                updates.append(merged)
    return adds, updates

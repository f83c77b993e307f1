"""Upsert and editor actions of the Neo4j store, each run inside one write transaction.

The rules are those of every store (graph.merge_rules, graph.base): this module plans
the new state in Python from what the transaction reads, checks everything, then
writes. A merge keeps a JSON snapshot of the merged-away node and of every relation it
moved on its ``:Redirect`` node, which is what ``unmerge`` restores from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any

from shegong.schema import (
    AuditEntry,
    Evidence,
    GraphBatch,
    InputError,
    Label,
    Node,
    NotFoundError,
    Relation,
    SchemaError,
    UpsertResult,
    name_key,
    validate_endpoints,
)

from .merge_rules import (
    batch_ids,
    check_merge,
    evidence_key,
    fold_batch_nodes,
    fold_batch_relations,
    merge_evidence,
    merge_node,
    merge_properties,
    merge_relation,
    plan_nodes,
    redirect_relation,
)
from .neo4j_tx import BoltTx, WriteConflict, utc_now
from .review import check_acceptable

__all__ = [
    "accept",
    "add_alias",
    "merge_nodes",
    "retract",
    "unmerge_node",
    "upsert_batch",
]


def _check_endpoints(tx: BoltTx, rels: Iterable[Relation], labels: dict[str, Label]) -> None:
    """Raise SchemaError naming the first relation whose end is missing or of a label
    its type does not allow."""
    rels = list(rels)
    ends = {rel.source_id for rel in rels} | {rel.target_id for rel in rels}
    labels.update(tx.fetch_labels(ends - labels.keys()))
    for rel in rels:
        for end in (rel.source_id, rel.target_id):
            if end not in labels:
                raise SchemaError(
                    f"{rel.type.value} {rel.source_id} -> {rel.target_id}: no node "
                    f"{end!r} in the batch or the store"
                )
        validate_endpoints(rel.type, labels[rel.source_id], labels[rel.target_id])


def upsert_batch(tx: BoltTx, batch: GraphBatch) -> UpsertResult:
    """Write ``batch`` (already schema-validated): read, plan and check, then write."""
    ids = batch_ids(batch)
    redirect = tx.fetch_redirects(ids)

    incoming = fold_batch_nodes(batch, redirect)
    stored = tx.fetch_nodes(incoming)
    node_adds, node_updates = plan_nodes(incoming, stored)

    rels = fold_batch_relations(batch, redirect)
    batch_labels = {node_id: n.label for node_id, n in incoming.items()}
    stored_rels = tx.fetch_relations_of(rels.values())
    rel_adds: list[Relation] = []
    rel_updates: list[Relation] = []
    for rid, rel in rels.items():
        old_rel = stored_rels.get(rid)
        if old_rel is None:
            rel_adds.append(rel)
        else:
            merged_rel = merge_relation(old_rel, rel)
            if merged_rel != old_rel:
                rel_updates.append(merged_rel)

    # Known-new rows are created, known rows updated: ArcadeDB's MERGE on two labels
    # scans every node. A concurrent writer creating the same id trips the uniqueness
    # constraint, and the store runs the whole transaction again.
    now = utc_now()
    tx.create_nodes(node_adds)
    tx.update_nodes(node_updates)
    # New relations are created only between ends of allowed labels (checked by the
    # statement itself, which saves a round trip for the ends' labels); when some were
    # not, find which and say why. Raising rolls the whole batch back.
    if not tx.create_relations(rel_adds, now):
        _check_endpoints(tx, rel_adds, batch_labels)
        raise WriteConflict("an end node of a new relation changed while writing")
    tx.update_relations(rel_updates, now)
    articles = sum(1 for n in node_adds if n.label is Label.ARTICLE)
    return UpsertResult(
        len(node_adds), len(node_updates), len(rel_adds), len(rel_updates), articles
    )


# -- editor actions -------------------------------------------------------------------
def _audit(
    tx: BoltTx, editor: str, action: str, target: str, note: str | None, **details: Any
) -> None:
    tx.audit(AuditEntry(utc_now(), editor, action, target, note, details))


def _node(tx: BoltTx, node_id: str) -> Node:
    node_id = tx.fetch_redirects([node_id]).get(node_id, node_id)
    node = tx.fetch_nodes([node_id]).get(node_id)
    if node is None:
        raise NotFoundError(f"no node with id {node_id!r}")
    return node


def retract(tx: BoltTx, relation_id: str, reason: str, editor: str, note: str | None) -> Relation:
    if not reason or not reason.strip():
        raise InputError(f"retracting {relation_id}: a reason is required")
    rel = tx.fetch_relations([relation_id]).get(relation_id)
    if rel is None:
        raise NotFoundError(f"no relation with id {relation_id!r}")
    at, by = tx.retraction.get(rel.id, (None, None))
    tx.retraction[rel.id] = (at or utc_now(), by or editor)
    rel = replace(
        rel,
        retracted=True,
        retracted_reason=rel.retracted_reason if rel.retracted_reason is not None else reason,
    )
    tx.update_relations([rel])
    _audit(tx, editor, "retract", relation_id, note, reason=reason)
    return rel


def accept(tx: BoltTx, relation_id: str, editor: str, note: str | None) -> Relation:
    """Mark a relation reviewed (audited once: accepting it again changes nothing)."""
    rel = tx.fetch_relations([relation_id]).get(relation_id)
    if rel is None:
        raise NotFoundError(f"no relation with id {relation_id!r}")
    check_acceptable(rel)
    if rel.reviewed:
        return rel
    rel = replace(rel, reviewed=True)
    tx.update_relations([rel])
    details = {"type": rel.type.value, "source": rel.source_id, "target": rel.target_id}
    tx.audit(AuditEntry(utc_now(), editor, "accept", relation_id, note, details))
    return rel


def add_alias(tx: BoltTx, node_id: str, alias: str, editor: str, note: str | None) -> Node:
    if not alias or not name_key(alias):
        raise SchemaError(f"empty alias for node {node_id!r}")
    node = _node(tx, node_id)
    if alias != node.name and alias not in node.aliases:
        node = replace(node, aliases=tuple(sorted({*node.aliases, alias})))
        tx.update_nodes([node])
    _audit(tx, editor, "add_alias", node.id, note, alias=alias)
    return node


def _relation_from(data: dict[str, Any]) -> Relation:
    return Relation(**{**data, "evidence": [Evidence(**ev) for ev in data["evidence"]]})


def _node_from(data: dict[str, Any]) -> Node:
    return Node(**{**data, "aliases": tuple(data["aliases"])})


def _move_relation(tx: BoltTx, rel: Relation, kept_id: str, old_id: str) -> dict[str, Any]:
    """Move ``rel`` from ``old_id`` to ``kept_id``; returns its snapshot entry."""
    moved = redirect_relation(rel, {old_id: kept_id})
    entry: dict[str, Any] = {"relation": asdict(rel), "moved_to": None, "existing": None}
    tx.delete_relation(rel)
    if moved is None:  # a loop once both ends are one node: dropped
        return entry
    entry["moved_to"] = moved.id
    existing = tx.fetch_relations([moved.id], [moved.type]).get(moved.id)
    if existing is None:
        tx.retraction[moved.id] = tx.retraction.get(rel.id, (None, None))
        tx.loaded[moved.id] = tx.loaded.get(rel.id)
        if not tx.create_relations([moved]):
            raise WriteConflict(f"cannot move relation {rel.id} to {kept_id}")
        return entry
    # The kept node already has this relation: fold into it, the kept one's state wins.
    entry["existing"] = asdict(existing)
    tx.update_relations(
        [
            replace(
                existing,
                properties=merge_properties(existing.properties, rel.properties),
                evidence=merge_evidence(existing.evidence, rel.evidence),
                curated=existing.curated or rel.curated,
                reviewed=existing.reviewed or rel.reviewed,
                editor=existing.editor if existing.editor is not None else rel.editor,
                note=existing.note if existing.note is not None else rel.note,
                created_at=existing.created_at
                if existing.created_at is not None
                else rel.created_at,
            )
        ]
    )
    return entry


def merge_nodes(
    tx: BoltTx, keep_id: str, other_ids: Sequence[str], editor: str, note: str | None
) -> Node:
    kept = _node(tx, keep_id)
    for other_id in dict.fromkeys(other_ids):
        found = tx.fetch_nodes([other_id]).get(other_id)
        merged_into = None if found else tx.fetch_redirects([other_id]).get(other_id)
        other = check_merge(kept, other_id, found, merged_into)
        after = merge_node(kept, other)
        moves = [
            _move_relation(tx, rel, kept.id, other_id) for rel in tx.relations_touching(other_id)
        ]
        tx.update_nodes([after])
        snapshot = {
            "node": asdict(other),
            "kept_before": asdict(kept),
            "kept_after": asdict(after),
            "moves": moves,
        }
        tx.repoint_redirects(other_id, kept.id)
        tx.delete_node(other_id)
        tx.write_redirect(other_id, kept.id, snapshot, utc_now(), editor)
        _audit(tx, editor, "merge", other_id, note, kept=kept.id)
        kept = after
    return kept


def _undo_move(tx: BoltTx, move: dict[str, Any]) -> None:
    """Take back from the kept node's relation what the merge brought into it."""
    rid = move["moved_to"]
    current = tx.fetch_relations([rid]).get(rid) if rid else None
    if current is None:
        return
    rel = _relation_from(move["relation"])
    before = _relation_from(move["existing"]) if move["existing"] else None
    brought = {evidence_key(ev) for ev in rel.evidence} - {
        evidence_key(ev) for ev in (before.evidence if before else [])
    }
    left = [ev for ev in current.evidence if evidence_key(ev) not in brought]
    if before is not None:
        restored = replace(
            current,
            evidence=left,
            properties=before.properties,
            curated=before.curated,
            editor=before.editor,
            note=before.note,
        )
        tx.update_relations([restored])
        return
    # Nothing learnt about the kept node since the merge: the relation goes back whole.
    if not left and (rel.curated or not current.curated):
        tx.delete_relation(current)
    elif left != current.evidence:
        tx.update_relations([replace(current, evidence=left)])


def unmerge_node(tx: BoltTx, merged_id: str, editor: str, note: str | None) -> Node:
    found = tx.redirect(merged_id)
    if found is None:
        raise NotFoundError(f"{merged_id!r} was not merged into another node")
    kept_id, original_kept, snapshot = found["kept_id"], found["original_kept"], found["snapshot"]
    if kept_id != original_kept:
        raise InputError(
            f"{merged_id!r} was merged into {original_kept!r}, which has since been merged "
            f"into {kept_id!r}; unmerge {original_kept!r} first"
        )
    tx.delete_redirect(merged_id)
    tx.restore_redirects(merged_id)

    kept = tx.fetch_nodes([kept_id])[kept_id]
    before, after = _node_from(snapshot["kept_before"]), _node_from(snapshot["kept_after"])
    added = set(after.aliases) - set(before.aliases)
    restored = replace(
        kept,
        aliases=tuple(a for a in kept.aliases if a not in added),
        kind=before.kind if kept.kind == after.kind else kept.kind,
        properties=before.properties if kept.properties == after.properties else kept.properties,
        first_seen=before.first_seen if kept.first_seen == after.first_seen else kept.first_seen,
        last_seen=before.last_seen if kept.last_seen == after.last_seen else kept.last_seen,
    )
    tx.update_nodes([restored])
    for move in snapshot["moves"]:
        _undo_move(tx, move)
    node = _node_from(snapshot["node"])
    relations = [_relation_from(move["relation"]) for move in snapshot["moves"]]
    upsert_batch(tx, GraphBatch(nodes=[node], relations=relations))
    _audit(tx, editor, "unmerge", merged_id, note, kept=kept_id)
    return tx.fetch_nodes([merged_id])[merged_id]

"""Editor actions of the embedded store: retract, add_alias, merge, unmerge, audit.

Each function runs inside the caller's write transaction and appends to the audit
trail. A merge keeps a JSON snapshot of the merged-away node and of every relation it
moved, which is what ``unmerge`` restores from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from shegong.schema import (
    AuditEntry,
    Evidence,
    GraphBatch,
    InputError,
    Node,
    NotFoundError,
    Relation,
    SchemaError,
    name_key,
)

from .merge_rules import check_merge, evidence_key, merge_node, merge_properties, redirect_relation
from .sqlite_read import load_relations, select_relations
from .sqlite_schema import dumps, name_rows, node_row, refresh_relation_dates, utc_now
from .sqlite_upsert import fetch_nodes, fetch_redirects, upsert_batch

__all__ = ["add_alias", "merge_nodes", "record_audit", "retract", "unmerge_node"]


def record_audit(conn: sqlite3.Connection, entry: AuditEntry) -> None:
    conn.execute(
        "INSERT INTO audit (at, editor, action, target, note, details) VALUES (?,?,?,?,?,?)",
        (
            entry.at,
            entry.editor,
            entry.action,
            entry.target,
            entry.note,
            dumps(dict(entry.details)),
        ),
    )


def _audit(
    conn: sqlite3.Connection,
    editor: str,
    action: str,
    target: str,
    note: str | None,
    **details: Any,
) -> None:
    record_audit(conn, AuditEntry(utc_now(), editor, action, target, note, details))


def _node(conn: sqlite3.Connection, node_id: str) -> Node:
    node_id = fetch_redirects(conn, [node_id]).get(node_id, node_id)
    node = fetch_nodes(conn, [node_id]).get(node_id)
    if node is None:
        raise NotFoundError(f"no node with id {node_id!r}")
    return node


def _write_node(conn: sqlite3.Connection, node: Node) -> None:
    conn.execute(
        "UPDATE nodes SET label=?, name=?, aliases=?, kind=?, properties=?, first_seen=?, "
        "last_seen=? WHERE id=?",
        (*node_row(node)[1:], node.id),
    )
    conn.execute("DELETE FROM names WHERE node_id=?", (node.id,))
    conn.executemany(
        "INSERT OR IGNORE INTO names (node_id, label, key, simple) VALUES (?,?,?,?)",
        name_rows(node),
    )


def retract(
    conn: sqlite3.Connection, relation_id: str, reason: str, editor: str, note: str | None
) -> Relation:
    if not reason or not reason.strip():
        raise InputError(f"retracting {relation_id}: a reason is required")
    if not load_relations(conn, [relation_id], evidence=False):
        raise NotFoundError(f"no relation with id {relation_id!r}")
    conn.execute(
        "UPDATE relations SET retracted=1, retracted_reason=COALESCE(retracted_reason, ?), "
        "retracted_at=COALESCE(retracted_at, ?), retracted_by=COALESCE(retracted_by, ?) WHERE id=?",
        (reason, utc_now(), editor, relation_id),
    )
    _audit(conn, editor, "retract", relation_id, note, reason=reason)
    return load_relations(conn, [relation_id], evidence=False)[relation_id]


def add_alias(
    conn: sqlite3.Connection, node_id: str, alias: str, editor: str, note: str | None
) -> Node:
    if not alias or not name_key(alias):
        raise SchemaError(f"empty alias for node {node_id!r}")
    node = _node(conn, node_id)
    if alias != node.name and alias not in node.aliases:
        node = replace(node, aliases=tuple(sorted({*node.aliases, alias})))
        _write_node(conn, node)
    _audit(conn, editor, "add_alias", node.id, note, alias=alias)
    return node


def _relation_dict(rel: Relation) -> dict[str, Any]:
    return asdict(rel)


def _relation_from(data: dict[str, Any]) -> Relation:
    return Relation(**{**data, "evidence": [Evidence(**ev) for ev in data["evidence"]]})


def _node_from(data: dict[str, Any]) -> Node:
    return Node(**{**data, "aliases": tuple(data["aliases"])})


def _recount(conn: sqlite3.Connection, rid: str) -> None:
    conn.execute(
        "UPDATE relations SET confidence=(SELECT COALESCE(MAX(confidence), 1.0) FROM evidence "
        "WHERE relation_id=:id), evidence_count=(SELECT COUNT(*) FROM evidence "
        "WHERE relation_id=:id) WHERE id=:id",
        {"id": rid},
    )
    refresh_relation_dates(conn, [rid])


def _move_relation(
    conn: sqlite3.Connection, rel: Relation, kept_id: str, old_id: str
) -> dict[str, Any]:
    """Move ``rel`` from ``old_id`` to ``kept_id``; returns its snapshot entry."""
    moved = redirect_relation(rel, {old_id: kept_id})
    entry: dict[str, Any] = {"relation": _relation_dict(rel), "moved_to": None, "existing": None}
    if moved is None:  # a loop once both ends are one node: dropped
        conn.execute("DELETE FROM relations WHERE id=?", (rel.id,))
        return entry
    entry["moved_to"] = moved.id
    existing = load_relations(conn, [moved.id]).get(moved.id)
    if existing is None:
        conn.execute(
            "UPDATE relations SET id=?, source=?, target=? WHERE id=?",
            (moved.id, moved.source_id, moved.target_id, rel.id),
        )
        return entry
    # The kept node already has this relation: fold into it, the kept one's state wins.
    entry["existing"] = _relation_dict(existing)
    conn.execute(
        'INSERT OR IGNORE INTO evidence (relation_id, article_id, sentence, start, "end", rule, '
        'confidence) SELECT ?, article_id, sentence, start, "end", rule, confidence '
        "FROM evidence WHERE relation_id=?",
        (moved.id, rel.id),
    )
    conn.execute(
        "UPDATE relations SET properties=?, curated=?, editor=COALESCE(editor, ?), "
        "note=COALESCE(note, ?), created_at=COALESCE(created_at, ?) WHERE id=?",
        (
            dumps(merge_properties(existing.properties, rel.properties)),
            int(existing.curated or rel.curated),
            rel.editor,
            rel.note,
            rel.created_at,
            moved.id,
        ),
    )
    conn.execute("DELETE FROM relations WHERE id=?", (rel.id,))
    _recount(conn, moved.id)
    return entry


def merge_nodes(
    conn: sqlite3.Connection, keep_id: str, other_ids: Sequence[str], editor: str, note: str | None
) -> Node:
    kept = _node(conn, keep_id)
    for other_id in dict.fromkeys(other_ids):
        found = fetch_nodes(conn, [other_id]).get(other_id)
        merged_into = None if found else fetch_redirects(conn, [other_id]).get(other_id)
        other = check_merge(kept, other_id, found, merged_into)
        after = merge_node(kept, other)
        moves = [
            _move_relation(conn, rel, kept.id, other_id)
            for rel in select_relations(
                conn, "source=? OR target=?", (other_id, other_id), "ORDER BY id"
            )
        ]
        _write_node(conn, after)
        snapshot = {
            "node": asdict(other),
            "kept_before": asdict(kept),
            "kept_after": asdict(after),
            "moves": moves,
        }
        conn.execute("UPDATE merges SET kept_id=? WHERE kept_id=?", (kept.id, other_id))
        conn.execute("DELETE FROM nodes WHERE id=?", (other_id,))
        conn.execute(
            "INSERT INTO merges (old_id, kept_id, original_kept, snapshot, at, editor) VALUES (?,?,?,?,?,?)",
            (other_id, kept.id, kept.id, dumps(snapshot), utc_now(), editor),
        )
        _audit(conn, editor, "merge", other_id, note, kept=kept.id)
        kept = after
    return kept


def _undo_move(conn: sqlite3.Connection, move: dict[str, Any]) -> None:
    """Take back from the kept node's relation what the merge brought into it."""
    rid = move["moved_to"]
    current = load_relations(conn, [rid]).get(rid) if rid else None
    if current is None:
        return
    rel = _relation_from(move["relation"])
    before = _relation_from(move["existing"]) if move["existing"] else None
    brought = {evidence_key(ev) for ev in rel.evidence} - {
        evidence_key(ev) for ev in (before.evidence if before else [])
    }
    conn.executemany(
        'DELETE FROM evidence WHERE relation_id=? AND article_id=? AND start=? AND "end"=? AND rule=?',
        [(rid, *key) for key in sorted(brought)],
    )
    _recount(conn, rid)
    if before is not None:
        conn.execute(
            "UPDATE relations SET properties=?, curated=?, editor=?, note=? WHERE id=?",
            (dumps(before.properties), int(before.curated), before.editor, before.note, rid),
        )
        return
    left = conn.execute("SELECT COUNT(*) FROM evidence WHERE relation_id=?", (rid,)).fetchone()[0]
    # Nothing learnt about the kept node since the merge: the relation goes back whole.
    if left == 0 and (rel.curated or not current.curated):
        conn.execute("DELETE FROM relations WHERE id=?", (rid,))


def unmerge_node(conn: sqlite3.Connection, merged_id: str, editor: str, note: str | None) -> Node:
    row = conn.execute(
        "SELECT kept_id, original_kept, snapshot FROM merges WHERE old_id=?", (merged_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"{merged_id!r} was not merged into another node")
    kept_id, original_kept, snapshot_json = row
    if kept_id != original_kept:
        raise InputError(
            f"{merged_id!r} was merged into {original_kept!r}, which has since been merged "
            f"into {kept_id!r}; unmerge {original_kept!r} first"
        )
    snapshot = json.loads(snapshot_json)
    conn.execute("DELETE FROM merges WHERE old_id=?", (merged_id,))
    conn.execute("UPDATE merges SET kept_id=? WHERE original_kept=?", (merged_id, merged_id))

    kept = fetch_nodes(conn, [kept_id])[kept_id]
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
    _write_node(conn, restored)
    for move in snapshot["moves"]:
        _undo_move(conn, move)
    node = _node_from(snapshot["node"])
    relations = [_relation_from(move["relation"]) for move in snapshot["moves"]]
    upsert_batch(conn, GraphBatch(nodes=[node], relations=relations))
    _audit(conn, editor, "unmerge", merged_id, note, kept=kept_id)
    return fetch_nodes(conn, [merged_id])[merged_id]

"""The embedded store's review queue, ``accept`` and filtered audit trail (graph.review)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from shegong.schema import AuditEntry, NotFoundError, Relation

from .review import NOT_REVIEWED_TYPES, AuditFilter, check_acceptable
from .sqlite_edits import record_audit
from .sqlite_read import IN_IDS, load_relations, select_relations
from .sqlite_schema import id_list, utc_now

__all__ = ["accept", "audit_entries", "count_review_queue", "review_queue"]

# ``relations_review`` (reviewed, retracted, curated, loaded_at, id) serves the first
# three conditions and the order; a store older than ``loaded_at`` sorts first (NULL).
_QUEUE = (
    "reviewed = 0 AND retracted = 0 AND curated = 0 "
    f"AND type NOT {IN_IDS} AND (confidence < ? OR evidence_count <= 1)"
)


def review_queue(
    conn: sqlite3.Connection, max_confidence: float, limit: int | None, offset: int
) -> list[Relation]:
    """The queue's relations (without their evidence), oldest first, then by id."""
    params = [id_list(NOT_REVIEWED_TYPES), max_confidence, -1 if limit is None else limit, offset]
    tail = "ORDER BY loaded_at, id LIMIT ? OFFSET ?"
    return select_relations(conn, _QUEUE, params, tail, evidence=False)


def count_review_queue(conn: sqlite3.Connection, max_confidence: float) -> int:
    sql = f"SELECT COUNT(*) FROM relations WHERE {_QUEUE}"
    return int(conn.execute(sql, (id_list(NOT_REVIEWED_TYPES), max_confidence)).fetchone()[0])


def accept(conn: sqlite3.Connection, relation_id: str, editor: str, note: str | None) -> Relation:
    """Mark a relation reviewed (audited once: accepting it again changes nothing)."""
    rel = load_relations(conn, [relation_id], evidence=False).get(relation_id)
    if rel is None:
        raise NotFoundError(f"no relation with id {relation_id!r}")
    check_acceptable(rel)
    if rel.reviewed:
        return rel
    conn.execute("UPDATE relations SET reviewed = 1 WHERE id = ?", (relation_id,))
    details = {"type": rel.type.value, "source": rel.source_id, "target": rel.target_id}
    record_audit(conn, AuditEntry(utc_now(), editor, "accept", relation_id, note, details))
    return load_relations(conn, [relation_id], evidence=False)[relation_id]


def audit_entries(conn: sqlite3.Connection, flt: AuditFilter) -> list[AuditEntry]:
    """Entries passing ``flt``, oldest first."""
    conditions, params = ["1"], []
    for column, value in (("target", flt.target), ("editor", flt.editor)):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    if flt.since is not None:
        conditions.append("at >= ?")
        params.append(flt.since)
    if flt.entity is not None:
        # Entries naming the entity, or acting on a relation at it (retract, accept).
        conditions.append(
            "(target = ? OR json_extract(details, '$.source') = ? "
            "OR json_extract(details, '$.target') = ? OR json_extract(details, '$.kept') = ? "
            "OR target IN (SELECT id FROM relations WHERE source = ? UNION "
            "SELECT id FROM relations WHERE target = ?))"
        )
        params.extend([flt.entity] * 6)
    sql = (
        "SELECT at, editor, action, target, note, details FROM audit "
        f"WHERE {' AND '.join(conditions)} ORDER BY seq"
    )
    rows: list[Any] = conn.execute(sql, params).fetchall()
    return [
        AuditEntry(at, editor, action, target, note, json.loads(details))
        for at, editor, action, target, note, details in rows
    ]

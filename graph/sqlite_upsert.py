"""``upsert`` for the embedded store: validate everything, then write in bulk.

Runs inside the caller's transaction (BEGIN IMMEDIATE), so a SchemaError raised here
rolls back the whole batch. All checks happen before the first write; writes are
``executemany`` per table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from shegong.schema import (
    Evidence,
    GraphBatch,
    Label,
    Node,
    Relation,
    SchemaError,
    UpsertResult,
    validate_endpoints,
)

from .merge_rules import (
    batch_ids,
    evidence_key,
    fold_batch_nodes,
    fold_batch_relations,
    merge_relation,
    plan_nodes,
)
from .sqlite_schema import (
    NODE_COLUMNS,
    dumps,
    evidence_row,
    id_list,
    name_rows,
    node_from_row,
    node_row,
    refresh_relation_dates,
    relation_row,
    utc_now,
)

__all__ = ["fetch_labels", "fetch_nodes", "fetch_redirects", "upsert_batch"]

_IN = "IN (SELECT value FROM json_each(?))"
_LABELS = {label.value: label for label in Label}


def fetch_redirects(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """Merged-away id -> kept id, for those of ``ids`` that were merged away."""
    rows = conn.execute(f"SELECT old_id, kept_id FROM merges WHERE old_id {_IN}", (id_list(ids),))
    return dict(rows.fetchall())


def fetch_nodes(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Node]:
    rows = conn.execute(f"SELECT {NODE_COLUMNS} FROM nodes WHERE id {_IN}", (id_list(ids),))
    return {row[0]: node_from_row(row) for row in rows}


def fetch_labels(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Label]:
    rows = conn.execute(f"SELECT id, label FROM nodes WHERE id {_IN}", (id_list(ids),))
    return {node_id: _LABELS[label] for node_id, label in rows}


def _check_endpoints(
    conn: sqlite3.Connection, rels: dict[str, Relation], labels: dict[str, Label]
) -> None:
    ends = {rel.source_id for rel in rels.values()} | {rel.target_id for rel in rels.values()}
    labels.update(fetch_labels(conn, ends - labels.keys()))
    for rel in rels.values():
        for end in (rel.source_id, rel.target_id):
            if end not in labels:
                raise SchemaError(
                    f"{rel.type.value} {rel.source_id} -> {rel.target_id}: no node "
                    f"{end!r} in the batch or the store"
                )
        validate_endpoints(rel.type, labels[rel.source_id], labels[rel.target_id])


def _known_evidence(
    conn: sqlite3.Connection, rels: dict[str, Relation], stored: Iterable[str]
) -> set[tuple[str, str, int, int, str]]:
    """Which of the incoming evidence of the ``stored`` relations the store already holds,
    as (relation id, *evidence_key): looked up by the unique index, so a relation with
    thousands of pieces costs what the batch brings, not what it holds."""
    wanted = [(rid, *evidence_key(ev)) for rid in stored for ev in rels[rid].evidence]
    if not wanted:
        return set()
    rows = conn.execute(
        'SELECT e.relation_id, e.article_id, e.start, e."end", e.rule FROM json_each(?) AS w '
        "JOIN evidence AS e ON e.relation_id = w.value ->> 0 AND e.article_id = w.value ->> 1 "
        'AND e.start = w.value ->> 2 AND e."end" = w.value ->> 3 AND e.rule = w.value ->> 4',
        (json.dumps(wanted, ensure_ascii=False),),
    )
    return set(rows.fetchall())


def _article_dates(
    conn: sqlite3.Connection, ids: set[str], written: Iterable[Node]
) -> dict[str, str | None]:
    """First-seen date of each article ``ids``: as this batch writes it, else as stored."""
    dates = {n.id: n.first_seen for n in written if n.id in ids}
    rows = conn.execute(
        f"SELECT id, first_seen FROM nodes WHERE id {_IN}", (id_list(ids - dates.keys()),)
    )
    dates.update(rows.fetchall())
    return dates


def _span(
    dates: dict[str, str | None], evidence: Iterable[Evidence], first: str | None, last: str | None
) -> tuple[str | None, str | None]:
    """(first, last) widened by the dates of ``evidence``'s articles."""
    seen = [d for ev in evidence if (d := dates.get(ev.article_id))]
    seen += [d for d in (first, last) if d]
    return (min(seen), max(seen)) if seen else (None, None)


def upsert_batch(conn: sqlite3.Connection, batch: GraphBatch) -> UpsertResult:
    """Write ``batch`` (already schema-validated) inside the open transaction."""
    ids = batch_ids(batch)
    redirect = fetch_redirects(conn, ids)

    # -- plan: nothing is written until every check has passed --------------------------
    incoming = fold_batch_nodes(batch, redirect)
    stored = fetch_nodes(conn, incoming)
    node_adds, node_updates = plan_nodes(incoming, stored)

    rels = fold_batch_relations(batch, redirect)
    _check_endpoints(conn, rels, {node_id: n.label for node_id, n in incoming.items()})

    stored_rels = {
        row[0]: row
        for row in conn.execute(
            "SELECT id, properties, curated, retracted, editor, note, created_at, "
            "retracted_reason, confidence, evidence_count, first_seen, last_seen "
            f"FROM relations WHERE id {_IN}",
            (id_list(rels),),
        )
    }
    known = _known_evidence(conn, rels, stored_rels)
    # Relation dates come from the articles of the evidence written now and the stored
    # span; an article stored with another date would change spans of evidence not in
    # this batch, so then the touched relations are dated from all their evidence.
    dates = _article_dates(
        conn, {ev.article_id for rel in rels.values() for ev in rel.evidence}, node_adds
    )
    redate = any(
        n.label is Label.ARTICLE and n.first_seen != stored[n.id].first_seen for n in node_updates
    )
    now = utc_now()
    rel_adds: list[tuple[object, ...]] = []
    rel_updates: list[tuple[object, ...]] = []  # curated and retracted as stored
    rel_flag_updates: list[tuple[object, ...]] = []
    evidence_rows: list[tuple[object, ...]] = []
    for rid, rel in rels.items():
        row = stored_rels.get(rid)
        if row is None:
            retracted_at = now if rel.retracted else None
            retracted_by = rel.editor if rel.retracted else None
            span = _span(dates, rel.evidence, None, None)
            rel_adds.append((*relation_row(rel), retracted_at, retracted_by, now, *span))
            evidence_rows.extend(evidence_row(rid, ev) for ev in rel.evidence)
            continue
        _, props_json, curated, retracted, editor, note, created_at, reason, conf, count = row[:10]
        fresh = [ev for ev in rel.evidence if (rid, *evidence_key(ev)) not in known]
        stored_rel = Relation(
            rel.type,
            rel.source_id,
            rel.target_id,
            json.loads(props_json),
            curated=bool(curated),
            retracted=bool(retracted),
            editor=editor,
            note=note,
            created_at=created_at,
            retracted_reason=reason,
            id=rid,
        )
        # the shared rule decides every field; evidence is written from ``fresh`` below
        merged = merge_relation(stored_rel, rel)
        new = (
            dumps(merged.properties),
            int(merged.curated),
            int(merged.retracted),
            merged.editor,
            merged.note,
            merged.created_at,
            merged.retracted_reason,
        )
        if not fresh and new == (props_json, curated, retracted, editor, note, created_at, reason):
            continue
        confs = [ev.confidence for ev in fresh] + ([conf] if count else [])
        counted = (max(confs) if confs else 1.0, count + len(fresh))
        span = _span(dates, fresh, row[10], row[11])
        if new[1:3] == (curated, retracted):
            rel_updates.append((new[0], *new[3:], *counted, *span, rid))
        else:
            retracted_at = now if new[2] and not retracted else None
            retracted_by = rel.editor if retracted_at else None
            rel_flag_updates.append((*new, *counted, retracted_at, retracted_by, *span, rid))
        evidence_rows.extend(evidence_row(rid, ev) for ev in fresh)

    # -- write ------------------------------------------------------------------------
    # SQLite rewrites every index on a column named in an UPDATE's SET, even when the
    # value stays the same: columns that did not change are left out (nodes: label and
    # name; relations: curated and retracted; names are rewritten only when they change).
    rel_adds.sort(key=_first)
    evidence_rows.sort(key=_first)
    conn.executemany(
        f"INSERT INTO nodes ({NODE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
        [node_row(n) for n in node_adds],
    )
    renamed = {n.id for n in node_updates if (n.label, n.name) != _label_name(stored[n.id])}
    conn.executemany(
        "UPDATE nodes SET label=?, name=?, aliases=?, kind=?, properties=?, first_seen=?, "
        "last_seen=? WHERE id=?",
        [(*node_row(n)[1:], n.id) for n in node_updates if n.id in renamed],
    )
    conn.executemany(
        "UPDATE nodes SET aliases=?, kind=?, properties=?, first_seen=?, last_seen=? WHERE id=?",
        [(*node_row(n)[3:], n.id) for n in node_updates if n.id not in renamed],
    )
    new_names = [n for n in node_updates if set(name_rows(n)) != set(name_rows(stored[n.id]))]
    conn.executemany("DELETE FROM names WHERE node_id=?", [(n.id,) for n in new_names])
    conn.executemany(
        "INSERT OR IGNORE INTO names (node_id, label, key, simple) VALUES (?,?,?,?)",
        [row for n in (*node_adds, *new_names) for row in name_rows(n)],
    )
    conn.executemany(
        "INSERT INTO relations (id, type, source, target, properties, curated, retracted, "
        "editor, note, created_at, retracted_reason, reviewed, confidence, evidence_count, "
        "retracted_at, retracted_by, loaded_at, first_seen, last_seen) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rel_adds,
    )
    conn.executemany(
        "UPDATE relations SET properties=?, editor=?, note=?, created_at=?, "
        "retracted_reason=?, confidence=?, evidence_count=?, first_seen=?, last_seen=? "
        "WHERE id=?",
        rel_updates,
    )
    conn.executemany(
        "UPDATE relations SET properties=?, curated=?, retracted=?, editor=?, note=?, "
        "created_at=?, retracted_reason=?, confidence=?, evidence_count=?, "
        "retracted_at=COALESCE(retracted_at, ?), retracted_by=COALESCE(retracted_by, ?), "
        "first_seen=?, last_seen=? WHERE id=?",
        rel_flag_updates,
    )
    conn.executemany(
        'INSERT OR IGNORE INTO evidence (relation_id, article_id, sentence, start, "end", '
        "rule, confidence) VALUES (?,?,?,?,?,?,?)",
        evidence_rows,
    )
    updated = [str(row[-1]) for row in (*rel_updates, *rel_flag_updates)]
    if redate:
        refresh_relation_dates(conn, [str(row[0]) for row in rel_adds] + updated)
    articles = sum(1 for n in node_adds if n.label is Label.ARTICLE)
    return UpsertResult(len(node_adds), len(node_updates), len(rel_adds), len(updated), articles)


def _label_name(node: Node) -> tuple[Label, str]:
    return node.label, node.name


def _first(row: tuple[object, ...]) -> str:
    # Rows inserted in key order touch neighbouring index pages: far fewer page writes
    # per transaction than random order once the store is large.
    return str(row[0])

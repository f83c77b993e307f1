"""Read helpers of the embedded store that return models.

Relations come with their evidence only where the caller needs every piece (the editor
actions); the store's public reads give them without it and page it with
``evidence_pages``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shegong.schema import Evidence, Relation, RelationType

from .sqlite_schema import RELATION_COLUMNS, id_list, relation_from_row

__all__ = [
    "IN_IDS",
    "evidence_pages",
    "load_evidence",
    "load_relations",
    "neighbours_sql",
    "select_relations",
    "shortest_path",
    "with_evidence",
]

IN_IDS = "IN (SELECT value FROM json_each(?))"

_EVIDENCE = (
    'SELECT relation_id, article_id, sentence, start, "end", rule, confidence FROM evidence '
    f'WHERE relation_id {IN_IDS} ORDER BY relation_id, article_id, start, "end", rule'
)


def load_evidence(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, list[Evidence]]:
    """Evidence per relation id, each list ordered by (article_id, start, end, rule)."""
    found: dict[str, list[Evidence]] = {}
    for rid, article, sentence, start, end, rule, conf in conn.execute(_EVIDENCE, (id_list(ids),)):
        found.setdefault(rid, []).append(Evidence(article, sentence, start, end, rule, conf))
    return found


def with_evidence(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[Relation]:
    evidence = load_evidence(conn, (row[0] for row in rows)) if rows else {}
    return [relation_from_row(row, evidence.get(row[0], ())) for row in rows]


# One page per relation: the unique index (relation_id, article_id, start, end, rule)
# yields each relation's pieces in order, so a page reads its rows and no others.
_EVIDENCE_PAGES = (
    'SELECT e.relation_id, e.article_id, e.sentence, e.start, e."end", e.rule, e.confidence '
    "FROM (SELECT DISTINCT value FROM json_each(:ids)) AS w JOIN evidence AS e "
    "ON e.rowid IN (SELECT rowid FROM evidence WHERE relation_id = w.value "
    'ORDER BY article_id, start, "end", rule LIMIT :limit OFFSET :offset) '
    'ORDER BY e.relation_id, e.article_id, e.start, e."end", e.rule'
)


def evidence_pages(
    conn: sqlite3.Connection, ids: Iterable[str], limit: int, offset: int
) -> dict[str, list[Evidence]]:
    """At most ``limit`` pieces of evidence of each relation from ``offset``, each page
    ordered by (article_id, start, end, rule); every asked id has an entry."""
    wanted = id_list(ids)
    found: dict[str, list[Evidence]] = {rid: [] for rid in json.loads(wanted)}
    params = {"ids": wanted, "limit": limit, "offset": offset}
    for rid, article, sentence, start, end, rule, conf in conn.execute(_EVIDENCE_PAGES, params):
        found[rid].append(Evidence(article, sentence, start, end, rule, conf))
    return found


def _ends(column: str, index: str, typed: bool) -> str:
    """The first ``:limit`` relation ids at one end of ``w.value``, by id. The index
    (column, retracted, id, type) yields them in id order and checks the type, so a
    hub's relations are neither all read nor sorted."""
    types = " AND type IN (SELECT value FROM json_each(:types))" if typed else ""
    return (
        f"SELECT id FROM (SELECT id FROM relations INDEXED BY {index} "
        f"WHERE {column} = w.value AND retracted = 0{types} ORDER BY id LIMIT :limit)"
    )


def neighbours_sql(direction: str, typed: bool) -> str:
    """One query for the non-retracted relations around each of the nodes in ``:ids``
    (a JSON list): rows of (node, RELATION_COLUMNS...), at most ``:limit`` per node
    (-1 for all), ordered by node then relation id. A loop comes back once."""
    parts = {
        "out": [_ends("source", "relations_source_id", typed)],
        "in": [_ends("target", "relations_target_id", typed)],
        "both": [
            _ends("source", "relations_source_id", typed),
            _ends("target", "relations_target_id", typed),
        ],
    }
    if direction not in parts:
        raise ValueError(f"direction must be out, in or both, not {direction!r}")
    picked = " UNION ".join(parts[direction])
    columns = ", ".join(f"r.{c.strip()}" for c in RELATION_COLUMNS.split(","))
    return (
        f"SELECT w.value, {columns} FROM (SELECT DISTINCT value FROM json_each(:ids)) AS w "
        f"JOIN relations AS r ON r.id IN ({picked} ORDER BY id LIMIT :limit) "
        "ORDER BY w.value, r.id"
    )


def select_relations(
    conn: sqlite3.Connection,
    where: str = "1",
    params: Sequence[Any] | Mapping[str, Any] = (),
    tail: str = "",
    *,
    evidence: bool = True,
) -> list[Relation]:
    """Relations matching an SQL condition over the relations table, with all their
    evidence or (``evidence=False``) none of it."""
    rows = conn.execute(
        f"SELECT {RELATION_COLUMNS} FROM relations WHERE {where} {tail}", params
    ).fetchall()
    return with_evidence(conn, rows) if evidence else [relation_from_row(row) for row in rows]


def load_relations(
    conn: sqlite3.Connection, ids: Iterable[str], *, evidence: bool = True
) -> dict[str, Relation]:
    """Relations by id (those that exist)."""
    found = select_relations(conn, f"id {IN_IDS}", (id_list(ids),), evidence=evidence)
    return {rel.id: rel for rel in found}


def shortest_path(
    conn: sqlite3.Connection,
    from_id: str,
    to_id: str,
    max_hops: int,
    excluded_types: Sequence[str],
) -> list[Relation] | None:
    """Breadth-first search from ``from_id`` over non-retracted entity relations, one SQL
    query per level; the first relation (by id) reaching a node is its parent, so the
    answer is deterministic."""
    ids = id_list([from_id, to_id])
    if (
        conn.execute(f"SELECT COUNT(*) FROM nodes WHERE id {IN_IDS}", (ids,)).fetchone()[0] < 2
        and from_id != to_id
    ):
        return None
    if from_id == to_id:
        return []
    excluded = id_list(excluded_types)
    # said outright as well, so the search by target may read relations_target_typed
    typed = " AND type != 'MENTIONS'" if RelationType.MENTIONS.value in excluded_types else ""
    parent: dict[str, tuple[str, str]] = {from_id: ("", "")}  # node -> (relation id, previous)
    frontier = [from_id]
    for _ in range(max_hops):
        # Two index lookups (by source, by target) rather than one OR, which would scan.
        rows = conn.execute(
            f"""SELECT id, source, target FROM relations
                WHERE source {IN_IDS} AND retracted = 0 AND type NOT {IN_IDS}
                UNION
                SELECT id, source, target FROM relations
                WHERE target {IN_IDS} AND retracted = 0 AND type NOT {IN_IDS}{typed}
                ORDER BY id""",
            (id_list(frontier), excluded, id_list(frontier), excluded),
        ).fetchall()
        level = set(frontier)
        reached: list[str] = []
        for rid, source, target in rows:
            for here, there in ((source, target), (target, source)):
                if here in level and there not in parent:
                    parent[there] = (rid, here)
                    reached.append(there)
        if to_id in parent:
            chain: list[str] = []
            node = to_id
            while node != from_id:
                rid, node = parent[node]
                chain.append(rid)
            found = load_relations(conn, chain, evidence=False)
            return [found[rid] for rid in reversed(chain)]
        if not reached:
            return None
        frontier = sorted(reached)
    return None

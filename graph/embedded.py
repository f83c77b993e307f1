"""The embedded store: one SQLite file (stdlib sqlite3, WAL), no server needed.

One writer connection and a bounded pool of readers (``sqlite_pool``), whatever the
number of threads calling the store; WAL lets readers run while the writer holds the
lock. A deadline (``shegong.graph.deadline``) stops a running statement. Writes are explicit ``BEGIN IMMEDIATE``
transactions, rolled back on any error. The tables are in ``sqlite_schema``, ``upsert``
in ``sqlite_upsert`` and the editor actions in ``sqlite_edits``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shegong.schema import (
    ENTITY_LABELS,
    AuditEntry,
    Evidence,
    GraphBatch,
    InputError,
    Label,
    Node,
    Relation,
    RelationType,
    StoreError,
    StoreStats,
    UpsertResult,
    name_key,
    validate_batch,
)

from . import sqlite_edits, sqlite_review
from .base import Direction
from .export import build_networkx
from .query import Group, GroupBy, NodeQuery, RelationQuery
from .query_sql import count_sql, date_range_sql, group_sql, select_sql
from .review import DEFAULT_REVIEW_CONFIDENCE, AuditFilter, check_threshold
from .sqlite_pool import ConnectionPool
from .sqlite_read import (
    IN_IDS,
    evidence_pages,
    load_relations,
    neighbours_sql,
    select_relations,
    shortest_path,
)
from .sqlite_schema import (
    DDL,
    NODE_COLUMNS,
    NODE_SUMMARY_COLUMNS,
    RELATION_COLUMNS,
    SCHEMA_VERSION,
    TRIGRAM,
    connect,
    ensure_relation_dates,
    ensure_review_columns,
    ensure_search_index,
    id_list,
    node_from_row,
    relation_from_row,
)
from .sqlite_upsert import upsert_batch
from .text import search_key

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EmbeddedStore"]

#: Relation types a path never goes through (they join articles, not entities).
_NOT_IN_PATHS = (RelationType.MENTIONS.value, RelationType.REPORTED_BY.value)


class EmbeddedStore:
    """The GraphStore protocol over one SQLite file at ``path``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: str = os.fspath(path)
        parent = Path(self._file).parent
        if not parent.is_dir():
            raise StoreError(f"{self._file}: directory {str(parent)!r} does not exist")
        self.uri = self._file
        self._pool = ConnectionPool(self._file)
        try:
            with self._pool.writer() as conn:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version not in (0, SCHEMA_VERSION):
                    raise StoreError(
                        f"{self._file}: store schema version {version}, this shegong reads "
                        f"version {SCHEMA_VERSION}"
                    )
                conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(DDL)
                ensure_review_columns(conn)
                ensure_search_index(conn)
                ensure_relation_dates(conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as e:
            self.close()
            raise StoreError(f"{self._file}: cannot open as a shegong store: {e}") from e
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"EmbeddedStore({self._file!r})"

    # -- connections and transactions ---------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._pool.writer() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise StoreError(f"{self._file}: cannot start a write: {e}") from e
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                conn.execute("ROLLBACK")
                raise StoreError(f"{self._file}: commit failed: {e}") from e

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so several queries see one snapshot."""
        with self._pool.reader() as conn:
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        validate_batch(batch)
        try:
            with self._write() as conn:
                return upsert_batch(conn, batch)
        except sqlite3.Error as e:
            raise StoreError(f"{self._file}: upsert failed, nothing written: {e}") from e

    def retract(
        self, relation_id: str, reason: str, editor: str, note: str | None = None
    ) -> Relation:
        with self._write() as conn:
            return sqlite_edits.retract(conn, relation_id, reason, editor, note)

    def merge(
        self, keep_id: str, other_ids: Sequence[str], editor: str, note: str | None = None
    ) -> Node:
        with self._write() as conn:
            return sqlite_edits.merge_nodes(conn, keep_id, other_ids, editor, note)

    def unmerge(self, merged_id: str, editor: str, note: str | None = None) -> Node:
        with self._write() as conn:
            return sqlite_edits.unmerge_node(conn, merged_id, editor, note)

    def add_alias(self, node_id: str, alias: str, editor: str, note: str | None = None) -> Node:
        with self._write() as conn:
            return sqlite_edits.add_alias(conn, node_id, alias, editor, note)

    def record_audit(self, entry: AuditEntry) -> None:
        with self._write() as conn:
            sqlite_edits.record_audit(conn, entry)

    # -- loaded files -------------------------------------------------------------------
    def record_files(self, files: Sequence[tuple[str, str, str]]) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO loaded_files (digest, path, extractor, loaded_at) VALUES (?,?,?,?)"
                " ON CONFLICT(digest) DO UPDATE SET path=excluded.path,"
                " extractor=excluded.extractor, loaded_at=excluded.loaded_at",
                [(digest, path, version, at) for digest, path, version in files],
            )

    def loaded_files(self, digests: Sequence[str]) -> dict[str, str]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT digest, extractor FROM loaded_files WHERE digest {IN_IDS}",
                [json.dumps(sorted(set(digests)))],
            ).fetchall()
        return dict(rows)

    # -- nodes --------------------------------------------------------------------------
    def get(self, node_id: str) -> Node | None:
        return self.get_many([node_id], text=True).get(node_id)

    def get_many(self, node_ids: Sequence[str], *, text: bool = False) -> dict[str, Node]:
        columns = NODE_COLUMNS if text else NODE_SUMMARY_COLUMNS
        with self._read() as conn:
            redirect = dict(
                conn.execute(
                    f"SELECT old_id, kept_id FROM merges WHERE old_id {IN_IDS}",
                    (id_list(node_ids),),
                ).fetchall()
            )
            wanted = {redirect.get(i, i) for i in node_ids}
            rows = conn.execute(
                f"SELECT {columns} FROM nodes WHERE id {IN_IDS}", (id_list(wanted),)
            )
            found = {row[0]: node_from_row(row) for row in rows}
        return {i: found[redirect.get(i, i)] for i in node_ids if redirect.get(i, i) in found}

    def find_by_name(self, name: str, label: Label | None = None) -> list[Node]:
        sql = "SELECT DISTINCT node_id FROM names WHERE key=?"
        params: list[Any] = [name_key(name)]
        if label is not None:
            sql += " AND label=?"
            params.append(Label(label).value)
        with self._read() as conn:
            ids = [row[0] for row in conn.execute(sql, params)]
            return self._nodes_in_order(conn, sorted(ids))

    def find_by_names(self, names: Sequence[str]) -> dict[str, list[Node]]:
        keys = {name: name_key(name) for name in names}
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT DISTINCT key, node_id FROM names WHERE key {IN_IDS}",
                (id_list(k for k in keys.values() if k),),
            ).fetchall()
            by_key: dict[str, list[str]] = {}
            for key, node_id in rows:
                by_key.setdefault(key, []).append(node_id)
            nodes = {n.id: n for n in self._nodes_in_order(conn, sorted({r[1] for r in rows}))}
        return {
            name: [nodes[i] for i in sorted(by_key.get(key, ())) if i in nodes]
            for name, key in keys.items()
        }

    def _nodes_in_order(self, conn: sqlite3.Connection, ids: Sequence[str]) -> list[Node]:
        rows = conn.execute(f"SELECT {NODE_COLUMNS} FROM nodes WHERE id {IN_IDS}", (id_list(ids),))
        found = {row[0]: node_from_row(row) for row in rows}
        return [found[i] for i in ids if i in found]

    def _search_hits(self, text: str, labels: Sequence[Label] | None) -> tuple[str, list[Any]]:
        """A query for (node id, exact) of the nodes whose name or alias contains
        ``text``: through the trigram index when it is long enough, else by scanning."""
        key = search_key(text)
        chosen = id_list(Label(label).value for label in (labels or ENTITY_LABELS))
        if len(key) < TRIGRAM:
            table, where, params = "names", "1", []
        else:
            # The index narrows by trigrams; instr keeps the answer exactly the scan's.
            phrase = '"' + key.replace('"', '""') + '"'
            table, where, params = (
                "name_search",
                "rid IN (SELECT rowid FROM name_grams WHERE name_grams MATCH ?)",
                [phrase],
            )
        # cover: the share of the best-matching name form the text covers (text.match_score)
        sql = (
            f"SELECT node_id AS id, MAX(simple = ?) AS exact, "
            f"MAX(length(?) * 1.0 / length(simple)) AS cover FROM {table} "
            f"WHERE {where} AND instr(simple, ?) > 0 AND label {IN_IDS} GROUP BY node_id"
        )
        return sql, [key, key, *params, key, chosen]

    def search(
        self, text: str, labels: Sequence[Label] | None = None, limit: int = 20, offset: int = 0
    ) -> list[Node]:
        hits, params = self._search_hits(text, labels)
        sql = f"""
            WITH hits AS ({hits})
            SELECT id FROM hits ORDER BY exact DESC, cover DESC,
                (SELECT COUNT(*) FROM relations WHERE source = hits.id AND type != 'MENTIONS'
                    AND retracted = 0)
                + (SELECT COUNT(*) FROM relations WHERE target = hits.id AND type != 'MENTIONS'
                    AND retracted = 0) DESC,
                id
            LIMIT ? OFFSET ?"""
        with self._read() as conn:
            rows = conn.execute(sql, [*params, limit, offset])
            return self._nodes_in_order(conn, [row[0] for row in rows])

    def count_search(self, text: str, labels: Sequence[Label] | None = None) -> int:
        hits, params = self._search_hits(text, labels)
        with self._read() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM ({hits})", params).fetchone()[0])

    def nodes(
        self, label: Label | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        where, params = ("label=?", [Label(label).value]) if label else ("1", [])
        sql = f"SELECT {NODE_COLUMNS} FROM nodes WHERE {where} ORDER BY id LIMIT ? OFFSET ?"
        with self._read() as conn:
            rows = conn.execute(sql, [*params, -1 if limit is None else limit, offset])
            return [node_from_row(row) for row in rows]

    def count_nodes(self, label: Label | None = None) -> int:
        where, params = ("label=?", [Label(label).value]) if label else ("1", [])
        with self._read() as conn:
            return int(
                conn.execute(f"SELECT COUNT(*) FROM nodes WHERE {where}", params).fetchone()[0]
            )

    # -- relations ----------------------------------------------------------------------
    def relation(self, relation_id: str) -> Relation | None:
        with self._read() as conn:
            return load_relations(conn, [relation_id], evidence=False).get(relation_id)

    def relations(
        self,
        types: Sequence[RelationType] | None = None,
        source_id: str | None = None,
        target_id: str | None = None,
        min_confidence: float | None = None,
        curated: bool | None = None,
        retracted: bool | None = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Relation]:
        conditions: list[str] = []
        params: list[Any] = []
        if types is not None:
            conditions.append(f"type {IN_IDS}")
            params.append(id_list(RelationType(t).value for t in types))
        for column, value in (("source", source_id), ("target", target_id)):
            if value is not None:
                conditions.append(f"{column}=?")
                params.append(value)
        if min_confidence is not None:
            conditions.append("confidence >= ?")
            params.append(min_confidence)
        for column, flag in (("curated", curated), ("retracted", retracted)):
            if flag is not None:
                conditions.append(f"{column}=?")
                params.append(int(flag))
        where = " AND ".join(conditions) or "1"
        params += [-1 if limit is None else limit, offset]
        with self._read() as conn:
            return select_relations(
                conn, where, params, "ORDER BY id LIMIT ? OFFSET ?", evidence=False
            )

    def evidence(
        self, relation_ids: Sequence[str], limit: int = 5, offset: int = 0
    ) -> dict[str, list[Evidence]]:
        if limit < 0 or offset < 0:
            raise InputError(f"evidence: limit and offset must not be negative ({limit}, {offset})")
        with self._read() as conn:
            return evidence_pages(conn, relation_ids, limit, offset)

    # -- described queries ----------------------------------------------------------------
    def find_nodes(self, query: NodeQuery, limit: int | None = None, offset: int = 0) -> list[Node]:
        sql, params = select_sql(query, limit, offset)
        with self._read() as conn:
            return [node_from_row(row) for row in conn.execute(sql, params)]

    def find_relations(
        self, query: RelationQuery, limit: int | None = None, offset: int = 0
    ) -> list[Relation]:
        sql, params = select_sql(query, limit, offset)
        with self._read() as conn:
            return [relation_from_row(row) for row in conn.execute(sql, params)]

    def count(self, query: NodeQuery | RelationQuery) -> int:
        sql, params = count_sql(query)
        with self._read() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def group(
        self, query: NodeQuery | RelationQuery, by: GroupBy, level: str | None = None
    ) -> list[Group]:
        sql, params = group_sql(query, by, level)
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [Group(None if key is None else str(key), int(n), name) for key, n, name in rows]

    def date_range(
        self, query: NodeQuery | RelationQuery, field: str
    ) -> tuple[str | None, str | None]:
        sql, params = date_range_sql(query, field)
        with self._read() as conn:
            lo, hi = conn.execute(sql, params).fetchone()
        return lo, hi

    def neighbours(
        self,
        node_id: str,
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[tuple[Relation, Node]]:
        return self.neighbours_many([node_id], types, direction, limit)[node_id]

    def neighbours_many(
        self,
        node_ids: Sequence[str],
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> dict[str, list[tuple[Relation, Node]]]:
        sql = neighbours_sql(direction, typed=types is not None)
        params: dict[str, Any] = {
            "ids": id_list(node_ids),
            "limit": -1 if limit is None else limit,
            "types": id_list(RelationType(t).value for t in types or ()),
        }
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
            others = {row[4] if row[3] == row[0] else row[3] for row in rows}
            found = conn.execute(
                f"SELECT {NODE_COLUMNS} FROM nodes WHERE id {IN_IDS}", (id_list(others),)
            )
            nodes = {row[0]: node_from_row(row) for row in found}
        out: dict[str, list[tuple[Relation, Node]]] = {nid: [] for nid in node_ids}
        for row in rows:
            rel = relation_from_row(row[1:])
            other = rel.target_id if rel.source_id == row[0] else rel.source_id
            out[row[0]].append((rel, nodes[other]))
        return out

    def degree(self, node_ids: Sequence[str]) -> dict[str, int]:
        sql = f"""
            SELECT node, COUNT(*) FROM (
                SELECT source AS node FROM relations WHERE source {IN_IDS}
                    AND type != 'MENTIONS' AND retracted = 0
                UNION ALL
                SELECT target FROM relations WHERE target {IN_IDS}
                    AND type != 'MENTIONS' AND retracted = 0
            ) GROUP BY node"""
        ids = id_list(node_ids)
        with self._read() as conn:
            counts = dict(conn.execute(sql, (ids, ids)).fetchall())
        return {i: int(counts.get(i, 0)) for i in node_ids}

    def path(self, from_id: str, to_id: str, max_hops: int = 4) -> list[Relation] | None:
        with self._read() as conn:
            return shortest_path(conn, from_id, to_id, max_hops, _NOT_IN_PATHS)

    def stats(self, top: int = 10) -> StoreStats:
        with self._read() as conn:
            labels = dict(
                conn.execute("SELECT label, COUNT(*) FROM nodes GROUP BY label ORDER BY label")
            )
            types = dict(
                conn.execute(
                    "SELECT type, COUNT(*) FROM relations WHERE retracted=0 GROUP BY type ORDER BY type"
                )
            )
            rows = conn.execute(
                """
                SELECT d.node, n.name, d.c FROM (
                    SELECT node, COUNT(*) AS c FROM (
                        SELECT source AS node FROM relations WHERE type != 'MENTIONS' AND retracted = 0
                        UNION ALL
                        SELECT target FROM relations WHERE type != 'MENTIONS' AND retracted = 0
                    ) GROUP BY node
                ) AS d JOIN nodes AS n ON n.id = d.node
                WHERE n.label != 'Article'
                ORDER BY d.c DESC, d.node LIMIT ?""",
                (top,),
            ).fetchall()
        return StoreStats(
            nodes_by_label={k: int(v) for k, v in labels.items()},
            relations_by_type={k: int(v) for k, v in types.items()},
            top_entities=[(i, name, int(c)) for i, name, c in rows],
        )

    def audit(
        self,
        limit: int | None = None,
        target: str | None = None,
        *,
        entity: str | None = None,
        editor: str | None = None,
        since: str | None = None,
    ) -> list[AuditEntry]:
        flt = AuditFilter(target=target, entity=entity, editor=editor, since=since)
        with self._read() as conn:
            entries = sqlite_review.audit_entries(conn, flt)
        return entries if limit is None else entries[:limit]

    # -- the review queue ---------------------------------------------------------------
    def review_queue(
        self,
        max_confidence: float = DEFAULT_REVIEW_CONFIDENCE,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Relation]:
        with self._read() as conn:
            return sqlite_review.review_queue(conn, check_threshold(max_confidence), limit, offset)

    def count_review_queue(self, max_confidence: float = DEFAULT_REVIEW_CONFIDENCE) -> int:
        with self._read() as conn:
            return sqlite_review.count_review_queue(conn, check_threshold(max_confidence))

    def accept(self, relation_id: str, editor: str, note: str | None = None) -> Relation:
        with self._write() as conn:
            return sqlite_review.accept(conn, relation_id, editor, note)

    def iter_relations(self, include_retracted: bool = False) -> Iterator[Relation]:
        # Its own connection, so the caller may use the store while iterating; relations
        # and evidence are walked side by side in id order (a merge join).
        conn = connect(self._file)
        try:
            conn.execute("BEGIN")
            where = "1" if include_retracted else "retracted=0"
            rels = conn.execute(
                f"SELECT {RELATION_COLUMNS} FROM relations WHERE {where} ORDER BY id"
            )
            evidence = conn.cursor().execute(
                'SELECT relation_id, article_id, sentence, start, "end", rule, confidence '
                'FROM evidence ORDER BY relation_id, article_id, start, "end", rule'
            )
            pending = evidence.fetchone()
            for row in rels:
                found: list[Evidence] = []
                while pending is not None and pending[0] < row[0]:
                    pending = evidence.fetchone()
                while pending is not None and pending[0] == row[0]:
                    found.append(Evidence(*pending[1:]))
                    pending = evidence.fetchone()
                yield relation_from_row(row, found)
        finally:
            conn.close()

    def to_networkx(
        self,
        labels: Iterable[Label] | None = None,
        types: Iterable[RelationType] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> nx.MultiDiGraph:
        return build_networkx(
            self.nodes(),
            self.iter_relations(),
            labels=labels,
            types=types,
            date_from=date_from,
            date_to=date_to,
        )

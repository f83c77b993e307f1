"""The embedded store's index of relations by target and type: MENTIONS left out (a
load writes three in four relations as MENTIONS, each one a page of that index), read
by the queries that need it, and built for stores written before it existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shegong.graph.embedded import EmbeddedStore
from shegong.graph.query import NodeQuery, Related, Within
from shegong.graph.query_sql import select_sql
from shegong.schema import Label, RelationType

from tests.graph.sample_graph import N, sample_batch

_OLD_INDEX = """
DROP INDEX relations_target_typed;
CREATE INDEX relations_target_source ON relations(target, type, retracted, source);
"""
_IN_SHANGHAI = NodeQuery(where=Within(N.shanghai.id))
_GUIDING = NodeQuery(where=Related("some", (RelationType.GUIDED_BY,), "in"))


def _ids(store: EmbeddedStore, query: NodeQuery) -> list[str]:
    return sorted(n.id for n in store.find_nodes(query))


def _indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'relations'"
            " AND sql IS NOT NULL"
        )
        return dict(rows.fetchall())


def _plan(path: Path, query: NodeQuery) -> str:
    sql, params = select_sql(query, 20, 0)
    with sqlite3.connect(path) as conn:
        return " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_target_index_leaves_mentions_out(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with EmbeddedStore(path) as store:
        store.upsert(sample_batch())
    with sqlite3.connect(path) as conn:
        typed = conn.execute(
            "SELECT type FROM relations INDEXED BY relations_target_typed "
            "WHERE target = ? AND type != 'MENTIONS'",
            (N.shanghai.id,),
        ).fetchall()
        counts = conn.execute(
            "SELECT type = 'MENTIONS', COUNT(*) FROM relations GROUP BY type = 'MENTIONS'"
        ).fetchall()
        (indexed,) = conn.execute(
            "SELECT COUNT(*) FROM relations INDEXED BY relations_target_typed "
            "WHERE type != 'MENTIONS' AND target >= ''"
        ).fetchone()
    assert sorted(t for (t,) in typed) == ["HELD_IN", "LOCATED_IN"]
    mentions, others = dict(counts)[1], dict(counts)[0]
    assert mentions > 0 and indexed == others  # MENTIONS stored, not in this index


def test_place_and_relation_filters_read_the_typed_index(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with EmbeddedStore(path) as store:
        store.upsert(sample_batch())
        assert _ids(store, _IN_SHANGHAI) == sorted(
            [N.shanghai.id, N.shanghai_assoc.id, N.congress.id]
        )
        assert _ids(store, _GUIDING) == [N.ministry.id]
    assert "relations_target_typed" in _plan(path, _IN_SHANGHAI)
    assert "relations_target_typed" in _plan(path, _GUIDING)
    mentioned = NodeQuery(where=Related("some", (RelationType.MENTIONS,), "in"))
    assert "relations_target_typed" not in _plan(path, mentioned)  # it holds none


def test_older_store_gets_the_typed_index_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        store.upsert(sample_batch())
        before = (_ids(store, _IN_SHANGHAI), _ids(store, _GUIDING))
    with sqlite3.connect(path) as conn:  # as a store written before the partial index
        conn.executescript(_OLD_INDEX)
    assert "relations_target_source" in _indexes(path)
    with EmbeddedStore(path) as store:
        assert (_ids(store, _IN_SHANGHAI), _ids(store, _GUIDING)) == before
        assert store.find_nodes(NodeQuery(label=Label.PLACE, where=Within(N.shanghai.id)))
    indexes = _indexes(path)
    assert "relations_target_source" not in indexes
    assert "WHERE type != 'MENTIONS'" in indexes["relations_target_typed"]

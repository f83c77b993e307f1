"""The embedded store's trigram search index: built for stores written before it existed,
and kept exact for queries a trigram index cannot serve alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from shegong.graph.embedded import EmbeddedStore
from shegong.graph.text import search_key
from shegong.schema import GraphBatch, Label, Node

from tests.graph.sample_graph import N, sample_batch

_DROP = """
DROP TRIGGER names_ins; DROP TRIGGER names_del; DROP TRIGGER names_upd;
DROP TABLE name_grams; DROP TABLE name_search;
"""


def test_old_store_gets_its_search_index_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        store.upsert(sample_batch())
        before = [n.id for n in store.search("社会工作")]
    with sqlite3.connect(path) as conn:  # as a store written before the index existed
        conn.executescript(_DROP)
    with EmbeddedStore(path) as store:
        assert [n.id for n in store.search("社会工作")] == before
        assert [n.id for n in store.search("社工联")] == [N.federation.id]
        store.upsert(GraphBatch(nodes=[Node(Label.ORGANISATION, "北京社工联合会")]))
        assert store.count_search("社工联") == 2
    with EmbeddedStore(path) as store:  # reopening does not index twice
        assert store.count_search("社工联") == 2
        with store._read() as conn:
            assert (
                conn.execute("SELECT COUNT(*) FROM name_search").fetchone()[0]
                == conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
            )


def test_query_characters_the_index_treats_specially(tmp_path: Path) -> None:
    odd = Node(Label.ORGANISATION, '"阳光" 社工*服务 AND 中心')
    with EmbeddedStore(tmp_path / "s.db") as store:
        store.upsert(GraphBatch(nodes=[odd]))
        for q in ['"阳光"', '光" 社', "阳光", "工*服", "服务 AND", "AND 中心", "NEAR(", '"""']:
            found = [n.id for n in store.search(q)]
            assert found == ([odd.id] if search_key(q) in search_key(odd.name) else []), q

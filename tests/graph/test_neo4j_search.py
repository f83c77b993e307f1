"""Search on Neo4j through its full-text index (the ``cjk`` analyzer) finds what the
embedded store finds, in the same order, on the sample corpus: simplified and
traditional queries, whole names and parts of them, one character and Latin text (which
take the CONTAINS path), and the CONTAINS fallback for servers without the index."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from shegong.graph import GraphStore
from shegong.graph import cypher as queries
from shegong.graph.neo4j_store import Neo4jStore
from shegong.graph.text import search_key
from shegong.loaders.pipeline import load_paths

pytestmark = [pytest.mark.bolt, pytest.mark.slow]


def sample_queries(store: GraphStore) -> list[str]:
    """Names, aliases, parts of them and their traditional forms, in a fixed order."""
    to_traditional = opencc.OpenCC("s2t")
    found: dict[str, None] = {}
    for node in store.nodes()[::3]:
        if node.label.value == "Article":
            continue
        for form in (node.name, *node.aliases):
            found.setdefault(form)
            if len(form) >= 4:
                found.setdefault(form[1:4])  # a part from inside the name
                found.setdefault(form[:2])
            found.setdefault(form[-1])  # one character: the CONTAINS path
            found.setdefault(str(to_traditional.convert(form)))
    for extra in ("社會工作", "聯合會", "海南省社會工作聯合會", "民政", "協會", "NGO", "2021"):
        found.setdefault(extra)
    return list(found)


def results(store: GraphStore, text: str) -> tuple[list[str], int]:
    return [n.id for n in store.search(text, limit=1000)], store.count_search(text)


def test_neo4j_fulltext_search_matches_the_embedded_store(
    bolt_store: Neo4jStore, embedded_store: GraphStore, articles_dir: Path
) -> None:
    for store in (bolt_store, embedded_store):
        assert load_paths(store, [articles_dir], workers=1).ok
    assert bolt_store.has_fulltext
    [index] = bolt_store._read(
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = $name",
        name=queries.FULLTEXT_INDEX,
    )
    assert index["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"

    texts = sample_queries(embedded_store)
    assert len(texts) > 150
    differ = [t for t in texts if results(bolt_store, t) != results(embedded_store, t)]
    assert differ == []
    # The traditional forms find the simplified names.
    assert results(bolt_store, "海南省社會工作聯合會")[0][:1] == ["org-381b66bfc534e6e5"]
    assert results(bolt_store, "社會工作")[1] == results(bolt_store, "社会工作")[1] > 10

    # The index alone (no CONTAINS after it) misses nothing for the queries it serves.
    for text in texts:
        key = search_key(text)
        if not key.isascii() and len(key) >= 2 and all("\u3400" <= c <= "\u9fff" for c in key):
            rows = bolt_store._read(
                "CALL db.index.fulltext.queryNodes($index, $query) YIELD node "
                "RETURN collect(node.id) AS ids",
                index=queries.FULLTEXT_INDEX,
                query=f'"{key}"',
            )
            ids = set(rows[0]["ids"])
            assert set(results(bolt_store, text)[0]) <= ids, text


def test_neo4j_search_without_the_index_falls_back_to_contains(
    bolt_store: Neo4jStore, embedded_store: GraphStore, articles_dir: Path
) -> None:
    for store in (bolt_store, embedded_store):
        assert load_paths(store, [articles_dir], workers=1).ok
    bolt_store.has_fulltext = False  # as on a server without full-text indexes
    for text in ("社会工作", "聯合會", "民政局", "会", "海南省社會工作聯合會"):
        assert results(bolt_store, text) == results(embedded_store, text), text

"""A small graph of sample-corpus entities for the editing tests, and store snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shegong.graph import GraphStore, is_bolt_uri
from shegong.schema import Evidence, GraphBatch, Label, Node, Relation, RelationType

__all__ = ["CSV_HEADER", "cli_env", "seed", "snapshot", "write"]

CSV_HEADER = "source,source_label,relation,target,target_label,properties,note,editor\n"

FEDERATION = Node(
    Label.ORGANISATION, "中国社会工作联合会", aliases=("中国社工联",), kind="association"
)
HAINAN_FED = Node(Label.ORGANISATION, "海南省社会工作联合会", kind="association")
XUCHANG_ASSOC = Node(
    Label.ORGANISATION, "许昌市社会工作行业协会", aliases=("许昌",), kind="association"
)
ZHENGZHOU = Node(Label.ORGANISATION, "郑州社会工作协会", aliases=("社工协会",))
JINAN = Node(Label.ORGANISATION, "济南社会工作协会", aliases=("社工协会",))
XUCHANG = Node(Label.PLACE, "许昌市", aliases=("许昌",), kind="city")
HAINAN = Node(Label.PLACE, "海南省", kind="province")
PENG = Node(Label.PERSON, "彭东")
LI = Node(Label.PERSON, "李伟")

#: An extracted relation (with evidence, not curated).
EXTRACTED = Relation(
    RelationType.HOLDS_POSITION,
    PENG.id,
    FEDERATION.id,
    properties={"title": "副会长"},
    evidence=[
        Evidence("art-0000000000000000", "中国社会工作联合会副会长彭东", 0, 15, "title", 0.9)
    ],
)


def seed(store: GraphStore) -> dict[str, Node]:
    """Write the small graph; returns its nodes by name (ambiguous 许昌 under its label)."""
    nodes = [FEDERATION, HAINAN_FED, XUCHANG_ASSOC, ZHENGZHOU, JINAN, XUCHANG, HAINAN, PENG, LI]
    store.upsert(GraphBatch(nodes=list(nodes), relations=[EXTRACTED]))
    return {node.name: node for node in nodes}


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Everything an import could change: nodes, relations (retracted too), audit trail."""
    return {
        "nodes": [(n.id, n.name, n.aliases, dict(n.properties)) for n in store.nodes()],
        "relations": [
            (r.id, r.curated, r.retracted, r.editor, r.note, r.created_at, r.properties)
            for r in store.iter_relations(include_retracted=True)
        ],
        "audit": store.audit(),
    }


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def cli_env(
    store: GraphStore, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Let ``shegong --store <store.uri>`` open the same store as ``store``: a Bolt server's
    credentials go where the CLI reads them (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)."""
    monkeypatch.delenv("SHEGONG_STORE", raising=False)
    if not is_bolt_uri(store.uri):
        return
    server = request.getfixturevalue("bolt_server")
    monkeypatch.delenv("NEO4J_AUTH", raising=False)
    for name, value in (
        ("NEO4J_USER", server.user),
        ("NEO4J_PASSWORD", server.password),
        ("NEO4J_DATABASE", server.database),
    ):
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)

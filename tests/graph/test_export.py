"""Exports read back with the tools a user would use (networkx, csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from shegong.graph import GraphStore
from shegong.graph.export import export_csv, export_gexf, export_graphml, export_node_link
from shegong.graph.export_attrs import flat_value
from shegong.graph.export_csv import NODE_COLUMNS, RELATION_COLUMNS
from shegong.schema import (
    GraphBatch,
    Label,
    Node,
    OutputError,
    Relation,
    RelationType,
    relation_id,
)

from tests.graph.sample_graph import ART1, N, ev, sample_batch


@pytest.fixture
def loaded(embedded_store: GraphStore) -> GraphStore:
    embedded_store.upsert(sample_batch())
    # an alias with neo4j-admin's default array delimiter in it, and a retracted edge (left
    # out of exports)
    embedded_store.add_alias(N.zhang.id, "张;三", editor="li")
    embedded_store.upsert(
        GraphBatch(
            relations=[
                Relation(
                    RelationType.PARTNERED_WITH,
                    N.federation.id,
                    N.shanghai_assoc.id,
                    evidence=[ev(ART1, "合作", "partner", 3)],
                )
            ]
        )
    )
    embedded_store.retract(
        relation_id(RelationType.PARTNERED_WITH, N.federation.id, N.shanghai_assoc.id),
        reason="no",
        editor="li",
    )
    return embedded_store


def test_export_node_link_reads_back(loaded: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    counts = export_node_link(loaded, out)
    assert counts == {"nodes": 10, "edges": 13}
    text = out.read_text(encoding="utf-8")
    assert "民政部" in text  # not \\u-escaped
    data = json.loads(text)
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    assert [e["key"] for e in data["edges"]] == sorted(e["key"] for e in data["edges"])
    graph = nx.node_link_graph(data, edges="edges")
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 13
    for _, attrs in graph.nodes(data=True):
        assert {"label", "name", "aliases"} <= attrs.keys()
        assert isinstance(attrs["aliases"], list)
        assert "text" not in attrs
    for _, _, attrs in graph.edges(data=True):
        assert {
            "type",
            "confidence",
            "curated",
            "evidence_count",
            "article_ids",
            "sentences",
            "rules",
        } <= attrs.keys()
        assert (
            len(attrs["article_ids"])
            == len(attrs["sentences"])
            == len(attrs["rules"])
            == attrs["evidence_count"]
        )
    rid = relation_id(RelationType.ELECTED_PRESIDENT, N.zhang.id, N.shanghai_assoc.id)
    edge = graph.edges[N.zhang.id, N.shanghai_assoc.id, rid]
    assert (
        edge["role"] == "会长"
        and edge["sentences"] == ["张三当选会长"]
        and edge["rules"] == ["elected"]
    )
    assert graph.nodes[N.zhang.id]["aliases"] == ["张;三"]
    assert (
        graph.nodes[ART1.id]["title"] == ART1.title and graph.nodes[ART1.id]["source"] == "新华社"
    )
    assert graph.nodes[N.shanghai.id]["adcode"] == "310000"
    # deterministic: a second export is byte-identical
    again = tmp_path / "again.json"
    export_node_link(loaded, again)
    assert again.read_bytes() == out.read_bytes()


def test_export_streams_are_the_networkx_graph(loaded: GraphStore, tmp_path: Path) -> None:
    """The files are written as the store is read, page by page; what they hold is
    exactly ``to_networkx`` (the graph networkx's own writers would have written)."""
    from shegong.graph.export_stream import iter_nodes

    whole = loaded.to_networkx()
    assert [n.id for n in iter_nodes(loaded, page=3)] == sorted(whole.nodes)  # pages join up
    export_node_link(loaded, tmp_path / "g.json")
    export_graphml(loaded, tmp_path / "g.graphml")
    data = nx.node_link_data(whole, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: e["key"])
    expected = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    assert (tmp_path / "g.json").read_text(encoding="utf-8") == expected + "\n"
    graph = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert sorted(graph.nodes) == sorted(whole.nodes)
    assert sorted(k for _, _, k in graph.edges(keys=True)) == sorted(
        k for _, _, k in whole.edges(keys=True)
    )
    for node_id, attrs in whole.nodes(data=True):
        assert graph.nodes[node_id]["label"] == attrs["name"]
        assert graph.nodes[node_id]["schema_label"] == attrs["label"]
    # GEXF: every attribute of the networkx graph, flat, read back by networkx
    export_gexf(loaded, tmp_path / "g.gexf")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(gexf.nodes) == sorted(whole.nodes)
    for node_id, attrs in whole.nodes(data=True):
        flat = {k: flat_value(v) for k, v in attrs.items() if v is not None}
        flat["schema_label"], flat["label"] = flat.pop("label"), flat["name"]
        assert gexf.nodes[node_id] == flat
    edges = {d["id"]: (u, v, d) for u, v, d in gexf.edges(data=True)}
    assert sorted(edges) == sorted(k for _, _, k in whole.edges(keys=True))
    for u, v, key, attrs in whole.edges(keys=True, data=True):
        flat = {k: flat_value(x) for k, x in attrs.items() if x is not None}
        flat["relation_type"], flat["label"], flat["id"] = flat.pop("type"), attrs["type"], key
        assert edges[key] == (u, v, flat)


def test_export_graphml_reads_back(loaded: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.graphml"
    export_graphml(loaded, out)
    graph = nx.read_graphml(out, force_multigraph=True)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 13
    assert graph.nodes[N.federation.id]["aliases"] == "中国社工联"
    # Gephi shows "label": the name; the schema label is kept under another key
    assert graph.nodes[N.federation.id]["label"] == N.federation.name
    assert graph.nodes[N.federation.id]["schema_label"] == "Organisation"
    assert graph.nodes[N.shanghai.id]["lat"] == pytest.approx(31.23)
    rid = relation_id(RelationType.GUIDED_BY, N.federation.id, N.ministry.id)
    edge = graph.edges[N.federation.id, N.ministry.id, rid]
    assert edge["type"] == "GUIDED_BY" and edge["article_ids"] == ART1.id
    assert edge["curated"] is False and edge["label"] == "GUIDED_BY"


def test_export_gexf_reads_back_with_names_as_labels(loaded: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.gexf"
    assert export_gexf(loaded, out) == {"nodes": 10, "edges": 13}
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 13
    node = graph.nodes[N.federation.id]
    assert node["label"] == N.federation.name and node["schema_label"] == "Organisation"
    assert node["aliases"] == "中国社工联"
    assert graph.nodes[N.shanghai.id]["lat"] == pytest.approx(31.23)
    rid = relation_id(RelationType.GUIDED_BY, N.federation.id, N.ministry.id)
    [edge] = [d for u, v, d in graph.edges(data=True) if d["id"] == rid]
    assert edge["relation_type"] == "GUIDED_BY" and edge["label"] == "GUIDED_BY"
    assert edge["article_ids"] == ART1.id and edge["curated"] is False
    again = tmp_path / "again.gexf"
    export_gexf(loaded, again)
    assert again.read_bytes() == out.read_bytes()  # deterministic


def test_export_csv_neo4j_admin_layout(loaded: GraphStore, tmp_path: Path) -> None:
    files = export_csv(loaded, tmp_path / "csv")
    names = sorted(p.name for p in files)
    assert names == sorted(
        [
            "Article.csv",
            "Event.csv",
            "Organisation.csv",
            "Person.csv",
            "Place.csv",
            "Policy.csv",
            "ELECTED_PRESIDENT.csv",
            "GUIDED_BY.csv",
            "HELD_IN.csv",
            "ISSUED_BY.csv",
            "LOCATED_IN.csv",
            "MENTIONS.csv",
            "ORGANISED_BY.csv",
            "PARTICIPATED_IN.csv",
            "REPORTED_BY.csv",
        ]
    )  # PARTNERED_WITH is retracted: no file
    with (tmp_path / "csv" / "Organisation.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [header for _, header in NODE_COLUMNS] + [":LABEL"]
    assert len(rows) == 5 and all(r[-1] == "Node\x1fOrganisation" for r in rows[1:])
    fed = dict(zip(rows[0], next(r for r in rows if r[0] == N.federation.id), strict=True))
    assert fed["name"] == "中国社会工作联合会" and fed["aliases:string[]"] == "中国社工联"
    assert fed["label"] == "Organisation" and fed["kind"] == "association"
    with (tmp_path / "csv" / "Person.csv").open(encoding="utf-8", newline="") as f:
        person = dict(zip(*list(csv.reader(f))[:2], strict=True))
    assert person["aliases:string[]"] == "张;三"  # kept as written: ; is no delimiter here
    with (tmp_path / "csv" / "Place.csv").open(encoding="utf-8", newline="") as f:
        place = dict(zip(*list(csv.reader(f))[:2], strict=True))
    assert {"lat", "adcode"} <= set(json.loads(place["props"]))
    with (tmp_path / "csv" / "GUIDED_BY.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [":START_ID", ":END_ID", ":TYPE"] + [h for _, h in RELATION_COLUMNS]
    edge = dict(zip(rows[0], rows[1], strict=True))
    assert [edge[":START_ID"], edge[":END_ID"], edge[":TYPE"], edge["id"]] == [
        N.federation.id,
        N.ministry.id,
        "GUIDED_BY",
        relation_id(RelationType.GUIDED_BY, N.federation.id, N.ministry.id),
    ]
    first = edge["evidence:string[]"].split("\x1f")[0]
    assert json.loads(first)["sentence"]  # the evidence sentences travel
    assert edge["retracted:boolean"] == "false"


def test_export_csv_quotes_text_and_leaves_absent_values_empty(
    loaded: GraphStore, tmp_path: Path
) -> None:
    export_csv(loaded, tmp_path / "csv")
    text = (tmp_path / "csv" / "Person.csv").read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith(f'"{N.zhang.id}"'))
    # kind and seen dates absent: empty fields, no quotes (an empty string would be "")
    assert ',"Person","张三",' in line and ",," in line


def test_export_csv_refuses_the_array_delimiter_inside_a_value(
    loaded: GraphStore, tmp_path: Path
) -> None:
    loaded.add_alias(N.zhang.id, "张\x1f三", editor="li")
    with pytest.raises(OutputError, match=rf"node {N.zhang.id} aliases.*U\+001F"):
        export_csv(loaded, tmp_path / "csv")


def test_export_empty_store(embedded_store: GraphStore, tmp_path: Path) -> None:
    assert export_node_link(embedded_store, tmp_path / "g.json") == {"nodes": 0, "edges": 0}
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == []
    assert export_csv(embedded_store, tmp_path / "csv") == []
    export_graphml(embedded_store, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 0


def test_export_date_range_skips_month_day_articles() -> None:
    # an article dated only by its event's day (MM-DD, no year known) lies in no ISO range
    from shegong.graph.export import build_networkx
    from shegong.schema import Article, Label, Node

    dated = Article("甲", "正文甲", "a.txt", date="2021-06-01")
    undated = Article("乙", "正文乙", "b.txt", date="06-01")
    org = Node(Label.ORGANISATION, "某协会")
    rels = [
        Relation(RelationType.MENTIONS, art.id, org.id, evidence=[ev(art, "正文", "test")])
        for art in (dated, undated)
    ]
    graph = build_networkx([dated.to_node(), undated.to_node(), org], rels, date_to="2021-12-31")
    assert undated.id not in graph and dated.id in graph


def test_xml_exports_keep_markup_characters_and_drop_illegal_ones(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    """Names and sentences with XML's markup characters, quotes, a line break and a
    control character (which XML 1.0 cannot hold) read back in GraphML and GEXF."""
    odd = Node(Label.ORGANISATION, '"阳光" <社工> & 服务\x01中心')
    embedded_store.upsert(
        GraphBatch(
            nodes=[odd, N.ministry, ART1.to_node()],
            relations=[
                Relation(
                    RelationType.GUIDED_BY,
                    odd.id,
                    N.ministry.id,
                    evidence=[ev(ART1, "第一行\n第二行 <b>&amp;</b>", "guided", 0)],
                )
            ],
        )
    )
    export_graphml(embedded_store, tmp_path / "g.graphml")
    export_gexf(embedded_store, tmp_path / "g.gexf")
    graphml = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    for graph in (graphml, gexf):
        assert graph.nodes[odd.id]["label"] == '"阳光" <社工> & 服务中心'
        [(_, _, edge)] = list(graph.out_edges(odd.id, data=True))
        assert edge["sentences"] == "第一行\n第二行 <b>&amp;</b>"

"""The analysts' API (shegong.graph analysis functions) over a real store of each kind."""

from __future__ import annotations

import networkx as nx
import pytest
from shegong.graph import (
    GraphStore,
    communities,
    component_layout,
    entity_graph,
    events_timeline,
    organisation_graph,
    path_with_evidence,
    places_with_coordinates,
    relations_table,
    resolve_node,
    top_central,
)
from shegong.schema import AmbiguousError, Label, NotFoundError, RelationType, SchemaError

from tests.graph.analysis_graph import ARTICLE, A, analysis_batch


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.upsert(analysis_batch())
    return store


@pytest.fixture
def graph(loaded: GraphStore) -> nx.MultiDiGraph:
    return loaded.to_networkx()


def test_analysis_to_networkx_carries_what_notebooks_read(graph: nx.MultiDiGraph) -> None:
    assert graph.nodes[A.shanghai.id]["lat"] == 31.23
    assert graph.nodes[A.shanghai.id]["lon"] == 121.47
    assert graph.nodes[A.federation.id]["aliases"] == ["中国社工联"]
    assert graph.nodes[A.federation.id]["kind"] == "association"
    edge = graph.edges[A.zhang.id, A.assoc.id, next(iter(graph[A.zhang.id][A.assoc.id]))]
    assert edge["type"] == "ELECTED_PRESIDENT"
    assert edge["confidence"] == 0.8
    assert edge["evidence_count"] == 1
    assert edge["sentences"] == ["张三当选协会会长。"]
    assert edge["role"] == "会长"


def test_analysis_entity_graph_drops_articles_and_mentions(graph: nx.MultiDiGraph) -> None:
    H = entity_graph(graph)
    assert ARTICLE.id not in H
    assert H.number_of_edges() == 14  # the 20 relations less 5 MENTIONS and 1 REPORTED_BY
    assert H.degree(A.xinhua.id) == 0
    assert H[A.assoc.id][A.zhang.id] == {"weight": 1, "types": ["ELECTED_PRESIDENT"]}


def test_analysis_top_central_by_degree(graph: nx.MultiDiGraph) -> None:
    rows = top_central(graph, Label.ORGANISATION, k=4)
    assert [r.name for r in rows][0] == "上海市社会工作者协会"
    assert [r.degree for r in rows] == [5, 3, 3, 3]
    # the three with degree 3 are ordered by betweenness: the federation bridges to 张三
    assert rows[1].name == "中国社会工作联合会"
    assert rows[1].betweenness > rows[2].betweenness >= rows[3].betweenness
    assert all(r.kind for r in rows)


def test_analysis_top_central_by_betweenness_and_label(graph: nx.MultiDiGraph) -> None:
    rows = top_central(graph, "organisation", k=2, by="betweenness")
    assert {r.name for r in rows} == {"上海市社会工作者协会", "中国社会工作联合会"}
    people = top_central(graph, Label.PERSON, k=5)
    assert [p.name for p in people] == ["张三", "李四"]
    assert top_central(graph, Label.ORGANISATION, k=0) == []


def test_analysis_top_central_bad_measure(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(SchemaError, match="degree or betweenness"):
        top_central(graph, by="pagerank")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="valid labels"):
        top_central(graph, "Organization")


def test_analysis_organisation_graph_links_direct_and_shared(graph: nx.MultiDiGraph) -> None:
    orgs = organisation_graph(graph)
    assert sorted(orgs.nodes) == sorted(
        n.id
        for n in (
            A.ministry,
            A.federation,
            A.academy,
            A.assoc,
            A.bureau,
            A.centre,
            A.xinhua,
            A.lonely,
        )
    )
    assert orgs.number_of_edges() == 7
    # a donation and a shared event
    assert orgs[A.centre.id][A.assoc.id] == {
        "weight": 2,
        "types": ["DONATED_TO"],
        "via": ["会员代表大会"],
    }
    # no direct relation: joined only through 张三's two posts
    assert orgs[A.assoc.id][A.federation.id] == {"weight": 1, "types": [], "via": ["张三"]}
    assert orgs.degree(A.lonely.id) == 0
    only_direct = organisation_graph(graph, via=())
    assert not only_direct.has_edge(A.assoc.id, A.federation.id)
    assert only_direct[A.centre.id][A.assoc.id]["weight"] == 1


def test_analysis_communities_split_the_two_clusters(graph: nx.MultiDiGraph) -> None:
    found = communities(organisation_graph(graph), seed=7, min_size=2)
    assert {frozenset(c.names) for c in found} == {
        frozenset({"民政部", "中国社会工作联合会", "中国社会工作学院"}),
        frozenset({"上海市社会工作者协会", "上海市民政局", "杨浦区社会工作服务中心"}),
    }
    assert [c.number for c in found] == [1, 2]
    assert found[0].ids[0] < found[1].ids[0]  # equal sizes: ordered by first id
    assert all(list(c.ids) == sorted(c.ids) for c in found)
    # deterministic: the same seed gives the same answer, on a rebuilt graph too
    assert communities(organisation_graph(graph), seed=7, min_size=2) == found
    everyone = communities(organisation_graph(graph), seed=7)
    assert sum(c.size for c in everyone) == 8  # the two isolated ones are singletons


def test_analysis_communities_of_the_whole_graph(graph: nx.MultiDiGraph) -> None:
    found = communities(graph, seed=1)
    members = [i for c in found for i in c.ids]
    assert sorted(members) == sorted(entity_graph(graph).nodes)
    assert ARTICLE.id not in members


def test_analysis_path_with_evidence(loaded: GraphStore) -> None:
    steps = path_with_evidence(loaded, "民政部", "杨浦区社会工作服务中心")
    assert steps is not None
    assert [s.arrow for s in steps] == [
        "民政部 <-[GUIDED_BY]- 中国社会工作联合会",
        "中国社会工作联合会 <-[HOLDS_POSITION]- 张三",
        "张三 -[ELECTED_PRESIDENT]-> 上海市社会工作者协会",
        "上海市社会工作者协会 <-[DONATED_TO]- 杨浦区社会工作服务中心",
    ]
    assert steps[2].sentences == ("张三当选协会会长。",)
    assert steps[2].articles == (ARTICLE.title,)
    assert steps[0].from_id == A.ministry.id and steps[-1].to_id == A.centre.id
    assert path_with_evidence(loaded, A.ministry.id, A.centre.id, max_hops=3) is None
    assert path_with_evidence(loaded, "民政部", "孤立的基金会") is None
    assert path_with_evidence(loaded, "中国社工联", "中国社会工作联合会") == []


def test_analysis_resolve_node_errors(loaded: GraphStore) -> None:
    assert resolve_node(loaded, "中国社工联").id == A.federation.id
    assert resolve_node(loaded, A.shanghai.id, Label.PLACE).name == "上海市"
    with pytest.raises(AmbiguousError, match="社工协会.*2 entities.*上海市社会工作者协会"):
        resolve_node(loaded, "社工协会")
    with pytest.raises(NotFoundError, match="no Organisation .*'社会工作'.*similar: "):
        resolve_node(loaded, "社会工作", Label.ORGANISATION)
    with pytest.raises(NotFoundError, match="no Person with id, name or alias '民政部'$"):
        resolve_node(loaded, "民政部", "person")


def test_analysis_relations_table(loaded: GraphStore) -> None:
    rows = relations_table(loaded, ["GUIDED_BY", RelationType.DONATED_TO, "elected-president"])
    assert [(r.type, r.source, r.target) for r in rows] == [
        ("GUIDED_BY", "上海市社会工作者协会", "上海市民政局"),
        ("GUIDED_BY", "中国社会工作学院", "民政部"),
        ("GUIDED_BY", "中国社会工作联合会", "民政部"),
        ("DONATED_TO", "杨浦区社会工作服务中心", "上海市社会工作者协会"),
        ("ELECTED_PRESIDENT", "张三", "上海市社会工作者协会"),
    ]
    assert rows[3].details == "item=图书"
    assert rows[4].details == "role=会长"
    assert rows[4].sentence == "张三当选协会会长。"
    assert rows[4].confidence == 0.8 and rows[4].evidence_count == 1
    assert [r.type for r in relations_table(loaded, ["GUIDED_BY"], min_confidence=0.95)] == []
    assert relations_table(loaded, []) == []
    with pytest.raises(SchemaError, match="'GUIDED'.*valid types: GUIDED_BY"):
        relations_table(loaded, ["GUIDED"])


def test_analysis_events_timeline(loaded: GraphStore) -> None:
    rows = events_timeline(loaded)
    assert [(r.name, r.date, r.year, r.month, r.day) for r in rows] == [
        ("社工论坛", "2021-11", 2021, 11, None),
        ("会员代表大会", "2022-03-05", 2022, 3, 5),
        ("国家宪法日", "12-04", None, 12, 4),
    ]  # 座谈会 ("去年") has no usable date
    assert rows[1].place == "杨浦区"
    assert rows[1].organisers == ("上海市社会工作者协会", "杨浦区社会工作服务中心")
    assert rows[0].organisers == () and rows[0].place is None


def test_analysis_places_with_coordinates(loaded: GraphStore) -> None:
    rows = places_with_coordinates(loaded)
    assert sorted((r.name, r.lat, r.lon, r.degree) for r in rows) == [
        ("上海市", 31.23, 121.47, 1),
        ("杨浦区", 31.26, 121.53, 1),
    ]  # 某社区's "abc"/200 are not coordinates
    assert next(r for r in rows if r.name == "上海市").adcode == "310000"


def test_analysis_empty_store(store: GraphStore) -> None:
    empty = store.to_networkx()
    assert top_central(empty) == []
    assert communities(empty) == []
    assert organisation_graph(empty).number_of_nodes() == 0
    assert events_timeline(store) == []
    assert places_with_coordinates(store) == []
    assert relations_table(store, ["GUIDED_BY"]) == []
    with pytest.raises(NotFoundError, match="no node with id, name or alias '民政部'$"):
        path_with_evidence(store, "民政部", "张三")


def test_analysis_component_layout_keeps_components_apart(graph: nx.MultiDiGraph) -> None:
    orgs = organisation_graph(graph)
    pos = component_layout(orgs, seed=3)
    assert set(pos) == set(orgs.nodes)
    assert component_layout(orgs, seed=3) == pos  # seeded: the same picture every run
    boxes = []
    for part in nx.connected_components(orgs):
        xs, ys = [pos[n][0] for n in part], [pos[n][1] for n in part]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]
            assert apart, (a, b)
    assert component_layout(nx.Graph()) == {}

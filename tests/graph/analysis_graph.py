"""A small sector graph for the analysis tests: two clusters of organisations joined by
one person, events with and without dates, places with and without coordinates."""

from __future__ import annotations

from dataclasses import replace

from shegong.schema import Article, Evidence, GraphBatch, Label, Node, Relation, RelationType

__all__ = ["ARTICLE", "A", "analysis_batch"]

ARTICLE = Article(
    title="社工联合会与上海社工协会开展交流",
    text="民政部指导中国社会工作联合会。张三当选上海市社会工作者协会会长。",
    file="a.txt",
    source="新华社",
    date="2022-12-04",
)


class A:
    """The nodes. Cluster north: ministry, federation, academy; cluster south: the
    Shanghai association, bureau and centre; 张三 holds posts in both."""

    ministry = Node(Label.ORGANISATION, "民政部", kind="government")
    federation = Node(
        Label.ORGANISATION, "中国社会工作联合会", aliases=("中国社工联",), kind="association"
    )
    academy = Node(Label.ORGANISATION, "中国社会工作学院", aliases=("社工学院",), kind="university")
    assoc = Node(
        Label.ORGANISATION, "上海市社会工作者协会", aliases=("社工协会",), kind="association"
    )
    bureau = Node(Label.ORGANISATION, "上海市民政局", kind="government")
    centre = Node(
        Label.ORGANISATION, "杨浦区社会工作服务中心", aliases=("社工协会",), kind="service"
    )
    xinhua = Node(Label.ORGANISATION, "新华社", kind="media")
    lonely = Node(Label.ORGANISATION, "孤立的基金会", kind="other")
    zhang = Node(Label.PERSON, "张三")
    li = Node(Label.PERSON, "李四")
    shanghai = Node(
        Label.PLACE,
        "上海市",
        kind="city",
        properties={"adcode": "310000", "lat": 31.23, "lon": 121.47},
    )
    yangpu = Node(
        Label.PLACE,
        "杨浦区",
        kind="district",
        properties={"latitude": "31.26", "longitude": "121.53"},
    )
    nowhere = Node(Label.PLACE, "某社区", kind="community", properties={"lat": "abc", "lon": 200})
    congress = Node(Label.EVENT, "会员代表大会", kind="meeting", properties={"date": "2022-03-05"})
    day = Node(Label.EVENT, "国家宪法日", kind="day", properties={"date": "12-04"})
    forum = Node(Label.EVENT, "社工论坛", kind="meeting", properties={"date": "2021-11"})
    vague = Node(Label.EVENT, "座谈会", kind="meeting", properties={"date": "去年"})
    policy = Node(Label.POLICY, "社会工作专业人才规划", kind="document")


def _rel(
    rtype: RelationType,
    source: Node,
    target: Node,
    sentence: str,
    props: dict[str, object] | None = None,
    confidence: float = 0.9,
    start: int = 0,
) -> Relation:
    evidence = Evidence(ARTICLE.id, sentence, start, start + len(sentence), "test", confidence)
    return Relation(rtype, source.id, target.id, dict(props or {}), [evidence])


def analysis_batch() -> GraphBatch:
    G, E = RelationType, A
    art = ARTICLE.to_node()
    rels = [
        # north cluster
        _rel(G.GUIDED_BY, E.federation, E.ministry, "民政部指导中国社会工作联合会。"),
        _rel(G.PARTNERED_WITH, E.academy, E.federation, "学院与联合会合作。"),
        _rel(G.GUIDED_BY, E.academy, E.ministry, "在民政部的指导下，学院成立。"),
        _rel(G.ISSUED_BY, E.policy, E.ministry, "民政部印发规划。"),
        # south cluster
        _rel(G.GUIDED_BY, E.assoc, E.bureau, "在上海市民政局的指导下，协会成立。"),
        _rel(G.PART_OF, E.centre, E.bureau, "中心隶属上海市民政局。"),
        _rel(G.DONATED_TO, E.centre, E.assoc, "中心向协会捐赠图书", {"item": "图书"}),
        _rel(G.ORGANISED_BY, E.congress, E.assoc, "协会主办大会。", {"role": "主办"}),
        _rel(G.ORGANISED_BY, E.congress, E.centre, "中心承办大会。", {"role": "承办"}),
        _rel(G.HELD_IN, E.congress, E.yangpu, "大会在杨浦区举行。"),
        _rel(G.LOCATED_IN, E.assoc, E.shanghai, "上海市社会工作者协会"),
        _rel(G.PARTICIPATED_IN, E.li, E.forum, "李四出席论坛。"),
        # the bridge: one person with a post on each side
        _rel(G.ELECTED_PRESIDENT, E.zhang, E.assoc, "张三当选协会会长。", {"role": "会长"}, 0.8),
        _rel(G.HOLDS_POSITION, E.zhang, E.federation, "联合会副会长张三", {"title": "副会长"}),
        # about the article, not between entities
        _rel(G.REPORTED_BY, art, E.xinhua, "据新华社"),
        *(
            _rel(G.MENTIONS, art, node, node.name, {"count": 1})
            for node in (E.ministry, E.federation, E.assoc, E.zhang, E.lonely)
        ),
    ]
    # Copies, so a store that changes what it is given cannot leak into another test.
    nodes = [
        art,
        *(
            replace(v, properties=dict(v.properties))
            for v in vars(A).values()
            if isinstance(v, Node)
        ),
    ]
    return GraphBatch(nodes=nodes, relations=rels)

"""A small graph of the social-work sector used by the store and export tests."""

from __future__ import annotations

from shegong.schema import Article, Evidence, GraphBatch, Label, Node, Relation, RelationType

__all__ = ["ART1", "ART2", "sample_batch", "ev", "N"]

ART1 = Article(
    title="上海市社会工作者协会召开第一届会员代表大会",
    text="在民政部的指导下，中国社会工作联合会……张三当选会长。",
    file="a.txt",
    source="新华社",
    date="2021-03-05",
)
ART2 = Article(
    title="协会开展志愿服务",
    text="上海市社会工作者协会向社区捐赠物资。",
    file="b.txt",
    date="2022-01-10",
)


class N:
    """The sample nodes."""

    ministry = Node(Label.ORGANISATION, "民政部", kind="government")
    federation = Node(
        Label.ORGANISATION, "中国社会工作联合会", aliases=("中国社工联",), kind="association"
    )
    shanghai_assoc = Node(
        Label.ORGANISATION, "上海市社会工作者协会", aliases=("上海社工协会",), kind="association"
    )
    xinhua = Node(Label.ORGANISATION, "新华社", kind="media")
    zhang = Node(Label.PERSON, "张三")
    shanghai = Node(
        Label.PLACE,
        "上海市",
        kind="city",
        properties={"adcode": "310000", "lat": 31.23, "lon": 121.47, "level": "province"},
    )
    congress = Node(
        Label.EVENT, "第一届会员代表大会", kind="meeting", properties={"date": "2021-03-05"}
    )
    policy = Node(Label.POLICY, "关于加强社会工作专业人才队伍建设的意见", kind="document")


def ev(
    article: Article, sentence: str, rule: str, start: int = 0, confidence: float = 0.9
) -> Evidence:
    return Evidence(article.id, sentence, start, start + len(sentence), rule, confidence)


def sample_batch() -> GraphBatch:
    """Eight entities, two articles and thirteen relations (MENTIONS and REPORTED_BY included)."""
    a1, a2 = ART1.to_node(), ART2.to_node()
    s1 = "在民政部的指导下，中国社会工作联合会成立"
    s2 = "张三当选会长"
    rels = [
        Relation(
            RelationType.GUIDED_BY,
            N.federation.id,
            N.ministry.id,
            evidence=[ev(ART1, s1, "guided_by", 0, 0.9)],
        ),
        Relation(
            RelationType.ELECTED_PRESIDENT,
            N.zhang.id,
            N.shanghai_assoc.id,
            {"role": "会长"},
            [ev(ART1, s2, "elected", 20, 0.8)],
        ),
        Relation(
            RelationType.LOCATED_IN,
            N.shanghai_assoc.id,
            N.shanghai.id,
            evidence=[ev(ART1, "上海市社会工作者协会", "located", 30, 0.6)],
        ),
        Relation(
            RelationType.ORGANISED_BY,
            N.congress.id,
            N.shanghai_assoc.id,
            {"role": "主办"},
            [ev(ART1, "协会主办大会", "organised", 40, 0.7)],
        ),
        Relation(
            RelationType.HELD_IN,
            N.congress.id,
            N.shanghai.id,
            evidence=[ev(ART1, "大会在上海市召开", "held_in", 50, 0.7)],
        ),
        Relation(
            RelationType.ISSUED_BY,
            N.policy.id,
            N.ministry.id,
            evidence=[ev(ART2, "民政部印发意见", "issued", 0, 0.95)],
        ),
        Relation(
            RelationType.PARTICIPATED_IN,
            N.zhang.id,
            N.congress.id,
            {"role": "出席"},
            [ev(ART1, "张三出席大会", "participated", 60, 0.5)],
        ),
        Relation(
            RelationType.REPORTED_BY,
            a1.id,
            N.xinhua.id,
            evidence=[ev(ART1, "据新华社", "source", 70, 1.0)],
        ),
    ]
    for node in (N.federation, N.ministry, N.shanghai_assoc, N.zhang, N.congress):
        rels.append(
            Relation(
                RelationType.MENTIONS,
                a1.id,
                node.id,
                {"count": 1},
                [ev(ART1, node.name, "mention", 80)],
            )
        )
    nodes = [
        a1,
        a2,
        N.ministry,
        N.federation,
        N.shanghai_assoc,
        N.xinhua,
        N.zhang,
        N.shanghai,
        N.congress,
        N.policy,
    ]
    return GraphBatch(nodes=[_copy(n) for n in nodes], relations=rels)


def _copy(node: Node) -> Node:
    return Node(
        node.label,
        node.name,
        node.aliases,
        node.kind,
        dict(node.properties),
        node.first_seen,
        node.last_seen,
        node.id,
    )

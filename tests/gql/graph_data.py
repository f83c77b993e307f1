"""The hand-made graph the API tests query: a few known facts plus a block of
service centres (for pagination and DataLoader tests), built with shegong.schema."""

from __future__ import annotations

from shegong.schema import Article, Evidence, GraphBatch, Label, Node, Relation, RelationType

__all__ = ["ART1", "ART2", "CENTRES", "G", "graph_batch"]

ART1 = Article(
    title="上海市社会工作者协会召开第一届会员代表大会",
    text="在民政部的指导下，上海市社会工作者协会第一届会员代表大会在浦东新区召开。张三当选会长。",
    file="fixture/a.txt",
    source="新华社",
    date="2021-03-05",
)
ART2 = Article(
    title="民政部印发关于加强社会工作专业人才队伍建设的意见",
    text="民政部印发关于加强社会工作专业人才队伍建设的意见。李四出席发布会。",
    file="fixture/b.txt",
    source="人民网",
    date="2022-01-10",
)

#: How many generated service centres (more than one page of 20).
CENTRES = 25


class G:
    """The named nodes."""

    ministry = Node(
        Label.ORGANISATION,
        "民政部",
        kind="government",
        first_seen="2021-03-05",
        last_seen="2022-01-10",
    )
    shanghai_assoc = Node(
        Label.ORGANISATION,
        "上海市社会工作者协会",
        aliases=("上海社工协会", "上海市社會工作者協會"),
        kind="association",
        first_seen="2021-03-05",
        last_seen="2021-03-05",
    )
    federation = Node(
        Label.ORGANISATION, "中国社会工作联合会", aliases=("中国社工联",), kind="association"
    )
    xinhua = Node(Label.ORGANISATION, "新华社", kind="media")
    zhang = Node(Label.PERSON, "张三", first_seen="2021-03-05", last_seen="2021-03-05")
    li = Node(Label.PERSON, "李四", first_seen="2022-01-10", last_seen="2022-01-10")
    shanghai = Node(
        Label.PLACE,
        "上海市",
        kind="province",
        properties={
            "adcode": "310000",
            "level": "province",
            "latitude": 31.23,
            "longitude": 121.47,
        },
    )
    # As the gazetteer writes places: parent by name, lat/lon.
    pudong = Node(
        Label.PLACE,
        "浦东新区",
        kind="district",
        properties={
            "adcode": "310115",
            "level": "district",
            "parent": "上海市",
            "lat": 31.22,
            "lon": 121.54,
        },
    )
    congress = Node(
        Label.EVENT, "第一届会员代表大会", kind="meeting", properties={"date": "2021-03-05"}
    )
    policy = Node(
        Label.POLICY,
        "关于加强社会工作专业人才队伍建设的意见",
        kind="document",
        first_seen="2022-01-10",
        last_seen="2022-01-10",
    )
    isolated = Node(Label.ORGANISATION, "孤立的基金会", kind="other")


def _ev(article: Article, phrase: str, rule: str, confidence: float) -> Evidence:
    start = article.text.find(phrase)
    assert start >= 0, phrase
    sentence_start = article.text.rfind("。", 0, start) + 1
    sentence_end = article.text.find("。", start) + 1
    return Evidence(
        article.id,
        article.text[sentence_start:sentence_end],
        start,
        start + len(phrase),
        rule,
        confidence,
    )


def centre(i: int) -> Node:
    return Node(Label.ORGANISATION, f"第{i:02d}社会工作服务中心", kind="service")


def graph_batch() -> GraphBatch:
    """The whole hand-made graph as one batch."""
    a1, a2 = ART1.to_node(), ART2.to_node()
    rels = [
        Relation(
            RelationType.GUIDED_BY,
            G.shanghai_assoc.id,
            G.ministry.id,
            evidence=[_ev(ART1, "在民政部的指导下", "guided_by.zhidao", 0.9)],
        ),
        Relation(
            RelationType.ELECTED_PRESIDENT,
            G.zhang.id,
            G.shanghai_assoc.id,
            {"role": "会长"},
            [_ev(ART1, "张三当选会长", "elected.president", 0.8)],
        ),
        Relation(
            RelationType.LOCATED_IN,
            G.shanghai_assoc.id,
            G.shanghai.id,
            evidence=[_ev(ART1, "上海市社会工作者协会", "located.prefix", 0.6)],
        ),
        Relation(
            RelationType.LOCATED_IN,
            G.pudong.id,
            G.shanghai.id,
            curated=True,
            editor="fixture",
            note="gazetteer",
        ),
        Relation(
            RelationType.ORGANISED_BY,
            G.congress.id,
            G.shanghai_assoc.id,
            {"role": "举办"},
            [_ev(ART1, "上海市社会工作者协会第一届会员代表大会", "organised.of", 0.7)],
        ),
        Relation(
            RelationType.HELD_IN,
            G.congress.id,
            G.pudong.id,
            evidence=[_ev(ART1, "在浦东新区召开", "held_in.zai", 0.7)],
        ),
        Relation(
            RelationType.ISSUED_BY,
            G.policy.id,
            G.ministry.id,
            evidence=[
                _ev(ART2, "民政部印发关于加强社会工作专业人才队伍建设的意见", "issued.yinfa", 0.95)
            ],
        ),
        Relation(
            RelationType.PARTNERED_WITH,
            G.federation.id,
            G.shanghai_assoc.id,
            curated=True,
            editor="fixture",
        ),
        Relation(RelationType.REPORTED_BY, a1.id, G.xinhua.id),
    ]
    for node in (G.ministry, G.shanghai_assoc, G.zhang, G.congress, G.pudong):
        rels.append(Relation(RelationType.MENTIONS, a1.id, node.id, {"count": 1}))
    for node in (G.ministry, G.policy, G.li):
        rels.append(Relation(RelationType.MENTIONS, a2.id, node.id, {"count": 1}))
    centres = [centre(i) for i in range(1, CENTRES + 1)]
    for i, node in enumerate(centres):
        # Each centre is guided by the association and partners with its neighbour.
        rels.append(
            Relation(
                RelationType.GUIDED_BY,
                node.id,
                G.shanghai_assoc.id,
                evidence=[_ev(ART1, "在民政部的指导下", "guided_by.zhidao", 0.5)],
            )
        )
        rels.append(Relation(RelationType.PARTNERED_WITH, node.id, centres[(i + 1) % CENTRES].id))
        rels.append(Relation(RelationType.LOCATED_IN, node.id, G.pudong.id))
    named = [getattr(G, k) for k in vars(G) if not k.startswith("_")]
    return GraphBatch(nodes=[a1, a2, *named, *centres], relations=rels)

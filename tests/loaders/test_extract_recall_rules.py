"""End-to-end checks (mentions + relations + structure) of the general recall rules that
the oracle-span relation cases cannot show: the relation depends on what the mention finder
and the resolvers make of the sentence. Sentences written for these tests."""

from __future__ import annotations

import pytest
from shegong.loaders.extract import Extractor
from shegong.schema import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _triples(extractor: Extractor, text: str) -> set[tuple[str, str, str, str | None]]:
    ex = extractor(Article(title="", text=text, file="case.txt"))
    names = {n.id: n.name for n in ex.entities}
    return {
        (
            r.type.value,
            names.get(r.source_id, ""),
            names.get(r.target_id, ""),
            r.properties.get("role") or r.properties.get("title"),
        )
        for r in ex.relations
        if r.type.value not in ("MENTIONS", "REPORTED_BY")
    }


def test_coordinated_election_list(extractor: Extractor) -> None:
    found = _triples(
        extractor,
        "近日,成都市武侯区社会工作协会召开第二届会员大会,选举张小红为会长,李强为秘书长。",
    )
    assert ("ELECTED_PRESIDENT", "张小红", "成都市武侯区社会工作协会", "会长") in found
    assert ("ELECTED_TO", "李强", "成都市武侯区社会工作协会", "秘书长") in found


def test_street_office_located_in_its_district(extractor: Extractor) -> None:
    found = _triples(extractor, "活动在双流区东升街道办事处举行。")
    assert ("LOCATED_IN", "双流区东升街道办事处", "双流区", None) in found
    assert not any(t[2] == "东升街道" for t in found)


def test_place_edition_held_in_and_general_event_organised(extractor: Extractor) -> None:
    found = _triples(
        extractor,
        "民政部定于5月组织开展2024年社区志愿服务月宣传活动。"
        "四川省于5月6日全面启动以“邻里守望”为主题的2024年社区志愿服务月宣传活动。",
    )
    assert ("HELD_IN", "四川省2024年社区志愿服务月宣传活动", "四川省", None) in found
    assert ("ORGANISED_BY", "2024年社区志愿服务月宣传活动", "民政部", "开展") in found
    assert not any(t[0] == "HELD_IN" and t[1] == "2024年社区志愿服务月宣传活动" for t in found)


def test_parent_body_inside_unit_name(extractor: Extractor) -> None:
    found = _triples(extractor, "武侯区民政局社会工作指导中心等单位参加了培训。")
    assert ("PART_OF", "武侯区民政局社会工作指导中心", "武侯区民政局", None) in found


def test_party_committee_chain_names_its_units(extractor: Extractor) -> None:
    """市委常委 and 政法委书记 are a committee's post and a unit's post, not one title."""
    found = _triples(
        extractor,
        "黄山市召开工作会议。市委副书记、政法委书记张立华,市委常委、组织部部长李红梅出席。",
    )
    assert ("HOLDS_POSITION", "张立华", "黄山市委", "副书记") in found
    assert ("HOLDS_POSITION", "张立华", "黄山市委政法委", "书记") in found
    assert ("HOLDS_POSITION", "李红梅", "黄山市委", "常委") in found
    assert ("HOLDS_POSITION", "李红梅", "黄山市委组织部", "部长") in found
    assert ("PART_OF", "黄山市委政法委", "黄山市委", None) in found
    assert ("PART_OF", "黄山市委组织部", "黄山市委", None) in found


def test_body_setting_up_a_bare_unit(extractor: Extractor) -> None:
    """下设 is a verb, no part of a name; the bare 办公室 it sets up is no unit's name."""
    ex = extractor(
        Article(title="", text="黄山市召开会议。市民政局下设办公室,负责日常工作。", file="c")
    )
    names = sorted(n.name for n in ex.entities)
    assert names == ["黄山市", "黄山市民政局"], names


def test_branch_secretary_is_a_post_of_the_body(extractor: Extractor) -> None:
    """X党支部书记 is X's post (as X党委书记), no unit 党支部 of X."""
    found = _triples(extractor, "成都市武侯区社会工作协会副会长兼党支部书记王晓东出席。")
    assert any(t[:3] == ("HOLDS_POSITION", "王晓东", "成都市武侯区社会工作协会") for t in found), (
        found
    )
    assert not any(t[0] == "PART_OF" or "党支部" in t[2] for t in found), found


@pytest.mark.parametrize(
    ("paragraph", "body", "outlet"),
    [
        (
            "本文探讨社区治理的路径。 (中国民政学报. 2023,12(04))",
            "本文探讨社区治理的路径。",
            "中国民政学报",
        ),
        (
            "研究表明社工站作用明显。(社会工作杂志. 2021,3)",
            "研究表明社工站作用明显。",
            "社会工作杂志",
        ),
        ("会议于2023年(第5期)召开。", "会议于2023年(第5期)召开。", None),
    ],
)
def test_journal_citation_is_the_source(paragraph: str, body: str, outlet: str | None) -> None:
    from shegong.loaders.ingest.meta import split_outlet

    assert split_outlet(paragraph) == (body, outlet)

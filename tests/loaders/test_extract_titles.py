"""Entities named in the headline: found, resolved with the body, kept out of relations."""

from __future__ import annotations

import pytest
from shegong.loaders.extract import Extractor
from shegong.schema import Article, Extraction, Label, Node, RelationType, name_key


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _extract(extractor: Extractor, title: str, text: str) -> Extraction:
    return extractor(Article(title=title, text=text, file="case.txt"))


def _named(extraction: Extraction, label: Label, name: str) -> Node:
    for node in extraction.entities:
        if node.label == label and name_key(node.name) == name_key(name):
            return node
    names = sorted(n.name for n in extraction.entities if n.label == label)
    raise AssertionError(f"{label.value} {name} not among {names}")


def test_headline_only_place_is_an_entity_with_a_title_mention(extractor: Extractor) -> None:
    title = "甘肃省召开社会工作人才队伍建设推进会"
    ex = _extract(extractor, title, "会议强调,要加强社会工作人才队伍建设,提升服务能力。")
    node = _named(ex, Label.PLACE, "甘肃省")
    assert node.properties.get("adcode") == "620000"
    [mention] = ex.mentions[node.id]
    assert (mention.text, mention.start, mention.end) == ("甘肃省", 0, 3)
    assert mention.in_title and mention.sentence == title
    assert title[mention.start : mention.end] == mention.text
    edge = next(
        r
        for r in ex.to_batch().relations
        if r.type == RelationType.MENTIONS and r.target_id == node.id
    )
    assert edge.properties["count"] == 1 and edge.evidence[0].rule == "mention:title"


def test_headline_short_forms_resolve_to_the_body_full_names(extractor: Extractor) -> None:
    title = "长春:联合会发布社区服务指引"
    text = "近日,长春市社会工作联合会在长春市朝阳区发布社区服务指引,联合会会长王立新出席。"
    ex = _extract(extractor, title, text)
    city = _named(ex, Label.PLACE, "长春市")
    org = _named(ex, Label.ORGANISATION, "长春市社会工作联合会")
    for node, surface in ((city, "长春"), (org, "联合会")):
        in_title = [m for m in ex.mentions[node.id] if m.in_title]
        assert [m.text for m in in_title] == [surface]
        assert title[in_title[0].start : in_title[0].end] == surface
        # the body's mentions come first and keep their offsets into the body
        body = [m for m in ex.mentions[node.id] if not m.in_title]
        assert body and all(text[m.start : m.end] == m.text for m in body)
    # one node each: no second 长春 / 联合会 entity from the headline
    assert not any(n.name in ("长春", "联合会") for n in ex.entities)


def test_headline_byline_author_is_a_person(extractor: Extractor) -> None:
    title = "城市社区治理中的社会工作介入研究(李明辉、王芳)"
    ex = _extract(extractor, title, "本文讨论社区治理中社会工作的介入路径。")
    for name in ("李明辉", "王芳"):
        [mention] = ex.mentions[_named(ex, Label.PERSON, name).id]
        assert mention.in_title and title[mention.start : mention.end] == name
    # brackets holding ordinary words are no byline
    ex = _extract(extractor, "社会工作发展报告(摘要)", "报告介绍了社会工作的发展。")
    assert not [n for n in ex.entities if n.label == Label.PERSON]


@pytest.mark.parametrize(
    "headline",
    [
        "许昌市民政局与许昌学院签署战略合作协议",
        "王立新当选许昌市社会工作行业协会会长",
        "河南省民政厅印发《河南省社会工作发展规划》",
    ],
)
def test_no_relations_are_read_from_the_headline(extractor: Extractor, headline: str) -> None:
    # written as a body sentence, each of these yields a typed relation
    as_body = _extract(extractor, "", headline + "。")
    assert [r for r in as_body.relations if r.type != RelationType.REPORTED_BY]
    # as the headline, its entities are mentions but no relation comes from it
    text = "会议听取了年度工作报告。"
    ex = _extract(extractor, headline, text)
    assert len(ex.entities) >= 2
    assert all(m.in_title for ms in ex.mentions.values() for m in ms)
    assert not [r for r in ex.relations if r.type != RelationType.REPORTED_BY]


def test_title_mentions_need_no_title(extractor: Extractor) -> None:
    ex = _extract(extractor, "", "广东省民政厅印发通知。")
    assert all(not m.in_title for ms in ex.mentions.values() for m in ms)
    ex = _extract(extractor, "   ", "广东省民政厅印发通知。")
    assert all(not m.in_title for ms in ex.mentions.values() for m in ms)

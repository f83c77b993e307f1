"""Entity cases as data: sentence -> entities that must (and must not) be found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shegong.loaders.extract import Extractor
from shegong.schema import KINDS, Article, Label, name_key

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases" / "entities.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extract_entities_case(extractor: Extractor, case: dict) -> None:
    extraction = extractor(Article(title="", text=case["text"], file="case.txt"))
    found = {
        (node.label.value, name_key(name))
        for node in extraction.entities
        for name in (node.name, *node.aliases)
    }
    every_name = {name for _, name in found}
    for label, name in case["expect"]:
        assert (label, name_key(name)) in found, f"{label} {name} not found in {sorted(found)}"
    for name in case["absent"]:
        assert name_key(name) not in every_name, f"{name} should not be an entity"
    if case.get("nothing"):
        assert extraction.entities == []
    if case.get("same"):  # these names are one entity (canonical name and aliases)
        keys = {name_key(n) for n in case["same"]}
        holders = [
            node
            for node in extraction.entities
            if keys & {name_key(n) for n in (node.name, *node.aliases)}
        ]
        assert len(holders) == 1, f"{case['same']} split over {[n.name for n in holders]}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extract_entities_mentions_point_into_text(extractor: Extractor, case: dict) -> None:
    article = Article(title="", text=case["text"], file="case.txt")
    extraction = extractor(article)
    ids = {node.id for node in extraction.entities}
    for entity_id, mentions in extraction.mentions.items():
        assert entity_id in ids
        for m in mentions:
            assert 0 <= m.start < m.end <= len(article.text)
            assert m.sentence and article.text[m.start : m.end] in m.sentence


def test_extract_entities_kinds_are_vocabulary(extractor: Extractor) -> None:
    for case in CASES:
        for node in extractor(Article(title="", text=case["text"], file="c")).entities:
            assert node.kind is None or node.kind in KINDS[node.label], (node.name, node.kind)


def test_extract_entities_place_properties(extractor: Extractor) -> None:
    # places named on their own (inside a body's name they are no mentions of their own)
    text = "活动在北京市朝阳区举行,副局长张明出席。座谈会在长春市朝阳区永昌街道召开。"
    nodes = extractor(Article(title="", text=text, file="c")).entities
    places = {n.name: n for n in nodes if n.label == Label.PLACE}
    beijing = places["北京市朝阳区"]
    assert beijing.properties["adcode"] == "110105"
    assert beijing.properties["parent"] == "北京市"
    assert 39 < beijing.properties["lat"] < 41 and 116 < beijing.properties["lon"] < 117
    changchun = places["长春市朝阳区"]
    assert changchun.properties["adcode"] == "220104"
    assert places["永昌街道"].properties["level"] == "street"


def test_extract_entities_event_date_iso_when_year_known(extractor: Extractor) -> None:
    text = "2023年5月12日,杭州市西湖区社会工作联合会成立大会在西湖区文化中心举行。"
    events = [
        n
        for n in extractor(Article(title="", text=text, file="c")).entities
        if n.label == Label.EVENT
    ]
    assert [e.properties.get("date") for e in events] == ["2023-05-12"]
    text = "12月5日,广州市越秀区举办越秀区社会工作联合会成立大会。"
    events = [
        n
        for n in extractor(Article(title="", text=text, file="c")).entities
        if n.label == Label.EVENT
    ]
    assert [e.properties.get("date") for e in events] == ["12-05"]


def test_extract_entities_outlet_named_by_a_short_form_is_the_body(extractor: Extractor) -> None:
    article = Article(
        title="", text="中共益阳市赫山区委社会工作部揭牌成立。", file="c", source="区委社工部"
    )
    extraction = extractor(article)
    orgs = {n.name: n for n in extraction.entities if n.label == Label.ORGANISATION}
    assert "区委社工部" not in orgs
    body = orgs["中共益阳市赫山区委社会工作部"]
    reported = [r for r in extraction.relations if r.type.value == "REPORTED_BY"]
    assert [r.target_id for r in reported] == [body.id]

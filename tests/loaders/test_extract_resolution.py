"""In-article and cross-article resolution: short forms, ambiguous places, merging."""

from __future__ import annotations

import pytest
from shegong.loaders.extract import Extractor
from shegong.loaders.ingest import normalise
from shegong.loaders.resolve import Resolver
from shegong.schema import Article, Extraction, Label, Node, name_key


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _extract(extractor: Extractor, text: str, title: str = "") -> Extraction:
    return extractor(Article(title=title, text=text, file="case.txt"))


def _named(extraction: Extraction, label: Label, name: str) -> Node:
    for node in extraction.entities:
        if node.label == label and name_key(node.name) == name_key(name):
            return node
    names = sorted(n.name for n in extraction.entities if n.label == label)
    raise AssertionError(f"{label.value} {name} not among {names}")


def _surfaces(extraction: Extraction, node: Node) -> list[str]:
    return [m.text for m in extraction.mentions.get(node.id, [])]


@pytest.mark.parametrize(
    ("text", "label", "canonical", "short"),
    [
        (
            "许昌市民政局党组成员、副局长时少伟指出,在省民政厅的指导帮助下,工作顺利推进。",
            Label.ORGANISATION,
            "河南省民政厅",
            "省民政厅",
        ),
        (
            "当天,广州市越秀区举办活动。在市委社会工作部和市民政局的指导下,越秀区委社会工作部和区民政局坚持党建引领。",
            Label.ORGANISATION,
            "越秀区民政局",
            "区民政局",
        ),
        (
            "当天,广州市越秀区举办活动。在市委社会工作部和市民政局的指导下,越秀区委社会工作部和区民政局坚持党建引领。",
            Label.ORGANISATION,
            "广州市民政局",
            "市民政局",
        ),
        (
            "广州市越秀区举办越秀区社会工作联合会成立大会。成立大会上,越秀区为联合会第一届班子成员授牌。",
            Label.ORGANISATION,
            "越秀区社会工作联合会",
            "联合会",
        ),
        (
            "河南省民政厅印发《河南省“十四五”民政事业发展规划》(以下简称《规划》)。《规划》提出,到2025年全覆盖。",
            Label.POLICY,
            "河南省“十四五”民政事业发展规划",
            "规划",
        ),
        (
            "2月21日,吉林省民政厅二级巡视员尤慧林、慈善社工处处长慕殿学一行调研。",
            Label.ORGANISATION,
            "吉林省民政厅慈善社工处",
            "慈善社工处",
        ),
        (
            "12 月 4 日,上海开放大学与杨浦区社会工作战略合作启动仪式举行。上海开放大学党委书记闵辉在启动仪式致辞中表示,要支持开放大学发展。",
            Label.EVENT,
            "上海开放大学与杨浦区社会工作战略合作启动仪式",
            "启动仪式",
        ),
    ],
    ids=[
        "province-bureau",
        "district-bureau",
        "city-bureau",
        "association",
        "policy-short",
        "unit-after-body",
        "bare-event",
    ],
)
def test_extract_resolution_short_forms(
    extractor: Extractor, text: str, label: Label, canonical: str, short: str
) -> None:
    extraction = _extract(extractor, text)
    node = _named(extraction, label, canonical)
    assert short in _surfaces(extraction, node)
    # the short form is never an entity of its own
    assert all(name_key(n.name) != name_key(short) for n in extraction.entities)


def test_extract_resolution_unresolvable_short_form_is_dropped(extractor: Extractor) -> None:
    extraction = _extract(extractor, "会议要求,市民政局要加强指导。")
    assert extraction.entities == []


def test_extract_resolution_fullest_form_is_canonical(extractor: Extractor) -> None:
    text = "广州市越秀区社会工作联合会成立大会举行。越秀区社会工作联合会将发挥作用。"
    extraction = _extract(extractor, text)
    orgs = [n for n in extraction.entities if n.label == Label.ORGANISATION]
    assert [n.name for n in orgs] == ["广州市越秀区社会工作联合会"]
    assert "越秀区社会工作联合会" in orgs[0].aliases


def test_extract_resolution_ambiguous_place_has_no_adcode(extractor: Extractor) -> None:
    alone = _named(_extract(extractor, "活动在朝阳区举行。"), Label.PLACE, "朝阳区")
    assert "adcode" not in alone.properties
    placed = _extract(extractor, "座谈会在长春市朝阳区永昌街道召开。长春市社工协会参加。")
    node = _named(placed, Label.PLACE, "长春市朝阳区")
    assert node.properties["adcode"] == "220104"


def test_extract_resolution_traditional_source(extractor: Extractor) -> None:
    text = normalise("3月14日,青海省民政廳在西寧市舉辦了啟動儀式。")
    extraction = _extract(extractor, text)
    _named(extraction, Label.ORGANISATION, "青海省民政厅")
    _named(extraction, Label.PLACE, "西宁市")


def test_resolver_merges_across_articles(extractor: Extractor) -> None:
    first = _extract(extractor, "广州市越秀区社会工作联合会成立。", title="一")
    second = _extract(extractor, "越秀区社会工作联合会会长吴娟表示,要做好服务。", title="二")
    resolver = Resolver()
    a, b = resolver(first), resolver(second)
    full = _named(a, Label.ORGANISATION, "广州市越秀区社会工作联合会")
    assert [n.id for n in b.entities if n.label == Label.ORGANISATION] == [full.id]
    assert full.id in b.mentions
    assert all(r.source_id != r.target_id for r in b.relations)


def test_resolver_longer_name_is_an_index_lookup() -> None:
    """What follows a prefix made only of places is filed under the longer name; a
    prefix that is not only places (or a tail under five characters) is not."""
    from shegong.loaders.resolve import shorter_names

    tails = shorter_names("广州市越秀区社会工作联合会")
    assert {"越秀区社会工作联合会", "社会工作联合会"} <= set(tails)
    assert all(len(t) >= 5 and "广州市越秀区社会工作联合会".endswith(t) for t in tails)
    assert "会工作联合会" not in tails  # 广州市越秀区社 is not made only of places
    assert shorter_names("中国社会工作联合会") == []
    assert shorter_names("广州市社工站") == []  # 社工站: under five characters


def test_resolver_pipe_is_the_calls_in_order(extractor: Extractor, tmp_path) -> None:
    """``pipe`` (one store lookup for a group) resolves as calling it article by article."""
    embedded = pytest.importorskip("shegong.graph.embedded")
    store = embedded.EmbeddedStore(str(tmp_path / "kg.db"))
    try:
        stored = _extract(extractor, "河南省民政厅印发通知。", title="零")
        store.upsert(stored.to_batch())
        texts = [
            ("广州市越秀区社会工作联合会成立。", "一"),
            ("越秀区社会工作联合会会长吴娟表示,要做好服务。", "二"),
            ("河南省民政厅指导越秀区社会工作联合会。", "三"),
        ]
        group = [_extract(extractor, text, title=title) for text, title in texts]
        single = Resolver(store)
        one_by_one = [single(e) for e in group]
        piped = Resolver(store).pipe(group)
        assert [sorted(n.id for n in e.entities) for e in piped] == [
            sorted(n.id for n in e.entities) for e in one_by_one
        ]
        assert [sorted(r.id for r in e.relations) for e in piped] == [
            sorted(r.id for r in e.relations) for e in one_by_one
        ]
        henan = _named(stored, Label.ORGANISATION, "河南省民政厅")
        assert henan.id in {n.id for n in piped[2].entities}
    finally:
        store.close()


def test_resolver_forgets_what_is_stored_and_resolves_the_same(
    extractor: Extractor, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a store, only the SEEN_LIMIT entities seen last stay in memory: an older one
    is found in the store (rule 1), a longer name through its id (rule 3), so a load
    resolves as with no limit."""
    from shegong.graph.embedded import EmbeddedStore
    from shegong.loaders import resolve

    texts = [
        ("广州市越秀区社会工作联合会成立,河南省民政厅副厅长张明出席。", "一"),
        ("许昌市社会工作行业协会成立,李伟当选会长。", "二"),
        ("海南省社会工作联合会向琼海市捐赠物资。", "三"),
        ("越秀区社会工作联合会会长吴娟表示,要做好服务。", "四"),
        ("河南省民政厅指导许昌市社会工作行业协会,张明讲话。", "五"),
    ]
    group = [_extract(extractor, text, title=title) for text, title in texts]

    def load(limit: int) -> tuple[list[list[str]], int]:
        monkeypatch.setattr(resolve, "SEEN_LIMIT", limit)
        store = EmbeddedStore(str(tmp_path / f"kg-{limit}.db"))
        try:
            resolver = Resolver(store)
            out = []
            for extraction in group:  # each article written before the next, as a load does
                resolved = resolver(extraction)
                store.upsert(resolved.to_batch())
                out.append(sorted(n.id for n in resolved.entities))
            return out, len(resolver._seen)
        finally:
            store.close()

    unbounded, kept = load(10_000)
    bounded, kept_bounded = load(2)
    assert kept > 2 and kept_bounded == 2  # the limit held
    assert bounded == unbounded
    full = _named(group[0], Label.ORGANISATION, "广州市越秀区社会工作联合会")
    assert full.id in bounded[3]  # 越秀区社会工作联合会: rule 3, its node read from the store


def test_resolver_keeps_different_places_apart(extractor: Extractor) -> None:
    beijing = _extract(extractor, "活动在北京市朝阳区举行,副局长张明出席。")
    changchun = _extract(extractor, "座谈会在长春市朝阳区永昌街道召开。")
    resolver = Resolver()
    a, b = resolver(beijing), resolver(changchun)
    ids_a = {n.properties.get("adcode"): n.id for n in a.entities if n.label == Label.PLACE}
    ids_b = {n.properties.get("adcode"): n.id for n in b.entities if n.label == Label.PLACE}
    assert ids_a["110105"] != ids_b["220104"]


def test_resolver_links_to_store_entities(extractor: Extractor, tmp_path) -> None:
    embedded = pytest.importorskip("shegong.graph.embedded")
    store = embedded.EmbeddedStore(str(tmp_path / "kg.db"))
    try:
        first = _extract(extractor, "河南省民政厅印发通知。", title="一")
        store.upsert(first.to_batch())
        node = _named(first, Label.ORGANISATION, "河南省民政厅")
        store.add_alias(node.id, "豫民政厅", editor="test")
        second = _extract(extractor, "豫民政厅", title="二")
        second.entities.append(Node(Label.ORGANISATION, "豫民政厅"))
        resolved = Resolver(store)(second)
        assert node.id in {n.id for n in resolved.entities}
    finally:
        store.close()


def test_resolver_does_not_guess_an_ambiguous_place(extractor: Extractor) -> None:
    resolver = Resolver()
    placed = resolver(_extract(extractor, "座谈会在长春市朝阳区永昌街道召开。", title="一"))
    alone = resolver(_extract(extractor, "活动在朝阳区举行。", title="二"))
    known = _named(placed, Label.PLACE, "长春市朝阳区")
    vague = _named(alone, Label.PLACE, "朝阳区")
    assert vague.id != known.id and "adcode" not in vague.properties


def test_extract_event_date_and_place(extractor: Extractor) -> None:
    text = (
        "今年 12 月 5 日是第 39 个国际志愿者日。当天,广州市越秀区举办越秀区社会工作联合会成立大会。"
        "此外,在人民公园南广场,越秀区开展首届越秀区社会工作志愿服务公益集市。"
    )
    extraction = _extract(extractor, text)
    founding = _named(extraction, Label.EVENT, "越秀区社会工作联合会成立大会")
    assert founding.properties["date"] == "12-05"
    assert founding.properties["place"] == "越秀区"
    market = _named(extraction, Label.EVENT, "首届越秀区社会工作志愿服务公益集市")
    assert market.properties["place"] == "人民公园南广场"
    day = _named(extraction, Label.EVENT, "国际志愿者日")
    assert "place" not in day.properties

"""Event dates get their year from the article; the stated form is kept as date_text."""

from __future__ import annotations

import pytest
from shegong.loaders.extract import Extractor
from shegong.loaders.extract.event_dates import date_events, with_year
from shegong.schema import Article, Label, Node


@pytest.mark.parametrize(
    ("stated", "published", "expected"),
    [
        ("12-03", "2021-12-05", "2021-12-03"),
        ("12-27", "2018-05-13", "2017-12-27"),  # long before publication: last year
        ("06-20", "2018-05-13", "2018-06-20"),  # an announcement a month ahead
        ("2017-08-15", "2017-09-07", "2017-08-15"),  # a stated year wins
        ("02-30", "2021-03-01", "02-30"),  # no such day: kept as stated
        ("12-03", "12-05", "12-03"),  # no year known
        ("12-03", None, "12-03"),
    ],
)
def test_event_date_with_year(stated: str, published: str | None, expected: str) -> None:
    assert with_year(stated, published) == expected


def _event(name: str, date: str) -> Node:
    return Node(Label.EVENT, name, properties={"date": date})


def test_event_dates_from_context_when_the_article_has_no_year() -> None:
    article = Article("某会召开", "2015年11月18日,某会召开。11月20日,某活动举行。", "t.txt")
    events = [_event("某活动", "11-20"), _event("2021年某宣传周", "03-14")]
    date_events(events, article)
    assert [dict(e.properties) for e in events] == [
        {"date": "2015-11-20", "date_text": "11-20"},
        {"date": "2015-03-14", "date_text": "03-14"},  # the article's dated context first
    ]
    undated = Article("某会召开", "11月20日,某活动举行。", "t.txt")
    events = [_event("2021年某宣传周", "03-14"), _event("2019年度某评选", "03-14")]
    date_events(events, undated)
    assert [e.properties["date"] for e in events] == ["2021-03-14", "03-14"]


def test_extractor_event_date_is_iso_with_stated_text() -> None:
    text = "12月4日,某省社会工作联合会在某市举办社会工作主题宣传活动启动仪式。"
    article = Article("某省启动社工宣传活动", text, "t.txt", date="2022-12-06")
    extraction = Extractor()(article)
    dated = [n for n in extraction.entities if n.label is Label.EVENT and "date" in n.properties]
    assert dated, [n.name for n in extraction.entities]
    for node in dated:
        assert node.properties["date"] == "2022-12-04"
        assert node.properties["date_text"] == "12-04"

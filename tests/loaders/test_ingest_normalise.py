"""Normalisation cases as data: input -> expected."""

from __future__ import annotations

import pytest
from shegong.loaders.ingest import normalise
from shegong.loaders.ingest.meta import parse_date, split_outlet

CASES = [
    # pinyin glosses removed, traditional -> simplified
    ("活動(dòng)", "活动"),
    ("社會(huì)", "社会"),
    ("社會(shè huì)工作", "社会工作"),
    ("儿童(értóng)(értóng)关爱", "儿童关爱"),  # a gloss repeated
    ("為貫徹落實(shí)習(xí)近平", "为贯彻落实习近平"),
    # real parentheses and English words in brackets are kept
    ("乡镇(街道)社工站", "乡镇(街道)社工站"),
    ("《云南省民政标准化工作计划(2022—2025年)》", "《云南省民政标准化工作计划(2022—2025年)》"),
    ("社会工作(social work)专业", "社会工作(social work)专业"),
    ("非政府组织(NGO)", "非政府组织(NGO)"),
    ("的(de)", "的(de)"),  # no tone mark: not recognisably pinyin, kept
    # doubled punctuation
    ("精神,,宣传", "精神,宣传"),
    ("平台,。", "平台。"),
    ("启动啦,!", "启动啦!"),
    ("成員,、副廳長", "成员、副厅长"),
    ("等等...", "等等..."),  # an ellipsis is not doubled punctuation
    # NFKC: full-width forms
    ("Ｓｈｅｇｏｎｇ　２０２２，（一）：", "Shegong 2022,(一):"),
    # page furniture lines dropped
    ("正文\n扫一扫在手机端打开当前页\n|\n【大 中 小】 【打印】 |", "正文"),
    ("首页 > 行业发展行业动态 社会工作一周动态\n标题", "标题"),
    ("首页 资讯 正文\n标题", "标题"),
    # editor lines stay (they end an article; the splitter drops them), source URLs go
    (
        "正文。\n责任编辑:段冬蕾\n文章来源:http://trade.swchina.org/trends/2022/1128/42359.shtml",
        "正文。\n责任编辑:段冬蕾",
    ),
    ("掃一掃在手機端打開當前頁\n正文", "正文"),
    # white space: trailing spaces, runs of blank lines, CRLF
    ("  标题  \r\n\r\n\r\n\r\n\r\n\r\n正文\t\t内容  ", "标题\n\n\n\n正文 内容"),
    ("零宽\u200b字符\ufeff", "零宽字符"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_ingest_normalise_cases(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_ingest_normalise_is_idempotent(raw: str, _: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once


OUTLETS = [
    ("……参加活动。(据新华社)", "……参加活动。", "新华社"),
    ("(据《新闻晨报》)", "", "新闻晨报"),
    ('(据"长春朝阳"微信公众号)', "", "长春朝阳微信公众号"),
    ("(据“长春朝阳”微信公众号)", "", "长春朝阳微信公众号"),
    ("(据上游新闻)", "", "上游新闻"),
    ("来源:国家卫健委官网、社工中国网", "", "国家卫健委官网、社工中国网"),
    ("来源:社工中国网 作者:张三", "", "社工中国网"),
    ("(据新华社、人民网)", "", "新华社、人民网"),
    # not outlets
    ("据中国社会工作联合会司法社会工作委员会介绍,本次活动……", None, None),
    ("……认同度。(通讯员刘晓婷)", None, None),
    ("乡镇(街道)社工站建设探究(张皓)", None, None),
]


@pytest.mark.parametrize(("paragraph", "rest", "outlet"), OUTLETS)
def test_ingest_outlet_lines(paragraph: str, rest: str | None, outlet: str | None) -> None:
    assert split_outlet(paragraph) == (paragraph if rest is None else rest, outlet)


DATES = [
    ("2022-11-28", "2022-11-28"),
    ("2022-11-28T08:30:00+08:00", "2022-11-28"),
    ("发布时间:2022年11月8日 10:20", "2022-11-08"),
    ("2021/3/15", "2021-03-15"),
    ("2022.01.05", "2022-01-05"),
    ("12 月 4 日", None),  # no year: not guessed
    ("2022年6月-9月", None),
    ("2022-13-45", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_ingest_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("正文。\n(完)", "正文。"),
        ("正文。\n图片来源:网络", "正文。"),
        ("正文。\n—— 完 ——", "正文。"),
    ],
)
def test_ingest_normalise_trailer_furniture(raw: str, expected: str) -> None:
    assert normalise(raw) == expected

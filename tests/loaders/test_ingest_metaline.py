"""Metadata lines, news leads and outlet values as pages write them (made-up examples)."""

from __future__ import annotations

import pytest
from shegong.loaders.ingest.dates import leading_timestamp, month_day
from shegong.loaders.ingest.leads import Lead, find_lead
from shegong.loaders.ingest.metaline import MetaLine, meta_line
from shegong.loaders.ingest.outlets import complete_outlet, outlet_value

META = [
    ("时间:2021-09-21 04:46:31来源: 某省民政厅", MetaLine("2021-09-21", "某省民政厅")),
    ("发布时间:2022/1/19 | 作者: | 文章来源:某市民政局", MetaLine("2022-01-19", "某市民政局")),
    (
        "发布日期:2020-06-22 14:48 浏览次数: 信息来源:某县民政局",
        MetaLine("2020-06-22", "某县民政局"),
    ),
    ("2020-07-20 09:45:15 来源:某某通", MetaLine("2020-07-20", "某某通")),
    ("2019-11-28 19:22 [来源:某某在线] [责编:某某]", MetaLine("2019-11-28", "某某在线")),
    ("2024-07-04 07:42:23 - 某某日报", MetaLine("2024-07-04", "某某日报")),
    ("某某社工 2017-07-10 09:24 某某网 投稿 打印", MetaLine("2017-07-10", "某某网")),
    ("2012-07-09 01:41:00 来源:某某日报 (某地)", MetaLine("2012-07-09", "某某日报")),
    ("27.12.2016 06:06", MetaLine("2016-12-27")),
    ("2023-02-22", MetaLine("2023-02-22")),
    ("所在地区: 某省-某市 发布日期: 2025年8月6日", MetaLine("2025-08-06")),
    ("编辑: 时间::2017/9/7 15:15:28", MetaLine("2017-09-07")),
    ("时间:2021-09-16来源 : 某某网作者 : 某某 某某", MetaLine("2021-09-16", "某某网")),
    ("来源:某某网发稿时间:2019-04-03浏览次数:241", MetaLine("2019-04-03", "某某网")),
    ("浏览: 来源:某某传媒网", MetaLine(None, "某某传媒网")),
    ("发布机构:某区民政局", MetaLine(None, "某区民政局")),
    ("2021-04-09 09:52:50来源:网络", MetaLine("2021-04-09")),  # 网络 names no outlet
    ("来源:网络", MetaLine()),  # a source line all the same: it closes an article
    ("编辑:某某 审编:某某", MetaLine(closes=True)),
    ("【纠错】 责任编辑: 某某", MetaLine(closes=True)),
    ("【责任编辑:某某】", MetaLine(closes=True)),
    # not metadata
    ("作者:某某", None),
    ("浏览次数:241", None),
    ("活动时间:5月1日", None),
    ("时间:5月1日上午9:00", None),
    ("2021年5月1日,志愿者在社区开展活动", None),
    ("2021年5月1日,某区召开会议。会议要求……", None),
    ("社考 发表于 2024-8-26 12:09", None),
]


@pytest.mark.parametrize(("line", "expected"), META)
def test_ingest_meta_line(line: str, expected: MetaLine | None) -> None:
    assert meta_line(line) == expected


LEADS = [
    ("某某在线11月28日讯(通讯员 某某)为推进……", Lead("某某在线", "11-28")),
    ("新华社某地3月12日电(记者某某)记者从……", Lead("新华社", "03-12")),
    ("某某网3月25日消息 3月17日是……", Lead("某某网", "03-25")),
    ("某某网消息:5月13日下午,……", Lead("某某网", None)),
    ("某某网-某某客户端讯(通讯员 某某)……", Lead("某某网-某某客户端", None)),
    ("某某网·某某新闻记者 某某 通讯员 某某 某地报道", Lead("某某网·某某新闻", None)),
    ("本报讯 (记者 某某) 近日,……", Lead(None, None)),
    ("某某广电·爱某某3月20日讯今天,……", Lead("某某广电·爱某某", "03-20")),
    ("某某公益报(李某某)冬至,……", Lead("某某公益报", None)),
    ("某某晚报讯(通讯员 某某 记者 某某)昨天上午,……", Lead("某某晚报", None)),
    ("本网讯9月28日下午,……", Lead(None, None)),
    ("本报某地5月3日电 记者……", Lead(None, "05-03")),
    # a cited source: names the outlet, but is no dateline (opens no article)
    ("据某某社报道,近日……", Lead("某某社", None, dateline=False)),
    ("据某某日报5月3日消息,……", Lead("某某日报", None, dateline=False)),
    # not leads
    ("据悉,……", None),
    ("某市民政局人事(社工)处副处长某某指出,……", None),
    ("某某合作社(以下简称合作社)成立于……", None),
    ("据某某协会介绍,……", None),
    ("今年5月1日电话回访了部分老人。", None),
    ("民政资讯中心发布了……", None),
    ("为推进基层社会工作服务,某区……", None),
]


@pytest.mark.parametrize(("text", "expected"), LEADS)
def test_ingest_lead(text: str, expected: Lead | None) -> None:
    assert find_lead(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("某某日报 (某地)", "某某日报"),
        ("国家某某委官网、某某网", "国家某某委官网、某某网"),
        ("张某某", None),  # a person
        ("王某", None),
        ("本站", None),
        ("网络", None),
        ("https://www.example.org/a.html", None),
        ("", None),
        ("新华社", "新华社"),  # 3 characters, but an outlet's ending
    ],
)
def test_ingest_outlet_value(value: str, expected: str | None) -> None:
    assert outlet_value(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月3日至4日,某会议召开", "12-03"),
        ("截至8月11日,共接收捐款", None),
        ("截至8月11日,共接收捐款。8月12日,物资送达", "08-12"),
        ("今年 12 月 5 日是国际志愿者日", "12-05"),
        ("2015年11月18日,某会捐助", None),  # a full date is no month-day
        ("近日,某会捐助", None),
    ],
)
def test_ingest_month_day(text: str, expected: str | None) -> None:
    assert month_day(text) == expected


def test_ingest_leading_timestamp() -> None:
    assert leading_timestamp("2019-11-28 19:22 来源") == ("2019-11-28", 16)
    assert leading_timestamp("27.12.2016 06:06") == ("2016-12-27", 16)
    assert leading_timestamp("2022-13-45") is None
    assert leading_timestamp("来源 2019-11-28") is None


@pytest.mark.parametrize(
    ("outlet", "text", "expected"),
    [
        (
            "市民政局",
            "近日,某甲市民政局来访。会上,某乙市民政局介绍……(某乙市民政局)",
            "某乙市民政局",
        ),
        (
            "某某联合会",
            "在指导下,某省某市某某区某某联合会召开会议。某某联合会表示……",
            "某省某市某某区某某联合会",
        ),
        ("市民政局", "会议要求各市民政局抓好落实。", "市民政局"),  # 各 is no place
        ("某某日报", "某某日报记者获悉……", "某某日报"),
    ],
)
def test_ingest_complete_outlet(outlet: str, text: str, expected: str) -> None:
    assert complete_outlet(outlet, text) == expected

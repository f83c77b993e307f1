"""Digests (several articles one after another) split into their articles, each with its
title, outlet and date. The texts are made up; each shows one way real pages write a
headline's dateline, source line, lead or editor line."""

from __future__ import annotations

import pytest
from shegong.loaders.ingest import normalise
from shegong.loaders.ingest.split import split_articles

BODY = "为推进基层社会工作服务,某区民政局组织召开社工站建设推进会,各街道负责人参会。"
MORE = "会议要求,各街道要进一步完善社工站运行机制,提升专业服务水平,更好服务困难群众。"


def _articles(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(a.title, a.source, a.date) for a in split_articles(normalise(text), "t.txt")]


# (first article's lines, second article's lines, expected (title, source, date) of both)
DIGESTS = [
    (  # 时间:…来源: glued together, editor line ending the first article
        [
            "某区召开社工站建设推进会",
            "时间:2021-09-21 04:46:31来源: 某省民政厅",
            BODY,
            MORE,
            "编辑:王某 审核:李某",
        ],
        ["某市新建一批社工服务站点", "时间:2021-09-23 10:00:00来源: 某市民政局", BODY],
        [
            ("某区召开社工站建设推进会", "某省民政厅", "2021-09-21"),
            ("某市新建一批社工服务站点", "某市民政局", "2021-09-23"),
        ],
    ),
    (  # timestamp first, traditional script, 新华社…电 lead (the 来源 line wins)
        [
            "某區社工站正式揭牌",
            "2020-03-12 20:39:46 來源: 新華網",
            "新華社某地3月12日電(記者某某)" + BODY,
            MORE,
        ],
        ["某县启动困境儿童关爱项目", "2020-03-15 09:10 来源:某日报", BODY],
        [
            ("某区社工站正式揭牌", "新华网", "2020-03-12"),
            ("某县启动困境儿童关爱项目", "某日报", "2020-03-15"),
        ],
    ),
    (  # 发布时间 | 作者 | 文章来源 fields, then 日期: after the source
        ["某街道举办社工节活动", "发布时间:2022/1/19 | 作者: | 文章来源:某区民政局", BODY],
        ["某协会召开第二次会员大会", "来源: 某社会工作协会 日期: 2022-02-03 08:00:00", BODY],
        [
            ("某街道举办社工节活动", "某区民政局", "2022-01-19"),
            ("某协会召开第二次会员大会", "某社会工作协会", "2022-02-03"),
        ],
    ),
    (  # bracketed fields, and a bare outlet after the timestamp
        ["某市社工站观摩会举行", "2019-11-28 19:22 [来源:某某在线] [责编:某某]", BODY],
        ["某县社工人才培训班开班", "2019-12-02 07:42:23 - 某某晚报", BODY],
        [
            ("某市社工站观摩会举行", "某某在线", "2019-11-28"),
            ("某县社工人才培训班开班", "某某晚报", "2019-12-02"),
        ],
    ),
    (  # 本报讯 lead with no dateline: a byline-less digest; the second has 本报X月X日电
        ["某市社工站实现全覆盖", "本报讯(记者 某某)近日," + BODY, MORE, "责任编辑:某某"],
        ["某省表彰优秀社会工作者", "本报某地5月3日电 " + BODY],
        [("某市社工站实现全覆盖", None, None), ("某省表彰优秀社会工作者", None, "05-03")],
    ),
    (  # X讯 and X消息: leads naming the outlet
        ["某镇社工站开展敬老活动", "某某新闻网11月28日讯(通讯员 某某)" + BODY, MORE],
        ["某市慈善会开展助学活动", "某某网消息:9月1日," + BODY],
        [
            ("某镇社工站开展敬老活动", "某某新闻网", "11-28"),
            ("某市慈善会开展助学活动", "某某网", "09-01"),
        ],
    ),
    (  # no dateline at all: the second headline is restated by a lead opening with a day
        ["某区社会组织联合会召开理事会议", "发布日期:2018-05-13", BODY, MORE],
        [
            "某市社会工作行业党委成立",
            "11月6日,某市社会工作行业党委成立大会在市民中心召开,全市社工机构党员代表参会。",
        ],
        [
            ("某区社会组织联合会召开理事会议", None, "2018-05-13"),
            ("某市社会工作行业党委成立", None, "11-06"),
        ],
    ),
    (  # day-first dateline, and a source field naming a person (no outlet)
        ["某省社会工作推进会议召开", "27.12.2016 06:06", BODY],
        ["某校新增社会工作专业", "来源:张某某发稿时间:2019-04-03浏览次数:241", BODY],
        [
            ("某省社会工作推进会议召开", None, "2016-12-27"),
            ("某校新增社会工作专业", None, "2019-04-03"),
        ],
    ),
]


@pytest.mark.parametrize(("first", "second", "expected"), DIGESTS)
def test_ingest_digest_articles(first: list[str], second: list[str], expected: list) -> None:
    text = "\n\n".join(first + second)
    assert _articles(text) == expected


def test_ingest_headline_with_a_source_line_but_no_date() -> None:
    first = ["某区召开社工站建设推进会", "发布时间:2021-09-21 来源:某区民政局", BODY, MORE]
    second = ["某县启动困境儿童关爱项目", "浏览: 来源:某县融媒体中心", BODY]
    assert _articles("\n".join(first + second)) == [
        ("某区召开社工站建设推进会", "某区民政局", "2021-09-21"),
        ("某县启动困境儿童关爱项目", "某县融媒体中心", None),
    ]
    # a caption before an article's closing (据…) note stays in that article
    closing = [
        "某区召开社工站建设推进会",
        BODY,
        "活动现场",
        "(据某某日报)",
        "某县启动困境儿童关爱项目",
        BODY,
    ]
    assert [(t, s) for t, s, _ in _articles("\n".join(closing))] == [
        ("某区召开社工站建设推进会", "某某日报"),
        ("某县启动困境儿童关爱项目", None),
    ]


def test_ingest_restated_headline_after_a_purpose_clause() -> None:
    text = "\n".join(
        [
            "某区召开社工站建设推进会",
            "发布日期:2021-09-21",
            BODY,
            MORE,
            "某市社会工作行业协会成立",
            "为凝聚行业力量,3月2日,某市社会工作行业协会成立大会召开,会员代表参会。",
        ]
    )
    assert [t for t, _, _ in _articles(text)] == [
        "某区召开社工站建设推进会",
        "某市社会工作行业协会成立",
    ]


def test_ingest_cited_source_names_the_outlet_but_opens_nothing() -> None:
    text = "\n".join(
        [
            "某区召开社工站建设推进会",
            "据某某日报报道," + BODY,
            "某项工作进展",
            "据某某网报道," + MORE,
        ]
    )
    ((title, source, _),) = _articles(text)
    assert (title, source) == ("某区召开社工站建设推进会", "某某日报")


def test_ingest_editor_line_closes_the_article_as_its_last_line() -> None:
    # editors in bylines are persons of the graph (annotation guidelines): the line that
    # names them ends the article and is kept as its last line
    text = "\n".join(["某区召开社工站建设推进会", BODY, "【纠错】 责任编辑: 某某"])
    (article,) = split_articles(normalise(text), "t.txt")
    assert article.text.splitlines()[-1].endswith("责任编辑: 某某")
    assert article.text.count("编辑") == 1


def test_ingest_subheading_is_no_new_article() -> None:
    # a subheading followed by text that develops it, not by a lead: one article
    text = "\n".join(
        ["某区召开社工站建设推进会", "发布时间:2021-09-21", BODY, "强化队伍建设", MORE]
    )
    ((title, _, date),) = _articles(text)
    assert (title, date) == ("某区召开社工站建设推进会", "2021-09-21")


def test_ingest_caption_then_lead_under_one_dateline() -> None:
    # headline, dateline, a caption-like line, then the lead: the caption is no headline
    text = "\n".join(
        [
            "某市开展社工站现场观摩会",
            "2019-11-28 19:22 来源:某某在线",
            "某市社工站观摩交流活动",
            "某某在线11月28日讯(通讯员 某某)" + BODY,
        ]
    )
    ((title, source, date),) = _articles(text)
    assert (title, source, date) == ("某市开展社工站现场观摩会", "某某在线", "2019-11-28")


def test_ingest_date_in_a_notice_is_no_dateline() -> None:
    # 时间: with no full date, inside a notice, stays text and opens nothing
    text = "\n".join(["某协会关于举办培训班的通知", BODY, "时间:5月1日上午9:00", MORE])
    (article,) = split_articles(normalise(text), "t.txt")
    assert "时间:5月1日上午9:00" in article.text


LINKS = [
    "相关新闻",
    "某市社工站建设观摩会举行",
    "2021-09-01",
    "某县启动社工宣传周活动",
    "2021-08-20",
]
FOOTER = (
    "本站部分信息由相应主体自行提供,其真实性、准确性和合法性由该主体负责,本站不承担任何保证责任。"
)


def test_ingest_link_list_and_footer_open_no_article() -> None:
    text = "\n".join(
        ["某区召开社工站建设推进会", "发布时间:2021-09-21 来源:某区民政局", BODY, MORE]
    )
    assert [t for t, _, _ in _articles("\n".join([text, *LINKS, FOOTER]))] == [
        "某区召开社工站建设推进会"
    ]
    after = ["某镇社工站开展敬老活动", "2021-09-25 来源:某县民政局", "9月24日," + BODY]
    assert [t for t, _, _ in _articles("\n".join([text, *LINKS, *after]))] == [
        "某区召开社工站建设推进会",
        "某镇社工站开展敬老活动",
    ]


def test_ingest_notice_time_line_opens_no_article() -> None:
    text = "\n".join(
        ["某协会关于举办社工培训班的通知", BODY, "报名时间及方式", "时间:2021年5月1日上午9点", MORE]
    )
    ((title, _, _),) = _articles(text)
    assert title == "某协会关于举办社工培训班的通知"


def test_ingest_byline_and_breadcrumb_are_no_titles() -> None:
    first = ["某区召开社工站建设推进会", "发布时间:2021-09-21", BODY, MORE]
    second = [
        "某市社工站与社区治理论坛举行",
        "某某网 >> 新闻频道 >> 本地新闻",
        "某某网·某某新闻记者 某某 通讯员 某某 某地报道",
        "3月19日上午,某市社工站与社区治理论坛在某区举行,各方代表参会。",
    ]
    assert _articles("\n".join(first + second)) == [
        ("某区召开社工站建设推进会", None, "2021-09-21"),
        ("某市社工站与社区治理论坛举行", "某某网·某某新闻", "03-19"),
    ]


def test_ingest_captions_of_the_article_before_are_no_title() -> None:
    # captions ending one article, then the next headline and a lead echoing it
    text = "\n".join(
        [
            "某区召开社工站建设推进会",
            BODY,
            MORE,
            "\n\n某区社工站揭牌",
            "某省首家儿童社会工作中心成立",
            "为完善儿童保护,7月11日,某省首家儿童社会工作中心在某市成立。",
        ]
    )
    assert [t for t, _, _ in _articles(text)] == [
        "某区召开社工站建设推进会",
        "某省首家儿童社会工作中心成立",
    ]


def test_ingest_unclosed_quote_does_not_swallow_the_next_headline() -> None:
    text = "\n\n".join(
        [
            "某区召开社工站建设推进会",
            "发布时间:2021-09-21",
            "会议强调,“要把社工站建好用好。",
            "某县启动困境儿童关爱项目",
            "2021-09-25 来源:某县民政局",
            BODY,
        ]
    )
    assert [t for t, _, _ in _articles(text)] == [
        "某区召开社工站建设推进会",
        "某县启动困境儿童关爱项目",
    ]


def test_ingest_json_record_reads_lead_and_day_like_split_articles() -> None:
    from shegong.loaders.ingest.split import single_article

    article = single_article("某会议召开", "新华社某地3月12日电(记者某某)某会议召开。", "t.json")
    assert (article.source, article.date) == ("新华社", "03-12")
    given = single_article("某会议召开", "3月12日,某会议召开。", "t.json", "某报", "2020-03-13")
    assert (given.source, given.date) == ("某报", "2020-03-13")


def test_ingest_own_dateline_beats_a_date_carried_over() -> None:
    # a signature date ending one article does not date the next, which has its own
    text = "\n".join(
        [
            "某区召开社工站建设推进会",
            BODY,
            "2021年9月1日",
            "某县启动困境儿童关爱项目",
            "发布机构:某县民政局",
            "发布日期:2021-09-25",
            BODY,
        ]
    )
    assert [d for _, _, d in _articles(text)][-1] == "2021-09-25"

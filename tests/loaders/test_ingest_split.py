"""Splitting rules on small texts the sample corpus does not show."""

from __future__ import annotations

from shegong.loaders.ingest import normalise
from shegong.loaders.ingest.split import split_articles

BODY = "为进一步提升服务水平,近日,某市召开社会工作行业协会成立大会,八十余人参会。"


def _split(text: str) -> list[tuple[str, str | None]]:
    return [(a.title, a.source) for a in split_articles(normalise(text), "t.txt")]


def test_ingest_split_numbered_digest_items_without_source_lines() -> None:
    text = "\n".join(
        [
            "一周动态",
            "一、政策参考",
            "1.某省发布社工站建设方案",
            BODY,
            "2、某市出台社工人才激励办法",
            BODY,
            "二、行业动态",
            "1.某协会召开第二次会员大会",
            BODY,
        ]
    )
    assert [t for t, _ in _split(text)] == [
        "某省发布社工站建设方案",
        "某市出台社工人才激励办法",
        "某协会召开第二次会员大会",
    ]


def test_ingest_split_numbered_list_inside_an_article_is_body() -> None:
    text = "\n".join(
        ["某市民政局印发社会工作发展意见", BODY, "1.加强社工站建设", BODY, "2.完善人才激励", BODY]
    )
    ((title, _),) = _split(text)
    assert title == "某市民政局印发社会工作发展意见"


def test_ingest_split_subheadings_and_captions_stay_in_the_article() -> None:
    text = "\n\n".join(
        [
            "某区社会工作联合会成立 打造志愿服务新样板",
            BODY,
            "抓牢党建引领这个主方向",
            BODY,
            "\n\n活动现场",
            BODY,
            "(据新华社)",
        ]
    )
    (article,) = split_articles(normalise(text), "t.txt")
    assert article.title == "某区社会工作联合会成立 打造志愿服务新样板"
    assert article.source == "新华社"
    assert article.text.count(BODY) == 3
    assert "抓牢党建引领这个主方向" in article.text and "活动现场" in article.text


def test_ingest_split_article_without_source_then_caption_then_headline() -> None:
    text = "\n\n".join(
        [
            "甲市社会工作行业协会成立",
            BODY,
            "\n\n甲市社会工作行业协会揭牌",
            "乙省首家社会工作中心成立",
            # the new article's own lead (it echoes its headline, not the caption before)
            "为完善司法保护,近日,乙省首家社会工作中心在某市成立,将提供专业服务。",
            "(据《乙省日报》)",
        ]
    )
    assert _split(text) == [
        ("甲市社会工作行业协会成立", None),
        ("乙省首家社会工作中心成立", "乙省日报"),
    ]


def test_ingest_split_headline_subtitle_and_date_line() -> None:
    text = "\n".join(
        [
            "某省社会工作座谈会召开",
            "某会副会长出席并讲话",
            "发布时间:2023-02-21 来源:某省民政厅",
            BODY,
        ]
    )
    (article,) = split_articles(normalise(text), "t.txt")
    assert article.title == "某省社会工作座谈会召开"
    assert article.date == "2023-02-21"
    assert article.source == "某省民政厅"
    assert article.text.startswith("某会副会长出席并讲话\n")
    assert "发布时间" not in article.text


def test_ingest_split_date_with_year_in_first_line() -> None:
    text = "某市社工周启动\n2021年3月15日,某市社工周启动仪式举行。"
    assert split_articles(normalise(text), "t.txt")[0].date == "2021-03-15"
    # no year: the event's day as stated (the gold's decision), never a guessed year
    undated = "某市社工周启动\n3月15日,某市社工周启动仪式举行。"
    assert split_articles(normalise(undated), "t.txt")[0].date == "03-15"
    vague = "某市社工周启动\n近日,某市社工周启动仪式举行。"
    assert split_articles(normalise(vague), "t.txt")[0].date is None


def test_ingest_split_text_without_headline_and_short_footer_after_source() -> None:
    text = "\n".join([BODY, "(据新华社)", "版权所有,转载请注明出处。"])
    ((title, source),) = _split(text)
    assert title == "为进一步提升服务水平,近日,某市召开社会工作行业协会成立大会,八十余人参会"
    assert source == "新华社"


def test_ingest_split_short_list_lines_do_not_start_articles() -> None:
    listed = "\n\n".join(
        [
            "某市启动社工宣传周",
            BODY,
            "宣传周包括以下内容:",
            "社工服务进社区活动",
            "社工知识竞赛活动",
            BODY,
        ]
    )
    bullets = "\n".join(
        ["某市启动社工宣传周", BODY, "\n\n• 社工服务进社区活动", "• 社工知识竞赛活动", BODY]
    )
    no_gap = "\n".join(["某市启动社工宣传周", BODY, "社工服务进社区活动", "社工知识竞赛活动", BODY])
    for text in (listed, bullets, no_gap):
        (article,) = split_articles(normalise(text), "t.txt")
        assert "社工知识竞赛活动" in article.text

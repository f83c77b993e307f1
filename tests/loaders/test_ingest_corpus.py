"""Ingest of the bundled sample corpus (data/articles): counts, titles, sources, cleanliness."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from shegong.loaders.ingest import ingest_file, ingest_paths, normalise

CORPUS = Path(__file__).resolve().parents[2] / "data" / "articles"

COUNTS = {
    "000_c77731aa6780b8e4.txt": 3,
    "001_15155fc0929d2e77.txt": 3,
    "002_7d5252cfcdcde4ba.txt": 12,
    "003_7eafb0b8637f852a.txt": 1,
    "004_fd70191629ecb1ee.txt": 2,
}

# From ../shared/gold/*.json "articles" (title, source).
GOLD = {
    "000_c77731aa6780b8e4.txt": [
        ("海南省社会工作联合会 获赠 300 万张“法治保障卡”", "新华社"),
        ("上海:杨浦区社会工作研究中心、杨浦区社会工作人才培养基地揭牌", "新闻晨报"),
        ("广州市越秀区社会工作联合会成立 打造“社工+志愿”队伍体系新样板", "信息时报"),
    ],
    "004_fd70191629ecb1ee.txt": [
        ("吉林省社会工作座谈会召开", "长春朝阳微信公众号"),
        ("《河南省“十四五”民政事业发展规划》出台 大力发展社会工作", "民政部官网"),
    ],
}

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


@pytest.mark.parametrize(("name", "count"), sorted(COUNTS.items()))
def test_ingest_corpus_article_counts(name: str, count: int) -> None:
    assert len(ingest_file(CORPUS / name)) == count


@pytest.mark.parametrize("name", sorted(GOLD))
def test_ingest_corpus_titles_and_sources_match_gold(name: str) -> None:
    articles = ingest_file(CORPUS / name)
    assert [(a.title, a.source) for a in articles] == GOLD[name]


def test_ingest_corpus_digest_items_are_titled_without_numbers() -> None:
    articles = ingest_file(CORPUS / "002_7d5252cfcdcde4ba.txt")
    titles = [a.title for a in articles]
    assert titles[0] == "联防联控机制连发四个重要文件 明确提供心理援助与社会工作服务"
    assert "黑龙江省公开征求开展特困老人探访关爱服务实施方案意见" in titles
    assert "2168人取得2022年度社会工作者资格证 济南迈入万名社工时代" in titles
    assert titles[-1] == "社会治理视域下的乡镇(街道)社工站建设探究(张皓)"
    assert not any(re.match(r"\d+[.、]", t) for t in titles)
    assert articles[0].source == "国家卫健委官网、社工中国网"
    # a paper's abstract ending in its journal citation: (河北青年管理干部学院学报. 2022,34(06))
    assert articles[-1].source == "河北青年管理干部学院学报"
    assert "学院学报" not in articles[-1].text
    # section heads, breadcrumb and editor lines belong to no article
    for article in articles:
        for junk in ("一、政策参考", "中央政策", "责任编辑", "首页 >", "来源:", "文章来源"):
            assert junk not in article.text


def test_ingest_corpus_file_003_has_no_traditional_or_pinyin_left() -> None:
    (article,) = ingest_file(CORPUS / "003_7eafb0b8637f852a.txt")
    t2s = opencc.OpenCC("t2s")
    for text in (article.title, article.text):
        assert t2s.convert(text) == text
        assert not re.search(rf"\([a-z{TONED}]+\)", text)
        assert not any(ch in TONED for ch in text)
        assert ",," not in text and ",。" not in text and ",、" not in text
    assert article.title == "各地社工主题宣传活动启动啦!"
    assert "青海省民政厅党组成员、副厅长杨凤欣" in article.text


def test_ingest_corpus_captions_and_subheadings_stay_in_their_article() -> None:
    first, _, third = ingest_file(CORPUS / "000_c77731aa6780b8e4.txt")
    assert "捐赠活动现场" in first.text
    assert "抓牢党建引领这个主方向 发挥组织动员优势" in third.text
    # the caption after the last source line opens nothing
    assert not third.text.endswith("广州市越秀区社会工作联合会成立大会")
    xuchang, shanxi, _ = ingest_file(CORPUS / "001_15155fc0929d2e77.txt")
    assert xuchang.text.endswith("许昌市社会工作行业协会揭牌")
    assert shanxi.title == "山西省首家未成年人审判社会工作中心成立"


def test_ingest_corpus_page_broken_lines_are_rejoined() -> None:
    texts = {a.title: a.text for a in ingest_file(CORPUS / "000_c77731aa6780b8e4.txt")}
    joined = "\n".join(texts.values())
    assert "详细介绍了法治社保公益普法平台和“法治保障卡”的功能。" in joined
    assert "建设高素质的信访工作队伍" in joined
    assert "社工专业领域志愿服务分队+18 支街道" in joined
    henan = ingest_file(CORPUS / "004_fd70191629ecb1ee.txt")[1]
    assert "实施“社会工作服务民生兜底保障工程”" in henan.text
    assert "社会工作服务机构县(市、区)全覆盖" in henan.text


def test_ingest_corpus_outlet_lines_are_cut_from_the_body() -> None:
    for name in COUNTS:
        for article in ingest_file(CORPUS / name):
            assert "(据" not in article.text
            assert not article.text.startswith(article.title)
            assert article.text.strip() == article.text and article.text


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_ingest_corpus_offsets_point_into_the_normalised_file(name: str) -> None:
    text = normalise((CORPUS / name).read_text(encoding="utf-8"))
    articles = ingest_file(CORPUS / name)
    previous_end = 0
    for article in articles:
        assert previous_end <= article.start < article.end <= len(text)
        span = text[article.start : article.end]
        assert span.startswith(article.title.split(" ")[0]) or article.title in span
        # every body paragraph comes from inside the article's span
        for paragraph in article.text.split("\n"):
            assert paragraph[:8] in span
        previous_end = article.end


def test_ingest_corpus_directory_gives_every_file_in_order_and_is_deterministic() -> None:
    first = list(ingest_paths([CORPUS]))
    second = list(ingest_paths([CORPUS]))
    assert [Path(r.path).name for r in first] == sorted(COUNTS)
    assert all(r.error is None for r in first)
    assert [len(r.articles) for r in first] == [COUNTS[n] for n in sorted(COUNTS)]
    assert [a.id for r in first for a in r.articles] == [a.id for r in second for a in r.articles]
    assert len({a.id for r in first for a in r.articles}) == sum(COUNTS.values())


def test_ingest_corpus_article_dates_are_the_stated_event_days() -> None:
    # the sample pages show no publication date and no year: each article's date is its
    # main event's day as stated (the gold's decision), MM-DD, never a guessed year
    dates = {
        name: [a.date for a in ingest_file(CORPUS / name)]
        for name in ("000_c77731aa6780b8e4.txt", "004_fd70191629ecb1ee.txt")
    }
    assert dates["000_c77731aa6780b8e4.txt"] == ["12-04", "12-04", "12-05"]
    # (the sample gold has null for the first: it was annotated before that decision)
    assert dates["004_fd70191629ecb1ee.txt"] == ["02-21", None]

"""Input formats: encodings, .json / .jsonl records, HTML pages, directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shegong.loaders.ingest import ingest_file, ingest_paths

ARTICLE = (
    "吉林省社会工作座谈会召开\n\n"
    "2月21日,中国社会工作联合会副会长乔恒一行调研長春市朝陽區永昌街道社工站建設情況。\n\n"
    "(据“长春朝阳”微信公众号)\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_ingest_formats_txt_encodings_decode(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    (article,) = ingest_file(path)
    assert article.title == "吉林省社会工作座谈会召开"
    assert "长春市朝阳区永昌街道社工站建设情况" in article.text  # traditional -> simplified
    assert article.source == "长春朝阳微信公众号"
    assert article.file == path.name
    assert not article.title.startswith("\ufeff")


def test_ingest_formats_gbk_and_utf8_give_the_same_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("gbk"))
    (tmp_path / "b.txt").write_bytes(ARTICLE.encode("utf-8"))
    assert ingest_file(tmp_path / "a.txt")[0].id == ingest_file(tmp_path / "b.txt")[0].id


def test_ingest_formats_jsonl_records(tmp_path: Path) -> None:
    records = [
        {
            "id": "r1",
            "title": "許昌市社會工作行業協會成立",
            "text": "近日,許昌市召開社會工作行業協會成立大會。\n(据《河南日报》)",
            "date": "2023-07-12T09:00:00+08:00",
            "url": "https://example.org/1",
        },
        {"title": "第二篇", "text": "正文二。", "source": "新华社", "date": "7月12日"},
        {"text": "没有标题的记录,第一句作标题。第二句。"},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8"
    )
    first, second, third = ingest_file(path)
    assert first.title == "许昌市社会工作行业协会成立"
    assert first.text == "近日,许昌市召开社会工作行业协会成立大会。"
    assert (first.source, first.date, first.url) == (
        "河南日报",
        "2023-07-12",
        "https://example.org/1",
    )
    assert (second.title, second.source, second.date) == ("第二篇", "新华社", None)
    assert third.title == "没有标题的记录,第一句作标题"
    assert {a.file for a in (first, second, third)} == {"batch.jsonl"}


@pytest.mark.parametrize("as_list", [True, False])
def test_ingest_formats_json_object_or_list(tmp_path: Path, as_list: bool) -> None:
    record = {"title": "标题", "text": "正文第一段。\n\n正文第二段。", "source": "社工中国网"}
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps([record] if as_list else record, ensure_ascii=False), encoding="utf-8"
    )
    (article,) = ingest_file(path)
    assert (article.title, article.text, article.source) == (
        "标题",
        "正文第一段。\n正文第二段。",
        "社工中国网",
    )


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>許昌市社會工作行業協會成立 - 公益时报网</title>
<meta name="PubDate" content="2023-07-12 10:00">
<meta property="og:url" content="https://example.org/news/1.html">
<style>p { color: red }</style><script>var x = "<p>不要我</p>";</script></head>
<body>
<nav><a href="/">首页</a> &gt; <a href="/news">新闻</a></nav>
<div class="crumbs">首页 &gt; 行业动态</div>
<article>
<h1>许昌市社会工作行业协会成立</h1>
<p>■ 本报记者 皮磊</p>
<p>为进一步提升全市社会工作行业服务水平,近日,许昌市召开社会工作行业协会成立大会&amp;研讨会,
全市社会工作行业单位会员代表共计80余人参会。</p>
<p>会议选举李伟当选<b>许昌市社会工作行业协会</b>首任会长。<br>会后举行揭牌仪式。</p>
<figure><img src="a.jpg"><figcaption>许昌市社会工作行业协会揭牌</figcaption></figure>
<p>(据《公益时报》)</p>
</article>
<footer>扫一扫在手机端打开当前页</footer>
</body></html>
"""


def test_ingest_formats_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    (article,) = ingest_file(path)
    assert article.title == "许昌市社会工作行业协会成立"
    assert article.source == "公益时报"
    assert article.date == "2023-07-12"
    assert article.url == "https://example.org/news/1.html"
    assert "成立大会&研讨会, 全市社会工作行业单位会员代表" in article.text
    assert "李伟当选许昌市社会工作行业协会首任会长。\n会后举行揭牌仪式。" in article.text
    assert article.author == "皮磊"  # from the byline
    # the main text is trafilatura's, which leaves figure captions out
    for junk in ("不要我", "color", "首页", "新闻", "扫一扫", "公益时报网"):
        assert junk not in article.text


def test_ingest_formats_html_without_headline_in_body_uses_title(tmp_path: Path) -> None:
    path = tmp_path / "bare.htm"
    path.write_bytes(
        "<html><head><title>社工站建设观察_民政_新闻网</title></head><body>"
        "<div>近日,各地社工站建设加快推进,服务覆盖面持续扩大。</div></body></html>".encode("gbk")
    )
    (article,) = ingest_file(path)
    assert article.title == "社工站建设观察"
    assert article.text == "近日,各地社工站建设加快推进,服务覆盖面持续扩大。"


def test_ingest_formats_directory_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.json").write_text(
        json.dumps({"title": "深层", "text": "深层目录里的记录。"}, ensure_ascii=False),
        encoding="utf-8",
    )
    (tmp_path / "b" / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "b" / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden" / "x.txt").write_text(ARTICLE.replace("召开", "举行"), encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("不该读到的内容。", encoding="utf-8")
    results = list(ingest_paths([tmp_path]))
    relative = [str(Path(r.path).relative_to(tmp_path)) for r in results]
    assert relative == ["a.txt", "b/deep/c.json", "b/notes.docx", "b/page.html"]
    assert [len(r.articles) for r in results] == [1, 1, 0, 1]
    assert "unsupported file type '.docx'; supported: .htm, .html, .json, .jsonl, .txt" in str(
        results[2].error
    )


def test_ingest_formats_identical_articles_are_returned_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(ARTICLE.encode("gbk"))  # same article, other encoding
    (tmp_path / "c.txt").write_text(ARTICLE + "\n" + ARTICLE, encoding="utf-8")
    results = list(ingest_paths([tmp_path]))
    assert [len(r.articles) for r in results] == [1, 0, 0]
    assert all(r.error is None for r in results)
    assert len(ingest_file(tmp_path / "c.txt")) == 1


def test_ingest_formats_json_text_repeating_its_title(tmp_path: Path) -> None:
    record = {"title": "标题", "text": "标题\n\n正文。", "source": "《新闻晨报》"}
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (article,) = ingest_file(path)
    assert (article.title, article.text, article.source) == ("标题", "正文。", "新闻晨报")


def test_ingest_formats_utf8_cut_mid_character_at_the_end_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("某市社工周启动\n\n正文第一段,社工".encode()[:-1])  # half of 工 lost
    (article,) = ingest_file(path)
    assert article.text == "正文第一段,社"


GOV_PAGE = """<html><head><title>民政部召开社会工作座谈会_民政部网站</title></head><body>
<div class="header"><a>首页</a><a>新闻中心</a><a>政务公开</a><a>办事服务</a></div>
<div class="location">当前位置:首页 &gt; 新闻中心 &gt; 工作动态</div>
<div class="title">民政部召开社会工作座谈会</div>
<div class="info">发布时间:2023-03-15 来源:民政部 字号:【大 中 小】</div>
<div class="content"><p>　　3月15日,民政部召开社会工作座谈会,听取各地意见。</p>
<p>　　会议指出,要加强乡镇(街道)社工站建设。</p></div>
<div class="share">分享到:</div>
<div class="footer">版权所有:中华人民共和国民政部 京ICP备05002111号</div>
</body></html>"""


def test_ingest_formats_html_layout_page_uses_its_title_and_drops_furniture(tmp_path: Path) -> None:
    path = tmp_path / "gov.html"
    path.write_text(GOV_PAGE, encoding="utf-8")
    (article,) = ingest_file(path)
    assert article.title == "民政部召开社会工作座谈会"
    assert (article.date, article.source) == ("2023-03-15", "民政部")
    assert article.text == (
        "3月15日,民政部召开社会工作座谈会,听取各地意见。\n会议指出,要加强乡镇(街道)社工站建设。"
    )

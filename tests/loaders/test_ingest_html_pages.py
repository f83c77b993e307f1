"""HTML news pages: trafilatura's main text against the page's visible text, measured on
the sample articles set in four news-site layouts (tests/loaders/news_pages.py), and
trafilatura running with no network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from shegong.loaders.ingest import ingest_file, readers

from tests.loaders.news_pages import build_pages, sample_articles, score_pages

REPO = Path(__file__).resolve().parents[2]


def read(path: Path) -> tuple[list, str | None]:
    articles = ingest_file(path)
    return articles, articles[0].author if articles else None


@pytest.fixture(scope="module")
def pages() -> list:
    return build_pages(sample_articles())


def test_ingest_html_pages_main_text_beats_the_visible_text(
    pages: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = score_pages(pages, read, tmp_path)["all"]
    # the same pages read without trafilatura: the page's visible text, as before
    monkeypatch.setattr(readers, "main_text", lambda markup: None)
    visible = score_pages(pages, read, tmp_path)["all"]
    assert main.pages == visible.pages == 84
    assert main.single == 84  # every page read as one article
    assert main.recall >= 0.99 and main.precision >= 0.97, (main.precision, main.recall)
    assert visible.precision <= 0.9  # related lists, ads, comment boxes, footers kept
    assert main.f1 > visible.f1 + 0.05
    assert main.titles == 84 and main.dates == 84
    assert main.dates > visible.dates  # WeChat's publish_time: read by trafilatura only
    assert main.authors >= 63 and main.outlets >= 80


def test_ingest_html_pages_read_with_no_network(pages: list, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(pages[1].markup, encoding="utf-8")
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = socket.socket.connect_ex = refuse\n"
        "socket.create_connection = socket.getaddrinfo = refuse\n"
        "from shegong.loaders.ingest import ingest_file\n"
        f"(a,) = ingest_file({str(page)!r})\n"
        "print(a.title, a.date, a.author, len(a.text))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert pages[1].title in done.stdout and pages[1].date in done.stdout


def test_ingest_html_pages_host_name_is_no_outlet_and_bylines_give_names() -> None:
    from shegong.loaders.ingest.mainhtml import _site_name, byline_author, clean_author

    assert _site_name("example.org") is None and _site_name("www.xinhuanet.com") is None
    assert _site_name("新华网") == "新华网"
    assert clean_author("记者 孙浩") == "孙浩" and clean_author("本报记者 皮磊") == "皮磊"
    assert clean_author("Chen Kai") == "Chen Kai"
    assert clean_author("责任编辑:孙浩、李静等多人") is None  # not one name
    assert byline_author("标题\n■ 本报记者 皮磊\n正文第一段很长很长。") == "皮磊"
    assert byline_author("发布时间:2022-05-24 来源:民政厅 作者:王晓东 浏览次数:1024") == "王晓东"
    assert byline_author("全文件精神,要求各地落实。") is None

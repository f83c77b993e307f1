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

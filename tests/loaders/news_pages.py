"""News pages built around the sample articles, and the measure of an HTML reader on them.

Each sample article of data/articles is set in four page layouts typical of Chinese news
sites, with their furniture around it: a government site (channel bar, breadcrumb,
发布时间/来源/作者 line, print and close links, related items, ICP footer), a portal (ads,
a hot list and related headlines of other articles, editor line, comment box), a WeChat
article (js_content with section/span wrapping, account name, QR prompt, 阅读原文) and a
newspaper's e-paper page (meta tags, subtitle, page line, previous/next links). The
furniture is written here; the article text comes from the corpus only.

    python -m tests.loaders.news_pages     # prints the scores of both readers

A reader is measured on what ingest stores (``Article``s): pages read as one article,
main-text precision and recall in characters, and title, date, author and outlet right.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shegong.loaders.ingest import ingest_paths
from shegong.schema import Article

__all__ = ["LAYOUTS", "Page", "Scores", "build_pages", "score_pages"]

REPO = Path(__file__).resolve().parents[2]
AUTHORS = ("王晓东", "李静", "陈凯", "刘洋", "赵敏", "孙浩")
SITES = ("民政之窗", "社工在线", "公益时报网", "城市晚报")


@dataclass(frozen=True)
class Page:
    """One page: its markup and what a reader should get from it."""

    layout: str
    markup: str
    title: str
    paragraphs: tuple[str, ...]
    date: str
    author: str
    outlet: str


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _paras(paragraphs: tuple[str, ...], wrap: str = "<p>{}</p>") -> str:
    return "\n".join(wrap.format(_esc(p)) for p in paragraphs)


def _gov(title: str, paras: tuple[str, ...], date: str, author: str, outlet: str,
         others: list[str]) -> str:  # fmt: skip
    related = "".join(f'<li><a href="/n/{i}.html">{_esc(t)}</a></li>' for i, t in enumerate(others))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{_esc(title)}_{outlet}</title><link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || [];</script></head><body>
<div class="top"><span>欢迎访问{outlet}</span><a href="/">设为首页</a><a href="/">加入收藏</a><a href="/m">无障碍浏览</a></div>
<div class="header"><img src="/logo.png" alt="{outlet}"><div class="search"><input type="text"><a>搜索</a></div></div>
<div class="menu"><ul><li><a href="/">网站首页</a></li><li><a href="/jg">机构概况</a></li><li><a href="/zw">政务公开</a></li><li><a href="/xw">新闻动态</a></li><li><a href="/bs">办事服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="location">当前位置:<a href="/">首页</a> &gt; <a href="/xw">新闻动态</a> &gt; 工作动态</div>
<div class="main"><div class="article">
<div class="title">{_esc(title)}</div>
<div class="info">发布时间:{date} 来源:{outlet} 作者:{author} 浏览次数:1024 字号:【<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="content" id="zoom">
{_paras(paras, '<p style="text-indent:2em">{}</p>')}
</div>
<div class="tools"><a>【打印本页】</a><a>【关闭窗口】</a><span>分享到:</span><a>微信</a><a>微博</a></div>
</div>
<div class="related"><h3>相关信息</h3><ul>{related}</ul></div></div>
<div class="footer"><p>主办单位:{outlet} 承办:信息中心</p><p>版权所有 © 2022 {outlet} 京ICP备05002111号-1 京公网安备11010202000001号</p>
<p>网站标识码:bm1300000 地址:北京市东城区 邮编:100000</p></div>
</body></html>"""


def _portal(title: str, paras: tuple[str, ...], date: str, author: str, outlet: str,
            others: list[str]) -> str:  # fmt: skip
    hot = "".join(f"<li><em>{i + 1}</em><a>{_esc(t)}</a></li>" for i, t in enumerate(others))
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{_esc(title)} - {outlet}</title>
<meta name="keywords" content="社会工作,社工,公益"><meta name="description" content="{_esc(paras[0][:60])}">
</head><body>
<div id="top-bar"><a>首页</a> | <a>新闻</a> | <a>公益</a> | <a>社工</a> | <a>视频</a> | <a>登录</a> <a>注册</a></div>
<div class="ad ad-banner"><a href="https://ads.example/"><img src="/ad/1.gif"></a><span>广告</span></div>
<div class="wrap"><div class="main-content" id="article">
<h1 class="main-title">{_esc(title)}</h1>
<div class="date-source"><span class="date">{date} 09:30</span> <a class="source">{outlet}</a> <span class="author">记者 {author}</span></div>
<div class="article-body" id="artibody">
{_paras(paras)}
<div class="ad-inline">广告 点击查看更多优惠</div>
</div>
<p class="editor">(责任编辑:{author})</p>
<div class="keywords">关键词:<a>社会工作</a> <a>社工</a></div>
<div class="comment"><h3>网友评论</h3><textarea>说两句</textarea><button>发表评论</button><p>已有0条评论</p></div>
</div>
<div class="side"><h3>热点排行</h3><ol>{hot}</ol><div class="ad"><img src="/ad/2.jpg">广告</div></div></div>
<div class="footer">关于我们 | 联系我们 | 广告服务 | 网站地图 | 版权声明<br>Copyright © 2022 {outlet} All Rights Reserved 粤ICP备12345678号</div>
</body></html>"""


def _wechat(title: str, paras: tuple[str, ...], date: str, author: str, outlet: str,
            others: list[str]) -> str:  # fmt: skip
    body = _paras(paras, '<section><p><span style="font-size:15px;">{}</span></p></section>')
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="{_esc(title)}"><meta property="og:type" content="article">
<title>{_esc(title)}</title></head><body id="activity-detail" class="zh_CN">
<div class="rich_media_inner"><div id="page-content">
<h1 class="rich_media_title" id="activity-name">{_esc(title)}</h1>
<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_text">{author}</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name">{outlet}</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">{date}</em></div>
<div class="rich_media_content" id="js_content">
{body}
<section><p><span>END</span></p></section>
<section><p><span>来源:{outlet}</span></p><p><span>编辑:{author}</span></p></section>
</div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div>
<div class="rich_media_tool"><a id="js_view_source">阅读原文</a><span>阅读 3245</span><span>在看 12</span></div>
<p class="tips">预览时标签不可点</p>
</div></div></body></html>"""


def _epaper(title: str, paras: tuple[str, ...], date: str, author: str, outlet: str,
            others: list[str]) -> str:  # fmt: skip
    ymd = date.replace("-", "年", 1).replace("-", "月", 1) + "日"
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="publishdate" content="{date}"><meta name="author" content="{author}">
<meta name="source" content="{outlet}"><title>{_esc(title)}--{outlet}</title></head><body>
<div class="pdf_nav"><a>第01版:要闻</a><a>第02版:综合</a><a>第03版:社工</a><a>第04版:公益</a><a>往期回顾</a></div>
<div class="text_c">
<h3>本报讯</h3>
<h1>{_esc(title)}</h1>
<h2>——{_esc(paras[0][:12])}</h2>
<div class="sha_left"><span>{outlet}</span> <span>{ymd}</span> <span>第01版</span></div>
<div class="ozoom" id="ozoom">
<p>本报记者 {author}</p>
{_paras(paras)}
</div>
<p class="ban">《{outlet}》({ymd} 第01版)</p>
</div>
<div class="page_nav"><a>上一篇:{_esc(others[0])}</a> <a>下一篇:{_esc(others[1])}</a></div>
<div class="copyright">{outlet}版权所有,未经书面授权禁止使用 Copyright © 2022 by {outlet}. all rights reserved</div>
</body></html>"""


Layout = Callable[[str, tuple[str, ...], str, str, str, list[str]], str]
LAYOUTS: dict[str, Layout] = {
    "gov": _gov,
    "portal": _portal,
    "wechat": _wechat,
    "epaper": _epaper,
}


def sample_articles(articles_dir: Path = REPO / "data" / "articles") -> list[Article]:
    return [a for result in ingest_paths([articles_dir]) for a in result.articles]


def build_pages(articles: list[Article], seed: int = 14) -> list[Page]:
    """Every article in every layout, with dates, authors and outlets drawn by ``seed``."""
    rng = random.Random(seed)
    pages = []
    titles = [a.title for a in articles]
    for article in articles:
        paragraphs = tuple(p.strip() for p in article.text.split("\n") if p.strip())
        others = rng.sample([t for t in titles if t != article.title], 5)
        for layout, build in LAYOUTS.items():
            date = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            author, outlet = rng.choice(AUTHORS), rng.choice(SITES)
            markup = build(article.title, paragraphs, date, author, outlet, others)
            pages.append(Page(layout, markup, article.title, paragraphs, date, author, outlet))
    return pages


@dataclass
class Scores:
    """Totals over the pages of one layout (or all)."""

    pages: int = 0
    single: int = 0  # read as exactly one article
    gold_chars: int = 0
    found_chars: int = 0  # of the gold text, in the stored text
    stored_chars: int = 0
    right_chars: int = 0  # of the stored text, in the gold text
    titles: int = 0
    dates: int = 0
    authors: int = 0
    outlets: int = 0

    @property
    def recall(self) -> float:
        return self.found_chars / self.gold_chars if self.gold_chars else 0.0

    @property
    def precision(self) -> float:
        return self.right_chars / self.stored_chars if self.stored_chars else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Scores) -> None:
        for key, value in vars(other).items():
            setattr(self, key, getattr(self, key) + value)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def score_page(page: Page, articles: list[Article], author: str | None) -> Scores:
    """How well ``articles`` (what a reader stored from the page) match the page."""
    gold = _squeeze("".join(page.paragraphs))
    stored = "\n".join(a.text for a in articles)
    flat = _squeeze(stored)
    lines = [_squeeze(line) for line in stored.split("\n")]
    lead = articles[0] if articles else None
    return Scores(
        pages=1,
        single=int(len(articles) == 1),
        gold_chars=len(gold),
        found_chars=sum(len(_squeeze(p)) for p in page.paragraphs if _squeeze(p) in flat),
        stored_chars=len(flat),
        right_chars=sum(len(line) for line in lines if line and line in gold),
        titles=int(lead is not None and lead.title == page.title),
        dates=int(lead is not None and lead.date == page.date),
        authors=int(author == page.author),
        outlets=int(lead is not None and lead.source == page.outlet),
    )


Reader = Callable[[Path], tuple[list[Article], str | None]]


def score_pages(pages: list[Page], read: Reader, directory: Path) -> dict[str, Scores]:
    """Scores per layout and ``"all"``; each page is written to ``directory`` and read."""
    totals: dict[str, Scores] = {name: Scores() for name in (*LAYOUTS, "all")}
    for number, page in enumerate(pages):
        path = directory / f"{number:03d}_{page.layout}.html"
        path.write_text(page.markup, encoding="utf-8")
        articles, author = read(path)
        got = score_page(page, articles, author)
        totals[page.layout].add(got)
        totals["all"].add(got)
    return totals


def print_scores(name: str, totals: dict[str, Scores]) -> None:
    print(f"== {name}")
    print("layout   pages  one-article  text P  text R  text F1  title  date  author  outlet")
    for layout, s in totals.items():
        n = s.pages or 1
        print(
            f"{layout:8} {s.pages:5}  {s.single / n:11.2f}  {s.precision:6.3f}  {s.recall:6.3f}"
            f"  {s.f1:7.3f}  {s.titles / n:5.2f}  {s.dates / n:4.2f}  {s.authors / n:6.2f}"
            f"  {s.outlets / n:6.2f}"
        )


# -- the three readers compared in README ------------------------------------------------
def read_stored(path: Path) -> tuple[list[Article], str | None]:
    """What ingest stores from the page (trafilatura's main text and the page's head)."""
    from shegong.loaders.ingest import ingest_file

    articles = ingest_file(path)
    return articles, articles[0].author if articles else None


def read_trafilatura_alone(path: Path) -> tuple[list[Article], str | None]:
    """trafilatura's text and its own title, date, author and site name, nothing else."""
    from shegong.loaders.ingest import default_normaliser
    from shegong.loaders.ingest.mainhtml import main_text
    from shegong.loaders.ingest.meta import clean_outlet, parse_date
    from shegong.loaders.ingest.split import single_article

    main = main_text(path.read_text(encoding="utf-8"))
    if main is None:
        return [], None
    norm = default_normaliser()
    site = clean_outlet(norm(main.sitename)) if main.sitename else None
    title = norm(main.title or "").replace("\n", " ")
    article = single_article(title, norm(main.text), path.name, site, parse_date(main.date))
    return [article], main.author


def main() -> None:
    import tempfile
    import time

    from shegong.loaders.ingest import readers

    pages = build_pages(sample_articles())
    with tempfile.TemporaryDirectory() as tmp:
        for name, read in (
            ("stored: trafilatura main text + the page's head", read_stored),
            ("trafilatura alone", read_trafilatura_alone),
        ):
            started = time.perf_counter()
            totals = score_pages(pages, read, Path(tmp))
            print_scores(f"{name} ({time.perf_counter() - started:.1f} s)", totals)
        kept = readers.main_text
        readers.main_text = lambda markup: None  # the visible text only, as before
        try:
            print_scores("visible text only", score_pages(pages, read_stored, Path(tmp)))
        finally:
            readers.main_text = kept


if __name__ == "__main__":
    main()

"""HTML -> plain text with one block per line, plus the page's title, date and url.

Built on the standard library's ``html.parser``: scripts, styles, navigation and other
non-content elements are dropped, block elements become line breaks, character
references are decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .meta import parse_date

__all__ = ["HtmlPage", "html_to_text", "strip_site"]

_SKIP = frozenset(
    {
        "script",
        "style",
        "nav",
        "noscript",
        "template",
        "svg",
        "iframe",
        "aside",
        "button",
        "select",
        "textarea",
        "head",
        "object",
        "canvas",
        "map",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "figure",
        "figcaption",
        "hr",
        "address",
        "center",
        "form",
        "fieldset",
        "caption",
        "tbody",
        "thead",
        "tfoot",
        "body",
        "html",
    }
)
_VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
        "param",
    }
)
_DATE_META = frozenset(
    {
        "publishdate",
        "pubdate",
        "publish_date",
        "publish-date",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "article:published_time",
        "og:published_time",
        "og:release_date",
        "datepublished",
        "firstpublishedtime",
        "pubtime",
        "releasedate",
    }
)
_TITLE_META = frozenset({"articletitle", "og:title", "dc.title", "title"})
_SOURCE_META = frozenset({"contentsource", "source", "article:source"})
_AUTHOR_META = frozenset({"author", "article:author", "dc.creator", "byline"})
_SPACE = re.compile(r"\s+")
# "Headline - Site name", "Headline_栏目_网站", "Headline | Site"
# (a hyphen or bar only with spaces round it: 政策(2021-2025) keeps its dash)
_SITE_SUFFIX = re.compile(r"(?:\s+[-|–—]\s+[^|–—]{1,30}|\s*_[^_]{1,30}){1,3}$")


@dataclass(frozen=True)
class HtmlPage:
    """The visible text of a page and what its head says about it."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None


def strip_site(title: str) -> str:
    """A head title without the site name after it (``标题_栏目_网站`` -> ``标题``)."""
    return _SITE_SUFFIX.sub("", title).strip() or title


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[str] = []
        self.capture: str | None = None  # "title" or "h1" while inside one
        self.captured: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("name") or attributes.get("property") or "").lower()
            if key and attributes.get("content"):
                self.meta.setdefault(key, attributes["content"].strip())
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower():
            self.canonical = attributes.get("href") or None
        if tag == "body" and "head" in self.stack:
            # An unclosed <head>: the body starts here all the same.
            del self.stack[self.stack.index("head") :]
            self.skip_depth = 0
        if tag in _VOID:
            if tag in _BLOCK:
                self.parts.append("\n")
            return
        self.stack.append(tag)
        if tag in ("title", "h1") and tag not in self.captured:
            self.capture = tag
            self.captured[tag] = ""
        elif tag in _SKIP:
            self.skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        # Close everything opened after ``tag`` too: browsers forgive unclosed <p>, <li>.
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in _SKIP:
                self.skip_depth = max(0, self.skip_depth - 1)
            if open_tag == self.capture:
                self.capture = None
            if open_tag in _BLOCK:
                self.parts.append("\n")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.captured[self.capture] += data
        if self.skip_depth or self.capture == "title":
            return
        in_pre = "pre" in self.stack
        self.parts.append(data if in_pre else _SPACE.sub(" ", data))


def html_to_text(markup: str) -> HtmlPage:
    """The text of an HTML page, one block per line, and its title, date, url, source,
    author."""
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    meta = parser.meta
    h1 = _SPACE.sub(" ", parser.captured.get("h1", "")).strip()
    head_title = _SPACE.sub(" ", parser.captured.get("title", "")).strip()
    meta_title = next((meta[k] for k in meta if k in _TITLE_META), "")
    title = h1 or meta_title or _SITE_SUFFIX.sub("", head_title) or head_title or None
    date = next(
        (parse_date(meta[k]) for k in meta if k in _DATE_META and parse_date(meta[k])), None
    )
    url = meta.get("og:url") or parser.canonical
    source = next((meta[k] for k in meta if k in _SOURCE_META), None)
    author = next((meta[k] for k in meta if k in _AUTHOR_META), None)
    return HtmlPage(text=text, title=title, date=date, url=url, source=source, author=author)

"""Normalised text -> classified paragraphs, with lines broken by page breaks rejoined.

A paragraph is one line of normalised text, or several when a line was cut mid-sentence
(``…法治社保公益普法`` / blank / ``平台和…``). Each paragraph gets a ``Kind`` that the
splitter reads: body text, a heading-like short line, a digest section head
(``一、政策参考``), a numbered digest item (``1.`` ``2、``), a source line or a date line.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .meta import split_outlet
from .metaline import meta_line

__all__ = ["MAX_TITLE", "MIN_TITLE", "Kind", "Paragraph", "heading_like", "paragraphs"]

MAX_TITLE = 48  # longer lines are prose, not headlines
MIN_TITLE = 7  # shorter heading-like lines (青海, 中央政策) are labels, never titles

# A paragraph may end on these; a line ending on anything else was cut short.
_TERMINAL = set("。!?;:….”’\"')』」》)】]|")
_SENTENCE_END = set("。!?")
# A line ending on these certainly continues on the next one.
_CONTINUES = set(",、(“‘《〈「『+-—/")
_PAIRS = (("(", ")"), ("“", "”"), ("《", "》"), ("「", "」"))
_SECTION = re.compile(r"[一二三四五六七八九十]{1,3}\s*[、.]\s*\S")
_NUMBERED = re.compile(r"(\d{1,2})\s*(?:、|\.(?!\d))\s*(?=\S)")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_BULLETS = set("•·●○◆◇▪▫▶►-*①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


class Kind(enum.Enum):
    BODY = "body"
    HEAD = "head"  # short line without sentence punctuation: headline, subheading, caption
    SECTION = "section"  # 一、政策参考
    NUMBERED = "numbered"  # 1.黑龙江省… / 2、…
    OUTLET = "outlet"  # (据新华社) / 来源:社工中国网 on its own
    DATE = "date"  # 发布时间:2022-11-28, 2023-04-25 09:44 来源:民政部
    CLOSE = "close"  # 编辑:某某 审核:某某 — an editor line ends the article


@dataclass
class Paragraph:
    """One paragraph; ``start``/``end`` are offsets in the normalised text."""

    text: str
    start: int
    end: int
    kind: Kind = Kind.BODY
    outlet: str | None = None  # the source this paragraph names (OUTLET, or a trailing 据…)
    date: str | None = None  # the date of a DATE line
    gap_before: int = 0  # blank lines before it: two or more is where an image stood
    page: bool = True  # a page's dateline or source line (not 时间:2021年5月1日, (据新华社))

    @property
    def is_heading(self) -> bool:
        return self.kind in (Kind.HEAD, Kind.SECTION, Kind.NUMBERED)

    @property
    def is_label(self) -> bool:
        return self.kind is Kind.HEAD and len(self.text) < MIN_TITLE

    @property
    def is_list_item(self) -> bool:
        return self.kind is Kind.HEAD and self.text[0] in _BULLETS

    @property
    def title_text(self) -> str:
        """The text as a title: a numbered item without its number."""
        if self.kind is Kind.NUMBERED:
            return _NUMBERED.sub("", self.text, count=1).strip()
        return self.text


def heading_like(line: str) -> bool:
    """Short, no sentence punctuation inside, not ending on a comma: could be a heading."""
    return (
        0 < len(line) <= MAX_TITLE
        and "。" not in line
        and ";" not in line
        and line[-1] not in ",、:;"
    )


def _unbalanced(line: str) -> bool:
    return any(line.count(a) > line.count(b) for a, b in _PAIRS)


@cache
def _tokenizer() -> Any:
    import warnings

    with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
        warnings.simplefilter("ignore")
        import jieba  # imported lazily: only ambiguous line breaks need it
    jieba.setLogLevel(logging.WARNING)
    return jieba.dt


def _word_spans(left: str, right: str) -> bool:
    """Whether a dictionary word runs across the break (``信`` / ``访工作`` -> 信访)."""
    head, tail = left[-6:], right[:6]
    pos = 0
    for token in _tokenizer().lcut(head + tail, HMM=False):
        if pos < len(head) < pos + len(token):
            return True
        pos += len(token)
    return False


def _structural(line: str) -> bool:
    """Lines never merged with a neighbour: source, date, section and numbered lines."""
    if meta_line(line) is not None or split_outlet(line)[1] is not None:
        return True
    return heading_like(line) and bool(_SECTION.match(line) or _NUMBERED.match(line))


def _joins(left: str, right: str) -> bool:
    """Whether ``right`` continues ``left`` (a line broken by a page break)."""
    if left[-1] in _CONTINUES:
        return True
    if _unbalanced(left):  # an open quote or bracket, unless a sentence ended before a head
        return not (left[-1] in _SENTENCE_END and heading_like(right))
    if left[-1] in _TERMINAL or heading_like(right):
        return False
    return not heading_like(left) or _word_spans(left, right)


def _classify(text: str, start: int, end: int, gap: int) -> Paragraph:
    paragraph = _kind(text, start, end)
    paragraph.gap_before = gap
    return paragraph


def _kind(text: str, start: int, end: int) -> Paragraph:
    meta = meta_line(text)
    if meta is not None:
        if meta.date is not None:
            return Paragraph(
                text, start, end, Kind.DATE, outlet=meta.outlet, date=meta.date, page=meta.page
            )
        if meta.closes:  # the editors' names stay readable for the article that ends here
            return Paragraph(text, start, end, Kind.CLOSE, outlet=meta.outlet)
        return Paragraph("", start, end, Kind.OUTLET, outlet=meta.outlet)
    rest, outlet = split_outlet(text)
    if outlet is not None:  # (据新华社): a source note ending an article, no page header
        kind = Kind.BODY if rest else Kind.OUTLET
        return Paragraph(rest, start, end, kind, outlet=outlet, page=False)
    if not heading_like(text):
        return Paragraph(text, start, end)
    if _SECTION.match(text):
        return Paragraph(text, start, end, Kind.SECTION)
    if _NUMBERED.match(text):
        return Paragraph(text, start, end, Kind.NUMBERED)
    return Paragraph(text, start, end, Kind.HEAD)


def paragraphs(text: str) -> list[Paragraph]:
    """The classified paragraphs of normalised ``text``, broken lines rejoined."""
    merged: list[list[Any]] = []  # [text, start, end, structural, blank lines before]
    pos = gap = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line:
            gap += 1
            continue
        blanks, gap = gap, 0
        structural = _structural(line)
        if merged and not structural and not merged[-1][3] and _joins(merged[-1][0], line):
            last = merged[-1]
            glue = " " if _ASCII_WORD.match(last[0][-1]) and _ASCII_WORD.match(line[0]) else ""
            last[0] += glue + line
            last[2] = start + len(line)
        else:
            merged.append([line, start, start + len(line), structural, blanks])
    return [_classify(t, s, e, g) for t, s, e, _, g in merged]

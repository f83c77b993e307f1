"""Event dates with their year: the stated form kept, the ISO date derived from the article.

Sentences mostly state an event's day without a year (``12月3日``): the finder stores that
stated form (``MM-DD``, or ``YYYY-MM-DD`` when the sentence gives the year). Here, per
article, each Event's ``date`` becomes ISO where a year is known, and ``date_text`` keeps
the stated form:

* a year in the stated date wins;
* else the year of the article's date (its publication date);
* else the nearest dated context: the one year of the full dates the article states
  (``2015年11月18日,…`` then ``11月20日``), else a year in the event's own name
  (``2021年社会工作主题宣传活动``; not ``2019年度…``, an award year);
* a day that would fall more than ``AHEAD_DAYS`` after the publication date belongs to the
  year before (a report published on 2018-05-13 about ``12月27日`` means 2017-12-27);
* with no year found, ``date`` stays as stated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from shegong.schema import Article, Label, Node

__all__ = ["AHEAD_DAYS", "date_events", "with_year"]

AHEAD_DAYS = 60  # announcements reach this far ahead; later days are last year's

_ISO = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年\s*(?:1[0-2]|0?[1-9])\s*月\s*\d{1,2}\s*[日号]"
)
_NAMED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!度)")


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def with_year(stated: str, article_date: str | None) -> str:
    """``stated`` (``MM-DD`` or ISO) as ISO when a year is known, else unchanged."""
    if _ISO.fullmatch(stated):
        return stated
    md = _MONTH_DAY.fullmatch(stated)
    published = _ISO.fullmatch(article_date or "")
    if md is None or published is None:
        return stated
    pub = _day(int(published[1]), int(published[2]), int(published[3]))
    month, day = int(md[1]), int(md[2])
    if pub is None:
        return stated
    found = _day(pub.year, month, day)
    if found is not None and (found - pub).days > AHEAD_DAYS:
        found = _day(pub.year - 1, month, day)
    return found.isoformat() if found else stated


def _context_year(text: str) -> str | None:
    """The year of the article's full dates, when they all share one."""
    years = {m[1] for m in _FULL_DATE.finditer(text)}
    return years.pop() if len(years) == 1 else None


def _in_year(stated: str, year: str) -> str:
    md = _MONTH_DAY.fullmatch(stated)
    found = _day(int(year), int(md[1]), int(md[2])) if md else None
    return found.isoformat() if found else stated


def date_events(entities: Iterable[Node], article: Article) -> None:
    """Give each Event's stated ``date`` its year (in place), keeping ``date_text``."""
    context: str | None = None
    for node in entities:
        if node.label is not Label.EVENT:
            continue
        stated = node.properties.get("date")
        if not isinstance(stated, str) or "date_text" in node.properties:
            continue
        date = with_year(stated, article.date)
        if not _ISO.fullmatch(date):
            if context is None:
                context = _context_year(f"{article.title}\n{article.text}") or ""
            named = {m[1] for m in _NAMED_YEAR.finditer(node.name)}
            year = context or (named.pop() if len(named) == 1 else None)
            date = _in_year(stated, year) if year else stated
        node.properties = {**node.properties, "date": date, "date_text": stated}

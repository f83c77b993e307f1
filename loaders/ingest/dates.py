"""Dates as pages write them: full dates, timestamps opening a line, stated month-days.

* ``parse_date``: the first full year-month-day date (``2022-11-28``, ``2022/1/19``,
  ``2022.11.28``, ``2022年11月28日``, an ISO timestamp) as ``YYYY-MM-DD``.
* ``leading_timestamp``: a date that opens a line, also day first (``27.12.2016 06:06``),
  with its time, and where it ends.
* ``month_day``: the first month and day stated in a text (``12月3日至4日`` -> ``12-03``),
  skipping deadlines (``截至8月11日``); no year is guessed.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["leading_timestamp", "month_day", "parse_date"]

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
)
_TIME = r"(?:\s*(?:[T\s]?\d{1,2}\s*[::]\s*\d{2}(?:\s*[::]\s*\d{2})?))?"
_YEAR_FIRST = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?" + _TIME
)
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*((?:19|20)\d{2})(?!\d)" + _TIME)
_MONTH_DAY = re.compile(
    r"(?<![\d年])(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]"
)
_DEADLINE = re.compile(r"(?:截至|截止|截止到|到|至|直至)\s*$")


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(value: str | None) -> str | None:
    """The first full date in ``value`` as ``YYYY-MM-DD``, or None."""
    if not value:
        return None
    for match in _DATE.finditer(value):
        found = _iso(match[1], match[2], match[3])
        if found:
            return found
    return None


def leading_timestamp(line: str) -> tuple[str, int] | None:
    """The date opening ``line`` (year first, or day first as ``27.12.2016``), with any
    time after it: ``(ISO date, end offset)``; None when the line opens otherwise."""
    match = _YEAR_FIRST.match(line)
    if match:
        found = _iso(match[1], match[2], match[3])
        return (found, match.end()) if found else None
    match = _DAY_FIRST.match(line)
    if match:
        found = _iso(match[3], match[2], match[1])
        return (found, match.end()) if found else None
    return None


def month_day(text: str) -> str | None:
    """The first month and day stated in ``text`` as ``MM-DD`` (a deadline such as
    ``截至8月11日`` is no event day), or None."""
    for match in _MONTH_DAY.finditer(text):
        if _DEADLINE.search(text[max(0, match.start() - 4) : match.start()]):
            continue
        month, day = int(match["m"]), int(match["d"])
        return f"{month:02d}-{day:02d}"
    return None

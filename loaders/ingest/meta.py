"""Article metadata read from the text: source (outlet) lines and publication dates.

Dates are kept simple on purpose: ``parse_date`` reads a full year-month-day date
(``2022-11-28``, ``2022/11/28``, ``2022.11.28``, ``2022年11月28日``, an ISO timestamp)
and returns ``YYYY-MM-DD``; anything without a year gives ``None``, since guessing the
year of ``12月4日`` would invent a fact.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from shegong.loaders.data import read_lines

__all__ = ["clean_outlet", "date_line", "find_date", "parse_date", "split_outlet"]

SOURCES_FILE = "ingest_sources.txt"
DATE_LINES_FILE = "ingest_date_lines.txt"

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
)
_QUOTES = str.maketrans("", "", "《》〈〉“”‘’\"'「」『』")
_OUTLET_SEPARATORS = re.compile(r"\s*[,、;/]\s*")


@cache
def _source_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in read_lines(SOURCES_FILE))


@cache
def _date_line_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in read_lines(DATE_LINES_FILE)))


def parse_date(value: str | None) -> str | None:
    """The first full date in ``value`` as ``YYYY-MM-DD``, or None."""
    if not value:
        return None
    for match in _DATE.finditer(value):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        return day.isoformat()
    return None


find_date = parse_date  # reading a date out of a title or a line is the same search


def clean_outlet(raw: str) -> str | None:
    """An outlet as written, without 据, 《》 or quotes; several joined by ``、``."""
    text = raw.strip().translate(_QUOTES)
    text = re.sub(r"^(据|来自)\s*", "", text)
    parts = [p for p in _OUTLET_SEPARATORS.split(text) if p]
    return "、".join(dict.fromkeys(parts)) or None


def split_outlet(paragraph: str) -> tuple[str, str | None]:
    """Cut a source line or a trailing ``(据…)`` from ``paragraph``.

    Returns the paragraph without it (empty when the whole paragraph was the source
    line) and the outlet, or ``(paragraph, None)`` when it names no source.
    """
    for pattern in _source_patterns():
        match = pattern.search(paragraph)
        if match:
            outlet = clean_outlet(match.group("outlet"))
            if outlet:
                return paragraph[: match.start()].rstrip(), outlet
    return paragraph, None


def date_line(line: str) -> tuple[str | None, str | None] | None:
    """If ``line`` is a date/metadata line (``发布时间:2022-11-28 来源:民政部``), its
    (ISO date or None, outlet or None); otherwise None."""
    if len(line) > 80 or not _date_line_pattern().match(line):
        return None
    date = parse_date(line)
    if date is None:
        return None
    outlet = None
    found = re.search(r"来源\s*[::]\s*(\S+)", line)
    if found:
        outlet = clean_outlet(found.group(1))
    return date, outlet

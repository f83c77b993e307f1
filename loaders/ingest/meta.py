"""Article metadata read from the text: source (outlet) lines, datelines and news leads.

``parse_date`` reads a full year-month-day date (``2022-11-28``, ``2022/11/28``,
``2022.11.28``, ``2022年11月28日``, an ISO timestamp) and returns ``YYYY-MM-DD``; a date
without a year is only ever kept as written (``month_day`` -> ``MM-DD``), never given a
guessed year. Metadata lines are read by ``metaline``, leads (``本报讯``, ``…电``) by
``leads``; this module keeps the trailing ``(据新华社)`` source notes and the shared API.
"""

from __future__ import annotations

import re
from functools import cache

from shegong.loaders.data import read_lines

from .dates import month_day, parse_date
from .metaline import meta_line
from .outlets import clean_outlet

__all__ = ["clean_outlet", "date_line", "find_date", "month_day", "parse_date", "split_outlet"]

SOURCES_FILE = "ingest_sources.txt"


@cache
def _source_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in read_lines(SOURCES_FILE))


find_date = parse_date  # reading a date out of a title or a line is the same search


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
    """If ``line`` is a dateline (``发布时间:2022-11-28 来源:民政部``,
    ``2023-04-25 09:44``), its (ISO date, outlet or None); otherwise None."""
    found = meta_line(line)
    if found is None or found.date is None:
        return None
    return found.date, found.outlet

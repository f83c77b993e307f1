"""News leads: the dateline words opening an article's first paragraph.

``华声在线11月28日讯(通讯员 罗特)…``, ``新华社杭州3月12日电(记者李平)…``,
``社工中国网消息:…``, ``本报讯(记者 某某)…`` and bylines such as ``大众网记者 某某 济南报道``
say that a new article starts here and may name its outlet and day. The patterns are in
``loaders/data/ingest_leads.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from shegong.loaders.data import read_lines

from .dates import month_day
from .outlets import lead_outlet, outlet_prefix, outlet_value, self_reference

__all__ = ["Lead", "find_lead"]

LEADS_FILE = "ingest_leads.txt"


@dataclass(frozen=True)
class Lead:
    """A lead found at the start of a paragraph."""

    outlet: str | None  # None for 本报讯 and names that do not end like an outlet
    date: str | None  # MM-DD when the lead states the day
    dateline: bool = True  # False for 据X报道: a cited source, no sign of a new article


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in read_lines(LEADS_FILE))


def find_lead(text: str) -> Lead | None:
    """The lead opening ``text``, or None (also when the words before 讯 or 电 are no
    outlet: 民政资讯… is no lead)."""
    for pattern in _patterns():
        match = pattern.match(text)
        if match is None:
            continue
        raw = match.groupdict().get("outlet") or ""
        outlet = lead_outlet(raw) if raw else None
        if outlet is None and raw and match.groupdict().get("xun"):
            outlet = outlet_value(raw)  # 青岛广电·爱青岛3月20日讯: all of it names the outlet
        if raw and outlet is None and not self_reference(outlet_prefix(raw) or raw):
            continue  # 本报北京5月3日电 is a lead naming no outlet; 民政资讯… is none
        md = match.groupdict().get("md")
        cited = bool(match.groupdict().get("cited"))
        return Lead(outlet, month_day(md) if md else None, dateline=not cited)
    return None

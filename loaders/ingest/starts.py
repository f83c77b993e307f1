"""Where a headline inside running text starts a new article (digests with no datelines).

A heading-like line followed by body text is a subheading, unless the body text reads as
a news lead: it opens with a dateline (``本报讯``, ``…电``, see ``leads``), or it states
a day early (``11月6日,``, ``近日,``, after a purpose clause at most) and restates the
headline (most of the headline's
character pairs recur in its first sentence). Subheadings are followed by text that
develops them, not by a lead that repeats them.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache

from shegong.loaders.data import read_lines

from .leads import find_lead

__all__ = [
    "DAY_WITHIN",
    "RESTATED",
    "RESTATED_AT_START",
    "echoed",
    "pair_counts",
    "reads_as_lead",
    "restates",
    "starts_article",
]

DAYS_FILE = "ingest_lead_days.txt"
RESTATED = 0.5  # share of the headline's character pairs its lead must repeat
RESTATED_AT_START = 0.35  # … when the lead opens with its day (11月6日,…)
DAY_WITHIN = 60  # the lead's day comes this early (after a purpose clause at most)

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_DATE_OPENING = re.compile(
    r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号](?:[上下中]午|晚|早)?\s*[,,]?"
)


@cache
def _day_opening() -> re.Pattern[str]:
    words = "|".join(map(re.escape, read_lines(DAYS_FILE)))
    return re.compile(rf"(?:{_DATE_OPENING.pattern}|(?:{words})\s*[,,])")


def _pairs(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)}


def echoed(title: str, text: str, common: Mapping[str, int] | None = None) -> float:
    """The share of ``title``'s character pairs the first sentence of ``text`` repeats
    (0 for a title of fewer than three pairs). With ``common`` (how often each pair
    occurs in the whole file), frequent pairs (社会, 工作) weigh less than rare ones."""
    wanted = _pairs(title)
    if len(wanted) < 3:
        return 0.0
    sentence = re.split(r"[。!?]", text, maxsplit=1)[0][:150]
    if common is None:
        return len(wanted & _pairs(sentence)) / len(wanted)
    weight = {pair: 1 / math.log(2 + common.get(pair, 0)) for pair in wanted}
    shared = sum(weight[pair] for pair in wanted & _pairs(sentence))
    return shared / sum(weight.values())


def pair_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each character pair occurs in ``texts`` (for ``echoed``'s weights)."""
    counts: Counter[str] = Counter()
    for text in texts:
        # the Han runs joined by a break: one pass in C, then the pairs across runs dropped
        runs = "\n".join(_HAN.findall(text))
        counts.update(map(operator.add, runs, runs[1:]))
    for pair in [p for p in counts if "\n" in p]:
        del counts[pair]
    return counts


def restates(title: str, text: str, share: float = RESTATED) -> bool:
    """Whether the first sentence of ``text`` repeats ``share`` of ``title``."""
    return echoed(title, text) >= share and echoed(title, text) > 0


def reads_as_lead(text: str) -> bool:
    """Whether ``text`` opens like a news report: a dateline, or a day stated early."""
    lead = find_lead(text)
    return (lead is not None and lead.dateline) or bool(_day_opening().search(text[:DAY_WITHIN]))


def starts_article(title: str, text: str) -> bool:
    """Whether body ``text`` right after the heading ``title`` opens a new article."""
    lead = find_lead(text)
    if lead is not None and lead.dateline:
        return True
    if _day_opening().match(text):
        return restates(title, text, RESTATED_AT_START)
    return bool(_day_opening().search(text[:DAY_WITHIN])) and restates(title, text)

"""Page metadata lines: datelines, source lines and editor lines, as real pages write them.

A metadata line is short and made of fields, optionally after a timestamp::

    时间:2021-09-21 04:46:31来源: 江苏省民政厅
    发布时间:2022/1/19 | 作者: | 文章来源:苏州市民政局
    2019-11-28 19:22 [来源:华声在线] [责编:黄爱民]
    2024-07-04 07:42:23 - 南宁日报
    广东社工 2017-07-10 09:24 社工中国网 投稿 打印
    27.12.2016 06:06
    编辑:甘再松 审编:闫玉茹

Field names and their roles (date, source, close, other) are in
``loaders/data/ingest_meta_keys.tsv``. ``meta_line`` returns the line's publication date,
its outlet and whether it is an editor line (which ends an article), or None for any
other line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from shegong.loaders.data import read_tsv

from .dates import leading_timestamp, parse_date
from .outlets import ends_like_outlet, outlet_value

__all__ = ["MAX_META", "MetaLine", "meta_line"]

KEYS_FILE = "ingest_meta_keys.tsv"
MAX_META = 150  # longer lines are prose

_TAGS = re.compile(r"^(?:\s*[【\[][^】\]]{1,8}[】\]])+\s*(?=\S+\s*[::])")  # 【纠错】 责任编辑:…
_BRACKETS = str.maketrans({c: " " for c in "[]【】|丨"})
_PROSE = re.compile(r"[。;!?]|,.*,")
_NUMERIC = re.compile(r"(?:19|20)\d{2}\s*[-/.]")  # 2021-09-21, not 2021年5月1日
_CHANNEL = re.compile(r"[\u4e00-\u9fffA-Za-z·]{2,8}\s+")  # 广东社工 before a timestamp


@dataclass(frozen=True)
class MetaLine:
    """What a metadata line states."""

    date: str | None = None  # ISO publication date
    outlet: str | None = None
    closes: bool = False  # an editor line: the article ends here
    page: bool = True  # a page's dateline, not 时间:2021年5月1日 in a notice


@cache
def _keys() -> tuple[re.Pattern[str], dict[str, str]]:
    roles = {row[0]: row[1] for row in read_tsv(KEYS_FILE)}
    names = sorted(roles, key=len, reverse=True)
    pattern = re.compile(r"(?P<key>" + "|".join(map(re.escape, names)) + r")\s*[::]+\s*")
    return pattern, roles


def _fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` split into what precedes the first field and (role, value) pairs."""
    pattern, roles = _keys()
    found = list(pattern.finditer(text))
    if not found:
        return text.strip(), []
    fields = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        fields.append((roles[match["key"]], text[match.end() : end].strip()))
    return text[: found[0].start()].strip(), fields


@lru_cache(maxsize=8192)  # each line is asked twice (is it structural? which kind?)
def meta_line(line: str) -> MetaLine | None:
    """The metadata ``line`` states, or None when it has no date, source or editor field
    (``作者:某某`` alone stays text)."""
    if len(line) > MAX_META or _PROSE.search(line):
        return None
    text = _TAGS.sub("", line).translate(_BRACKETS).strip()
    stamp = leading_timestamp(text)
    if stamp is None:
        channel = _CHANNEL.match(text)
        if channel:
            stamp = leading_timestamp(text[channel.end() :])
            if stamp is not None:
                stamp = (stamp[0], channel.end() + stamp[1])
    date = stamp[0] if stamp else None
    rest = text[stamp[1] :] if stamp else text
    before, fields = _fields(rest)
    if not fields and stamp is None:
        return None
    if before and not stamp:
        return None  # 活动时间:… inside a sentence, a label before the field
    outlet = None
    closes = False
    keyed = any(role == "source" for role, _ in fields)
    page = stamp is not None or any(role not in ("time", "other") for role, _ in fields)
    for role, value in fields:
        if role in ("date", "time"):
            page = page or bool(_NUMERIC.match(value))
            date = date or parse_date(value)
        elif role == "source":
            outlet = outlet or outlet_value(value)
        elif role == "close":
            closes = True
    if stamp and before:  # 2024-07-04 07:42:23 - 南宁日报
        bare = outlet_value(before)
        if bare and ends_like_outlet(bare):
            outlet = outlet or bare
        elif len(before) > 20 or "," in before:
            return None  # 2021年5月1日,志愿者在… is a caption, not a dateline
    if date is not None:
        return MetaLine(date=date, outlet=outlet, page=page)
    if outlet is not None or (keyed and not closes):
        return MetaLine(outlet=outlet)  # 来源:网络 is a source line naming no outlet
    return MetaLine(closes=True) if closes else None

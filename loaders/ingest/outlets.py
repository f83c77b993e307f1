"""Outlet names read from source fields and news leads: cleaned, and checked to be outlets.

A ``来源:`` value is often not an outlet: the site itself (``本站``, ``网络``), a person
(``来源:张琳琳``), a URL. ``outlet_value`` cleans a field value and keeps it only when it
can name an outlet; ``lead_outlet`` also asks a name taken from a lead (``…讯``, ``…电``)
to end like an outlet (``新华社杭州`` -> ``新华社``).
"""

from __future__ import annotations

import re
from functools import cache

from shegong.loaders.data import read_lines

__all__ = [
    "clean_outlet",
    "complete_outlet",
    "ends_like_outlet",
    "lead_outlet",
    "outlet_prefix",
    "outlet_value",
    "person_shaped",
    "self_reference",
]

NOT_OUTLETS_FILE = "ingest_not_outlets.txt"
SUFFIXES_FILE = "ingest_outlet_suffixes.txt"
SURNAMES_FILE = "surnames.txt"

_QUOTES = str.maketrans("", "", "《》〈〉“”‘’\"'「」『』")
_OUTLET_SEPARATORS = re.compile(r"\s*[,、;/]\s*")
_BRACKETS = re.compile(r"\s*[(\[【][^()\[\]【】]{0,12}[)\]】]\s*$")
_EDGES = re.compile(r"^[-—|·::]+|[-—|·::]+$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_URL = re.compile(r"https?:|www\.|\.(?:com|cn|net|org|html?)\b", re.IGNORECASE)


@cache
def _not_outlets() -> frozenset[str]:
    return frozenset(w.lower() for w in read_lines(NOT_OUTLETS_FILE))


@cache
def _suffixes() -> tuple[str, ...]:
    return tuple(sorted(read_lines(SUFFIXES_FILE), key=len, reverse=True))


@cache
def _surnames() -> frozenset[str]:
    return frozenset(read_lines(SURNAMES_FILE))


def clean_outlet(raw: str) -> str | None:
    """An outlet as written, without 据, 《》 or quotes; several joined by ``、``."""
    text = raw.strip().translate(_QUOTES)
    text = re.sub(r"^(据|来自)\s*", "", text)
    parts = [p for p in _OUTLET_SEPARATORS.split(text) if p]
    return "、".join(dict.fromkeys(parts)) or None


def self_reference(name: str) -> bool:
    """Whether ``name`` is the page's own outlet or no outlet (本报, 本网, 网络)."""
    return name.strip().lower() in _not_outlets()


def ends_like_outlet(name: str) -> bool:
    """Whether ``name`` ends like an outlet's name (…网, …日报, …客户端)."""
    return name.endswith(_suffixes())


def person_shaped(name: str) -> bool:
    """2-3 Han characters, a surname first, no outlet ending: a person (来源:张琳琳)."""
    if not (2 <= len(name) <= 3 and _HAN.fullmatch(name)) or ends_like_outlet(name):
        return False
    return name[0] in _surnames() or name[:2] in _surnames()


def outlet_value(raw: str) -> str | None:
    """The outlet a source field's value names (first word, a trailing ``(郑州)`` cut),
    or None when it names none (empty, a URL, the site itself, a person)."""
    words = _EDGES.sub("", raw.strip()).split()
    if not words:
        return None
    text = _EDGES.sub("", _BRACKETS.sub("", words[0]))
    if not text or _URL.search(text) or not _HAN.search(text):
        return None
    outlet = clean_outlet(text)
    if outlet is None or outlet.lower() in _not_outlets() or person_shaped(outlet):
        return None
    return outlet


def outlet_prefix(raw: str) -> str | None:
    """The longest start of ``raw`` ending like an outlet (``新华社杭州`` -> ``新华社``)."""
    text = raw.strip()
    for end in range(len(text), 1, -1):
        if ends_like_outlet(text[:end]):
            return text[:end]
    return None


def lead_outlet(raw: str) -> str | None:
    """The outlet a lead names (``华声在线`` in ``华声在线11月28日讯``): the longest start
    of ``raw`` ending like an outlet, or None (``本报讯``, no outlet ending)."""
    prefix = outlet_prefix(raw)
    return outlet_value(prefix) if prefix else None


_LEVELS = "(?:省|市|区|县|镇|乡|街道|州|盟|旗)"
_CHAIN = re.compile(rf"(?:[\u4e00-\u9fff]{{1,6}}?{_LEVELS})+")  # 上海市黄浦区
_NAME_BEFORE_LEVEL = re.compile(rf"(?:[\u4e00-\u9fff]{{1,6}}?{_LEVELS})*[\u4e00-\u9fff]{{2,3}}")
_BOUNDARY = set(" \n,。;:、()“”《》!?")


def complete_outlet(outlet: str, text: str) -> str:
    """The fullest form of a short ``outlet`` that ``text`` uses (the gold's rule for short
    forms): ``市民政局`` -> ``海宁市民政局``, ``五里桥…联合会`` -> ``上海市黄浦区五里桥…``.
    A completion is a place (chain) written before the short form at the start of a clause;
    the most frequent completion wins (then the longest); ``outlet`` itself when the text
    completes it nowhere."""
    shape = _NAME_BEFORE_LEVEL if re.match(_LEVELS, outlet) else _CHAIN
    found: dict[str, int] = {}
    for match in re.finditer(re.escape(outlet), text):
        begin = match.start()
        while begin > 0 and text[begin - 1] not in _BOUNDARY and match.start() - begin < 12:
            begin -= 1
        prefix = text[begin : match.start()]
        if (begin == 0 or text[begin - 1] in _BOUNDARY) and prefix and shape.fullmatch(prefix):
            found[prefix + outlet] = found.get(prefix + outlet, 0) + 1
    if not found:
        return outlet
    return max(found, key=lambda name: (found[name], len(name)))

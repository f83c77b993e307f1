"""Organisation mentions: a name ending (协会, 民政局, 大学, 政法委...) extended leftwards
to where the name begins.

The left edge is the nearest break: punctuation, a verb or preposition (org_breaks.txt), a
title, or an event noun; words that are part of a name (places, known organisations,
inner suffixes such as 联合会 inside ...联合会司法社会工作委员会) are never breaks. A name
that starts with a place, a known organisation, a national prefix or a quoted proper name
is *anchored* and stands on its own; an unanchored one (区民政局, 社会工作行业协会,
联合会, 慈善社工处) is a short form that the article resolver expands or drops.
Named units keep the span of the body they belong to (``parent``), for PART_OF.
"""

from __future__ import annotations

import re
from itertools import accumulate

from shegong.schema import Label

from .candidates import Candidate, is_cjk
from .lexicon import Hit, Hits, Lexicon
from .people import common_words

__all__ = ["find_organisations"]

_NATIONAL = ("中国", "中华", "中共", "共青团", "国家", "首都", "全国")
# Suffixes that only name a body after a quoted proper name (“红棉惠爱”社工志愿服务队伍).
_NEEDS_QUOTE = frozenset({"队伍", "团队", "服务队"})
_SPLITTERS = "与和及同"
_LEVEL_CHARS = "省市区县"
_LOCAL_ANCHOR = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:街道|社区|镇|乡|村)")
# a local anchor never starts with a level word, a quantifier or a preposition (到北界镇)
_NOT_LOCAL = ("乡镇", "城乡", "街道", "社区", "各", "所在", "每个", "全", "农村", *"到在赴至向由")
_MAX_NAME = 24
_COUNTED = re.compile(r"[一二两三四五六七八九十几数多各每][个家所]")
_TERM_BOARD = re.compile(
    r".{2}(?:第[一二三四五六七八九十百0-9]+|新一)届(?:常务)?(?:理事会|监事会)$"
)
# One-character break words that also occur inside proper names (财经, 天使, 为民, 至善).
_SOFT_BREAKS = frozenset("经使给让至后时还又再即如以")
_SOFT_REACH = 8
# Characters no name is made of (everything but CJK and letters), digits included.
_NOT_NAME = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffA-Za-z·]+")
# Endings that name a body only as a unit of another named body (…服务中心法治社保公益普法平台).
_UNIT_ONLY = frozenset({"平台"})


def _barriers(text: str, hits: Hits, protected: bytearray) -> list[int]:
    """``left[i]``: the leftmost position an organisation ending at/after ``i`` may start."""
    n = len(text)
    wall = bytearray(n + 1)  # wall[i]: a name cannot cross from i-1 into i
    for m in _NOT_NAME.finditer(text):
        wall[m.start() : m.end() + 1] = b"\x01" * (m.end() - m.start() + 1)
    words = common_words()
    for cat in ("break", "title", "event", "day"):
        for h in hits.get(cat):
            if cat == "break" and h.word in _SOFT_BREAKS and text[h.start : h.start + 2] in words:
                continue  # 经 of 经济, 使 of 使命: the character starts a word, no verb
            # a verb that is also a short place name (新建 in 今年将新建社工站) stays a verb
            if any(protected[h.start : h.end]) and not any(
                p.end == h.end and p.data[:1] != ("full",) for p in hits.starting("place", h.start)
            ):
                continue
            wall[h.start] = 1
            wall[h.end] = 1
    # the last wall at or before each position (walls are at increasing positions)
    return list(accumulate((i if w else 0 for i, w in enumerate(wall)), max))


def _clean_end(text: str, end: int, hits: Hits) -> bool:
    if end >= len(text) or not is_cjk(text[end]):
        return True
    return any(
        hits.starting(cat, end)
        for cat in ("title", "break", "follow", "orgsuf", "event", "place", "knownorg")
    )


def _over_soft_breaks(text: str, start: int, s0: int, hits: Hits) -> int:
    """Where the name starts when a place a few characters before ``start`` is cut off
    from it only by one-character words that also occur inside names (山东财经大学,
    北京亿天使公益基金会: 经 and 使 are no verbs there)."""
    if _anchor(text, start, hits)[0] is not None:
        return start
    for p in hits.get("place"):
        if p.data[:1] == ("weak",) or not (start - _SOFT_REACH <= p.start < start) or p.end > s0:
            continue
        gap = range(p.end, s0)
        if _NOT_NAME.search(text, p.end, s0) or any(
            h.start in gap and (len(h.word) > 1 or h.word not in _SOFT_BREAKS)
            for h in hits.get("break")
        ):
            continue
        if any(h.start in gap for cat in ("title", "event", "day") for h in hits.get(cat)):
            continue
        if any(ch in _SPLITTERS for ch in text[p.end : start]) or any(
            p.end < h.end <= start for h in hits.get("orgsuf")
        ):
            continue  # 山东理工大学与市委社会工作部: two bodies
        return p.start
    return start


def _wordy_end(text: str, end: int) -> bool:
    """Whether a one-character ending closes an ordinary word (社区干部, 全部) rather than
    a name (财政局, 研究部): the two characters are a word, the three are not."""
    words = common_words()
    return text[end - 2 : end] in words and text[end - 3 : end] not in words


def _anchor(text: str, start: int, hits: Hits) -> tuple[str | None, int]:
    """What anchors a name starting at ``start``, and where the anchor ends."""
    places = hits.starting("place", start)
    if places:
        end = places[0].end
        while True:  # a chain: 广州市越秀区...
            nxt = hits.starting("place", end)
            if not nxt:
                break
            end = nxt[0].end
        return "place", end
    known = hits.starting("knownorg", start)
    if known:
        return "known", known[0].end
    if text[start] == "“":
        close = text.find("”", start)
        if start < close <= start + 12:
            return "quote", close + 1
    m = _LOCAL_ANCHOR.match(text, start)
    if m and not m.group().startswith(_NOT_LOCAL):
        return "local", m.end()
    for prefix in _NATIONAL:
        if text.startswith(prefix, start):
            end = start + len(prefix)
            while hits.starting("place", end):  # 中共长春市委: the places belong to the anchor
                end = hits.starting("place", end)[0].end
            return "national", end
    return None, start


def _has_inner_body(start: int, s0: int, suffix_ends: dict[int, Hit], lex: Lexicon) -> bool:
    return any(
        start < h.start and k <= s0 and lex.org_suffix[h.word][1] != "unit"
        for k, h in suffix_ends.items()
    )


def find_organisations(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """Organisation candidates in one flat sentence (maximal, non-overlapping)."""
    n = len(text)
    protected = bytearray(n + 1)
    for cat in ("place", "knownorg", "orgsuf"):
        for h in hits.get(cat):
            protected[h.start + 1 : h.end] = b"\x01" * (h.end - h.start - 1)
    left = _barriers(text, hits, protected)
    found: list[Candidate] = []
    suffix_ends: dict[int, Hit] = {}
    # a title or event noun running past the suffix wins: 处处长, 党委书记, 官网上线
    overrun = {
        i for t in (*hits.get("title"), *hits.get("event")) for i in range(t.start + 1, t.end)
    }
    for h in hits.get("orgsuf"):
        if h.end in overrun:
            continue
        best = suffix_ends.get(h.end)
        if best is None or h.end - h.start > best.end - best.start:
            suffix_ends[h.end] = h
    for end, suf in sorted(suffix_ends.items()):
        kind, cls = lex.org_suffix[suf.word]
        if len(suf.word) == 1 and not _clean_end(text, end, hits):
            continue
        if suf.word.endswith("部") and text[end : end + 1] == "门":
            continue  # 民政部门: a kind of department, not a body
        if len(suf.word) == 1 and _wordy_end(text, end):
            continue  # 干部, 全部, 内部: an ordinary word ends with the suffix
        # a strong ending is split only by a longer word (北京大学生), not by 学社 in
        # 四川大学社会工作系
        glued = text[end - 2 : end + 1] if cls == "strong" else text[end - 1 : end + 1]
        if (
            end < n
            and glued in common_words()
            and not any(hits.starting(cat, end) for cat in ("title", "break", "follow", "role"))
        ):
            continue  # 服务社区: the suffix's last character starts the next word
        s0 = suf.start
        for p in hits.get("place"):  # 琼海市委: the suffix starts inside the place
            if p.start < s0 < p.end:
                s0 = p.start
        start = left[s0]
        if start > 0 and text[start - 1] == "”":  # “守心”未成年人审判社会工作中心
            open_ = text.rfind("“", max(0, start - 12), start)
            if open_ >= 0:
                start = open_
        # 沙坪坝区与重庆大学: a new name begins after 与/和 when a place follows
        for k in range(end - 2, start, -1):
            if text[k] in _SPLITTERS and (
                k + 1 < s0
                and (
                    hits.starting("place", k + 1)
                    or hits.starting("knownorg", k + 1)
                    or text[k + 1] in _LEVEL_CHARS
                    or bool(hits.ending("orgsuf", k))  # 社工协会与腾讯公益慈善基金会
                )
                or k + 1 == s0
                and len(suf.word) >= 2
                and bool(hits.ending("orgsuf", k))
            ):  # 民政局与协会: two bodies
                start = k + 1
                break
        if start >= s0 and len(suf.word) < 2:
            continue
        start = _over_soft_breaks(text, start, s0, hits)
        anchor, anchor_end = _anchor(text, start, hits)
        if anchor is None:  # 拟推荐湖南省大同社会工作服务中心: the name starts at the place
            inner_start = next(
                (
                    h.start
                    for cat in ("place", "knownorg")
                    for h in hits.get(cat)
                    if start < h.start < s0 and h.data[:1] != ("weak",)
                ),
                None,
            )
            if inner_start is not None:
                start = inner_start
                anchor, anchor_end = _anchor(text, start, hits)
        name = text[start:end]
        if name in lex.known_orgs:
            continue  # 财政部: the known body, found below
        if _COUNTED.search(name):
            continue  # 两个社区社工室, 一个村级社会工作室: a number of bodies, no name
        if _TERM_BOARD.search(name):
            continue  # X第二届理事会: the body's board of one term; X is the name
        generic = name in lex.org_generic
        if suf.word in _NEEDS_QUOTE and (anchor != "quote" or not _clean_end(text, end, hits)):
            continue
        if anchor == "quote" and (len(suf.word) < 2 or s0 - anchor_end > 10):
            continue
        if len(name) > _MAX_NAME:
            continue
        if suf.word in _UNIT_ONLY and not _has_inner_body(start, s0, suffix_ends, lex):
            continue
        middle = text[anchor_end:s0] if anchor else text[start:s0]
        # 民进省委会: a known body's committee of the level whose place the article names
        level_of_known = anchor == "known" and middle in ("省", "市", "区", "县")
        if generic:
            form, cls = "short", "generic"
        elif level_of_known:
            form = "short"
        elif (
            anchor
            and (middle or len(suf.word) >= 2)
            or cls == "strong"
            and len(text[start:s0]) >= 2
        ):
            form = "full"
        elif cls == "body" and len(name) >= 4 and len(suf.word) >= 2 and anchor is None:
            form = "short"  # 社会工作行业协会, 区民政局: resolved in context or dropped
        elif len(name) >= 2:
            form = "short"
        else:
            continue
        # inner bodies: 中国社会工作联合会 | 司法社会工作委员会
        parents = []
        for k, inner in sorted(suffix_ends.items()):
            if kind == "media":
                break  # 河北青年管理干部学院学报: a journal is not a unit of its college
            if start < inner.start and k < end and k - start >= 3:
                if any(o.start < k < o.end for o in hits.get("orgsuf")):
                    continue
                if any(ch in _SPLITTERS for ch in text[start:k]) or end - k < 2:
                    continue  # 青少年与学校社会工作委员会: not a body called …青少年与学校
                if len(inner.word) == 1 and (not _clean_end(text, k, hits) or _wordy_end(text, k)):
                    continue  # 生物科技有限公司: 科 starts the word 科技, it ends no unit
                strong = lex.org_suffix[inner.word][1] == "strong"
                if anchor or strong:
                    # a government body is a body of its own: 宁晋县民政局 | 社会工作指导中心
                    official = (
                        lex.org_suffix[inner.word][0] == "government" and len(inner.word) >= 2
                    )
                    distinct = strong or official or inner.start > anchor_end
                    parents.append((start, k, distinct))
        if anchor == "known" and cls == "unit" and anchor_end - start >= 2 and s0 > anchor_end:
            parents.append((start, anchor_end, True))  # 民政部 | 部管社会组织综合党委
        found.append(
            Candidate(
                Label.ORGANISATION,
                start,
                end,
                name,
                rule=f"org:{cls}" + (f":{anchor}" if anchor else ""),
                kind=kind,
                form=form,
                info={
                    "parents": parents,
                    "anchor": anchor,
                    "anchor_end": anchor_end,
                    "suffix": suf.word,
                    "class": cls,
                    "level_at": anchor_end - start if level_of_known else None,
                },
            )
        )
    for h in hits.get("knownorg"):
        if text[h.end : h.end + 1] == "门":  # 民政部门 is not 民政部
            continue
        found.append(
            Candidate(
                Label.ORGANISATION,
                h.start,
                h.end,
                h.word,
                rule="org:known",
                kind=h.data[0],
                info={
                    "parents": [],
                    "anchor": "known",
                    "anchor_end": h.end,
                    "suffix": "",
                    "class": "strong",
                },
            )
        )
    for m in lex.media_quotes.finditer(text) if "“" in text else ():  # “遂宁民政发布”等公众号
        g = 1 if m.group(1) is not None else 2
        found.append(
            Candidate(
                Label.ORGANISATION,
                m.start(g),
                m.end(g),
                m.group(g),
                rule="org:media-channel",
                kind="media",
                info={
                    "parents": [],
                    "anchor": "quote",
                    "anchor_end": m.end(g),
                    "suffix": "",
                    "class": "strong",
                },
            )
        )
    # keep maximal candidates
    found.sort(key=lambda c: (-c.length, c.start))
    kept: list[Candidate] = []
    for c in found:
        if any(c.overlaps(k) for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept

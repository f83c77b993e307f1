"""Event mentions: an event noun (成立大会, 启动仪式, 座谈会, 公益集市...) with the modifiers
in front of it, named days (第十一个“国家宪法日”), and the date stated in the sentence.

Nouns of class ``needs`` (活动, 培训, 会议) are events only with a specific modifier in
front: a year, a quoted name, a place or an organisation; a bare noun (座谈会, 启动仪式上)
is a short form that the article resolver ties to the named event it refers to.
"""

from __future__ import annotations

import re

from shegong.loaders.data import read_tsv
from shegong.schema import Label

from .candidates import Candidate, is_name_char
from .lexicon import Hit, Hits, Lexicon

__all__ = ["find_date", "find_events"]

_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]"
)
# A quoted name that bodies host and that starts: 由…主办、…承办的“郑州社工精英线上服务”正式启动.
_HOSTED_QUOTE = re.compile(
    r"(?:主办|承办|协办|举办)的“([^“”]{4,30})”(?=(?:正式|顺利|成功|全面)?(?:启动|上线|开通|开幕|举行))"
)
_ORDINAL_DAY = re.compile(
    r"第\s*[\d一二三四五六七八九十百]+\s*个\s*“?([\u4e00-\u9fff]{2,10}?(?:日|节|宣传周|活动周))”?"
)
# Words allowed in an event name although they break organisation names.
_KEEP = frozenset(
    {
        "首届",
        "第一届",
        "全国",
        "全省",
        "全市",
        "全区",
        "全县",
        "联合",
        "成立",
        "乡镇",
        "城乡",
    }
)
_WORDS = read_tsv("event_words.tsv")
#: Break words kept inside an event name (新时代 in …新时代文明实践志愿服务队成立仪式).
_KEEP_WORDS = tuple(row[0] for row in _WORDS if row[1:2] == ("keep",))
_WALL_WORDS = tuple(row[0] for row in _WORDS if row[1:2] == ("wall",))
# compiled once: each event noun looks for all of them before it
_KEEP_FINDERS = tuple((w, re.compile(re.escape(w))) for w in _KEEP_WORDS)
_WALL_FINDERS = tuple(re.compile(re.escape(w)) for w in _WALL_WORDS)
_THROUGH = frozenset(row[0] for row in _WORDS if row[1:2] == ("through",))


def _alt(use: str) -> str:
    words = sorted((row[0] for row in _WORDS if row[1:2] == (use,)), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in words)


# A visit: <Org>…赴X开展调研, <Org>一行考察调研X (not 调研员, 调研报告)
_VISIT = re.compile(
    f"(?:(?:{_alt('goto')})[^,,。;;:]{{1,40}}?(?:开展|进行)?了?|一行(?:\\d+人)?(?:先后)?)"
    f"(?P<verb>{_alt('visit')})(?!员|报告|组|课题|成果|的)"
)
# A parenthetical short form inside a name: X(以下简称“Y”)成立大会.
_ALIAS_NOTE = re.compile(r"[((]以下简称[^))]{1,20}[))]$")
_NOTE_IN_NAME = re.compile(r"[((]以下简称[^))]{1,20}[))]")
_AFTER_BLOCK = (
    *(row[0] for row in _WORDS if row[1:2] == ("after",)),
    "平台",
    "机制",
    "体系",
    "项目",
    "方案",
    "工作",
    "成员",
    "经费",
    "资金",
    "品牌",
    "制度",
)
_BEFORE_BLOCK = ("等", "各类", "各项", "相关", "系列", "一系列", "多场", "各种")
_ARTICLE_WORDS = ("本次", "此次", "这次", "该", "当天的", "本届")
# A scope word opening the modifiers names one event: 全省社会工作知识大赛.
_SCOPE = ("全国", "全省", "全市", "全区", "全县", "全盟", "全州")
# A named host right before the event: 协会开展了…培训, 协会还组织举办了…
# (a purpose clause or the venue may come between: 促进会为助力…,开展了…培训; 残联在天府广场举办…)
_HOSTED = re.compile(
    r"(?:为了?[^,。;:]{2,40},)?(?:在[^,。;:]{2,15}?)?"
    r"(?:还|将|也|已|先后|正式|成功|再次|共同|联合)*(?:组织)?(?:开展|举办|举行|召开|组织)了?$"
)


def find_date(text: str, year: str | None = None) -> str | None:
    """The first date stated in ``text``: ISO when the year is known, else ``MM-DD``."""
    m = _DATE.search(text)
    if not m:
        return None
    y = m.group("y") or year
    mm, dd = int(m.group("m")), int(m.group("d"))
    return f"{y}-{mm:02d}-{dd:02d}" if y else f"{mm:02d}-{dd:02d}"


def _left_edge(text: str, head_start: int, hits: Hits) -> int:
    """Where the modifiers of an event noun begin."""
    walls: set[int] = set()
    names = [(h.start, h.end) for cat in ("place", "knownorg") for h in hits.get(cat)]
    before = text[:head_start]
    kept = [
        (m.start(), m.start() + len(w))
        for w, finder in _KEEP_FINDERS
        for m in finder.finditer(before)
        if text[m.start() - 1 : m.start()] == "”"  # “蜀山同心”新时代…: inside a quoted name's unit
    ]
    head_starts = {e.start for e in hits.get("event") if e.end <= head_start}
    for finder in _WALL_FINDERS:
        walls.update(m.end() for m in finder.finditer(before))
    for h in hits.get("break"):
        if h.end > head_start:
            continue
        if h.word in _KEEP and not text.startswith("“", h.end):
            continue  # 联合启动“…”宣传周: the verb before a quoted name is no part of it
        if h.word in _THROUGH or h.start in head_starts:
            continue  # 启动仪式暨…授牌仪式: a break opening an earlier event noun is part of it
        if any(s <= h.start and h.end <= e and (s, e) != (h.start, h.end) for s, e in names):
            continue  # 成都市: 都 inside a place name is no break
        if any(s <= h.start and h.end <= e for s, e in kept):
            continue
        walls.add(h.end)
    pos = head_start
    while pos > 0:
        ch = text[pos - 1]
        if pos in walls:
            break
        note = _ALIAS_NOTE.search(text, max(0, pos - 28), pos)
        if note is not None:  # X(以下简称“Y”)成立大会
            pos = note.start()
            continue
        if ch == ")":  # 乡镇(街道)
            open_ = text.rfind("(", max(0, pos - 8), pos - 1)
            if open_ < 0:
                break
            pos = open_
            continue
        if ch == "”":  # a quoted name inside the event name
            open_ = text.rfind("“", 0, pos - 1)
            if open_ < 0 or pos - open_ > 32:
                break
            pos = open_
            continue
        if not is_name_char(ch) and ch not in "+·-":
            break
        if ch.isdigit():
            # keep an ordinal (第33个, 第8届) and a year (2021年...), stop at a date or a count
            ordinal = re.search(r"第\s*\d{1,3}\s*$", text[max(0, pos - 8) : pos])
            if ordinal and text[pos : pos + 1] in ("个", "届", "次"):
                pos -= len(ordinal.group())
                continue
            years = re.search(r"\d{1,3}$", text[max(0, pos - 3) : pos])
            if years and text.startswith("周年", pos):  # 成立25周年纪念大会
                pos -= len(years.group())
                continue
            m = re.search(r"(?:19|20)\d{2}$", text[:pos])
            if not (m and text[pos : pos + 1] == "年"):
                break
            pos = m.start()
            continue
        pos -= 1
    # drop a leading date and article words
    m = _DATE.match(text, pos)
    if m:
        pos = m.end()
    for word in _ARTICLE_WORDS:
        if text.startswith(word, pos):
            pos += len(word)
    return pos


def _edition(before: str, start: int, hits: Hits) -> bool:
    """Whether a year or a place in front of a named day makes one event of the whole:
    2024年四川省社会工作宣传周活动 (not the 社会工作宣传周 of everywhere)."""
    end = start + len(before)
    return bool(re.search(r"(?:19|20)\d{2}年", before)) or any(
        start <= p.start < end for p in hits.get("place")
    )


def _body_ends(hits: Hits, at: int) -> bool:
    """Whether an organisation suffix or a known organisation ends at ``at``."""
    return any(hits.ending(cat, at) for cat in ("orgsuf", "knownorg"))


def _hosted(text: str, start: int, hits: Hits) -> bool:
    """Whether a named organisation or place hosts the event starting at ``start``."""
    m = _HOSTED.search(text, max(0, start - 56), start)
    if not m or m.end() != start or m.start() == start:
        return False
    return any(hits.ending(cat, m.start()) for cat in ("orgsuf", "knownorg", "place"))


def find_events(
    text: str, hits: Hits, lex: Lexicon, year: str | None = None, date: str | None = None
) -> list[Candidate]:
    """Event candidates in one flat sentence; ``date`` is the sentence's date if known."""
    out: list[Candidate] = []
    date = date or find_date(text, year)
    heads: dict[int, Hit] = {}
    for h in hits.get("event"):
        # longest head ending at each position, and no head followed by 平台/机制...
        if text.startswith(_AFTER_BLOCK, h.end):
            continue
        best = heads.get(h.end)
        if best is None or h.end - h.start > best.end - best.start:
            heads[h.end] = h
    # a head inside a longer head (活动 in 宣传活动 … 启动仪式) is not an event of its own
    ends = sorted(heads)
    for end in ends:
        h = heads[end]
        if any(
            o.start <= h.start and h.end < o.end or o.start < h.start and h.end <= o.end
            for o in heads.values()
            if o is not h
        ):
            continue
        kind, cls = h.data
        if h.word.startswith("年") and text[h.start - 1 : h.start].isdigit():
            continue  # 2017年会费: a year, not an annual meeting
        start = _left_edge(text, h.start, hits)
        # a head right after another head's end continues it: …成立大会暨…授旗仪式
        name = _NOTE_IN_NAME.sub("", text[start:end]).strip()
        purpose = False
        if start > 1 and text[start - 1] == "的" and cls == "named" and _body_ends(hits, start - 1):
            # 启动了历下社工站的成立仪式: the body's ceremony
            owner = _left_edge(text, start - 1, hits)
            if owner < start - 1:
                name = text[owner : start - 1] + name
                start = owner
        elif start > 1 and text[start - 1] == "为" and _hosted(text, start - 1, hits):
            # 联合组织开展为孤残儿童献爱心捐助活动: the purpose names the activity
            start -= 1
            name = text[start:end].strip()
            purpose = True
        modifier = text[start : h.start]
        before = text[max(0, start - 4) : start]
        if before.endswith(_BEFORE_BLOCK) or modifier.startswith(_BEFORE_BLOCK):
            continue
        days = [d for d in hits.get("day") if start <= d.start < h.start]
        if days and not (
            _edition(text[start : days[0].start], start, hits) or _hosted(text, start, hits)
        ):
            continue  # “国家宪法日”和“宪法宣传周”宣传活动: the days are the events
        quoted = text[start - 1 : start] == "“" and text[end : end + 1] == "”"
        specific = purpose or bool(
            re.search(
                r"(?:19|20)\d{2}年|“|^(?:第\s*[\d一二三四五六七八九十]+\s*[届个次]|首届)", modifier
            )
            or quoted  # “社会工作沙龙活动”
            or (modifier.startswith(_SCOPE) and "各" not in modifier)
            or any(start <= p.start < h.start for p in hits.get("place"))
            or any(start <= p.start < h.start for p in hits.get("orgsuf"))
            or any(start <= p.start < h.start for p in hits.get("knownorg"))
            or (
                len(modifier) >= 3
                and not modifier.startswith("全体")
                and _hosted(text, start, hits)
            )
        )
        if not modifier:
            form = "short"
        elif cls == "needs" and not specific:
            continue
        else:
            form = "full"
        out.append(
            Candidate(
                Label.EVENT,
                start,
                end,
                name,
                rule=f"event:{cls}",
                kind=kind,
                form=form,
                info={"head": h.word, "date": date},
            )
        )
    for m in _VISIT.finditer(text):
        if any(c.start < m.end("verb") and m.start("verb") < c.end for c in out):
            continue
        out.append(
            Candidate(
                Label.EVENT,
                m.start("verb"),
                m.end("verb"),
                m.group("verb"),
                rule="event:visit",
                kind="other",
                form="short",
                info={"head": m.group("verb"), "date": date},
            )
        )
    for m in _HOSTED_QUOTE.finditer(text):
        if any(c.start <= m.start(1) < c.end for c in out):
            continue
        if m.group(1).endswith(tuple(lex.programme_suffix)) or m.group(1) in lex.known_programmes:
            continue  # “银龄互助计划”正式启动: a programme (Policy), not an event
        out.append(
            Candidate(
                Label.EVENT,
                m.start(1),
                m.end(1),
                m.group(1),
                rule="event:hosted-quote",
                kind="launch",
                info={"head": m.group(1), "date": date},
            )
        )
    for m in _ORDINAL_DAY.finditer(text):
        out.append(
            Candidate(
                Label.EVENT,
                m.start(),
                m.end(),
                m.group(1),
                rule="event:day",
                kind="day",
                info={"head": m.group(1), "date": date},
            )
        )
    for h in hits.get("day"):
        if any(c.start <= h.start < c.end for c in out):
            continue
        out.append(
            Candidate(
                Label.EVENT,
                h.start,
                h.end,
                h.word,
                rule="event:day",
                kind="day",
                info={"head": h.word, "date": date},
            )
        )
    out.sort(key=lambda c: (c.start, -c.length))
    return out

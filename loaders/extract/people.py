"""Person mentions: names next to titles (副会长彭东, 吴娟会长, 记者 皮磊), names in lists
before 当选/任 (周惠、康鹏、余华龙…当选), and later bare uses of names already found.

A name is a surname (surnames.txt) and one or two more characters; where it ends is told
by what follows (a title, a verb from person_follow.txt, punctuation). Candidates that are
ordinary words in jieba's dictionary (单位, 高度) are rejected.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from shegong.schema import Label

from .candidates import Candidate, is_cjk
from .lexicon import Hits, Lexicon

__all__ = ["common_words", "find_byline", "find_people", "place_words"]

_LIST = re.compile(
    r"(?:^|(?<=[,:;“])|(?<=选举|推选|其中|分别|同志))"
    r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})(?=当选|任|为|等|同志|分别)"
)
_ALONE = re.compile(r"(?:^|(?<=[,:;。]))([\u4e00-\u9fff]{2,3}?)(?=当选|被选为|担任)")
_SAID = re.compile(r"(?<=据)([\u4e00-\u9fff]{2,3}?)(?=介绍|透露|表示|说)")
_ELECT = re.compile(r"(?<=选举|推选|任命)([\u4e00-\u9fff]{2,3}?)(?=担任|任|为)")
# Later items of a coordinated election list: 选举张小红为会长,李强为秘书长.
_ELECT_MORE = re.compile(r"(?<=[,;、])([\u4e00-\u9fff]{2,3}?)(?:担任|任|为)")
_ELECT_VERB = re.compile(r"选举|推选|任命|聘任|选出")
# A name heading a counted group of people: 推荐司马思等2名个人, 王芳等3名同志.
_COUNTED = re.compile(
    r"([\u4e00-\u9fff]{2,4}?)等[0-9一二三四五六七八九十百]+(?:名|位)"
    r"(?:个人|同志|社工|社会工作者|志愿者|代表|先进个人|人员)"
)

# A headline's byline: the authors in brackets closing it (…建设探究(张皓), (王芳、李强)).
_BYLINE = re.compile(r"[((]([\u4e00-\u9fff]{2,4}(?:[、,,][\u4e00-\u9fff]{2,4})*)[))]\s*$")
_BYLINE_SEP = re.compile(r"[、,,]")


_VERB_CHARS = frozenset("任为说是在和与及等")
# Titles of a byline, whose names may be separated by spaces.
_BYLINE_ROLES = frozenset(
    {
        "记者",
        "通讯员",
        "作者",
        "编辑",
        "摄影",
        "实习生",
        "见习记者",
        "责任编辑",
        "责编",
        "审编",
        "审核",
        "校对",
    }
)


@cache
def _dictionary() -> tuple[tuple[str, int, str], ...]:
    """(word, count, tag) of every 2-3 character word of jieba's dictionary, read once."""
    rows = []
    path = resources.files("jieba").joinpath("dict.txt")
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and 2 <= len(parts[0]) <= 3:
                rows.append((parts[0], int(parts[1]), parts[2]))
    return tuple(rows)


@cache
def common_words() -> frozenset[str]:
    """2-3 character words of jieba's dictionary that are not person names."""
    return frozenset(w for w, _, tag in _dictionary() if not tag.startswith("nr"))


@cache
def place_words() -> frozenset[str]:
    """Words of jieba's dictionary tagged as place or other proper names (东湖, 石桥)."""
    return frozenset(w for w, _, tag in _dictionary() if tag in ("ns", "nz"))


@cache
def rare_words() -> frozenset[str]:
    """Words of ``common_words`` that jieba counts fewer than 100 times (于洋, 金华): after
    a title they are names more often than words."""
    words = common_words()
    return frozenset(w for w, count, _ in _dictionary() if count < 100 and w in words)


def _is_name(name: str, lex: Lexicon, titled: bool = False) -> bool:
    if not 2 <= len(name) <= 4 or not all(is_cjk(c) for c in name):
        return False
    if name[:2] in lex.surnames and len(name) >= 3:
        pass
    elif name[0] not in lex.surnames:
        return False
    if name in common_words() and not (titled and name in rare_words()):
        return False
    if name in lex.titles or name in lex.gaz.by_name:
        return False
    return not (name in lex.gaz.short or name in lex.known_orgs)


def _boundary(text: str, pos: int, hits: Hits) -> bool:
    if pos >= len(text) or not is_cjk(text[pos]):
        return True
    if any(hits.starting(cat, pos) for cat in ("follow", "title", "orgsuf", "event")):
        return True
    breaks = hits.starting("break", pos)
    # a one-character break that starts a word (其 of 其一行) is no boundary there
    return any(len(b.word) > 1 or text[pos : pos + 2] not in common_words() for b in breaks)


def _name_at(text: str, pos: int, hits: Hits, lex: Lexicon) -> str | None:
    """The name starting at ``pos`` (after a title), decided by what follows it."""
    if pos >= len(text) or not is_cjk(text[pos]):
        return None
    if text[pos] in "和与及向对" and text[pos + 1 : pos + 3] in common_words():
        return None  # 督导和培训: a conjunction and a word, no name
    two, three = text[pos : pos + 2], text[pos : pos + 3]
    b2, b3 = _boundary(text, pos + 2, hits), _boundary(text, pos + 3, hits)
    four = text[pos : pos + 4]
    # a compound surname and two more: 欧阳明辉
    compound = two in lex.surnames and len(four) == 4 and not b3
    if compound and _boundary(text, pos + 4, hits) and _is_name(four, lex):
        return four
    if len(three) == 3 and b3 and not b2 and _is_name(three, lex):
        return three
    if b2 and _is_name(two, lex, titled=True) and text[pos + 1 : pos + 3] not in common_words():
        return two  # not 向工 in 秘书长向工作人员
    if len(three) == 3 and b3 and _is_name(three, lex):
        return three
    # a word follows the name directly: 副局长彭学玲充分肯定, 副局长聂磊完成交接
    words = common_words()
    if len(three) == 3 and not b2 and text[pos + 3 : pos + 5] in words and _is_name(three, lex):
        return three
    if (
        text[pos + 2 : pos + 4] in words
        and text[pos + 1 : pos + 3] not in words
        and _is_name(two, lex, titled=True)
    ):
        return two
    return None


def find_people(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """Person candidates in one flat sentence."""
    out: list[Candidate] = []

    def add(start: int, name: str, rule: str) -> None:
        if not any(c.start == start for c in out):
            out.append(Candidate(Label.PERSON, start, start + len(name), name, rule=rule))

    titles = hits.get("title")
    for t in [*titles, *hits.get("role")]:
        if any(
            o.start <= t.start and t.end <= o.end and o.end - o.start > t.end - t.start
            for o in titles
        ):
            continue  # inside a longer title (书记 of 副书记)
        pos = t.end
        skip = " :" if t.word in _BYLINE_ROLES else " "  # 编辑:甘再松 审编:闫玉茹
        while pos < len(text) and text[pos] in skip:
            pos += 1
        name = _name_at(text, pos, hits, lex) if t.word in lex.titles else None
        if name:
            add(pos, name, "person:title-name")
            # more holders of the same title: 副秘书长刁慎元、杜娜
            nxt = pos + len(name)
            seps = "、 " if t.word in _BYLINE_ROLES else "、"  # (通讯员 冯柳 毛文涛)
            while text[nxt : nxt + 1] in seps and (more := _name_at(text, nxt + 1, hits, lex)):
                if hits.starting("title", nxt + 1) or hits.starting("orgsuf", nxt + 1):
                    break
                add(nxt + 1, more, "person:title-list")
                nxt += 1 + len(more)
        # name before the title: 吴娟会长, 江晓贤社工表示, 田丰副教授
        for length in (3, 2):
            start = t.start - length
            if start < 0:
                continue
            cand = text[start : t.start]
            if length == 3 and cand[-1] in _VERB_CHARS:
                continue
            if not _is_name(cand, lex):  # the cheapest test first: most are no name
                continue
            before_ok = (
                start == 0
                or not is_cjk(text[start - 1])
                or any(hits.ending(cat, start) for cat in ("break", "title", "orgsuf", "follow"))
                or length == 3
                and text[max(0, start - 2) : start] in common_words()  # 落实习近平总书记
            )
            after_ok = _boundary(text, t.end, hits)
            if t.word not in lex.titles:  # a role (社工) marks a name only before a verb
                after_ok = any(hits.starting("follow", t.end) for _ in (0,))
            if before_ok and after_ok:
                add(start, cand, "person:name-title")
                break
    for m in _LIST.finditer(text):
        names = m.group(1).split("、")
        if all(_is_name(nm, lex) for nm in names):
            pos = m.start(1)
            for nm in names:
                add(pos, nm, "person:list")
                pos += len(nm) + 1
    for m in _ALONE.finditer(text):  # ,张红梅当选会长
        if _is_name(m.group(1), lex):
            add(m.start(1), m.group(1), "person:elected")
    for m in _SAID.finditer(text):  # 据陈龙介绍
        if _is_name(m.group(1), lex):
            add(m.start(1), m.group(1), "person:said")
    for m in _ELECT.finditer(text):
        if _is_name(m.group(1), lex):
            add(m.start(1), m.group(1), "person:elect")
    for m in _COUNTED.finditer(text):
        for k in range(m.start(1), m.end(1) - 1):  # the name is the tail before 等
            name = text[k : m.end(1)]
            left_ok = (
                k == 0
                or not is_cjk(text[k - 1])
                or any(hits.ending(cat, k) for cat in ("break", "title", "orgsuf", "follow"))
                or text[max(0, k - 2) : k] in common_words()
            )
            if left_ok and _is_name(name, lex):
                add(k, name, "person:counted")
                break
    verb = _ELECT_VERB.search(text)
    if verb and any(c.rule == "person:elect" for c in out):
        for m in _ELECT_MORE.finditer(text, verb.end()):
            # a title must follow: 李强为秘书长, not 活动为期
            if hits.starting("title", m.end()) and _is_name(m.group(1), lex):
                add(m.start(1), m.group(1), "person:elect-list")
    out.sort(key=lambda c: c.start)
    return out


def find_byline(title: str, lex: Lexicon) -> list[Candidate]:
    """Authors named in brackets at the end of a headline; all must look like names."""
    m = _BYLINE.search(title)
    if m is None:
        return []
    out, pos = [], m.start(1)
    for name in _BYLINE_SEP.split(m.group(1)):
        if not _is_name(name, lex):
            return []
        out.append(Candidate(Label.PERSON, pos, pos + len(name), name, rule="person:byline"))
        pos += len(name) + 1
    return out

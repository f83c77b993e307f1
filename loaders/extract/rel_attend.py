"""Lists of those who attend: ``A、B,C等出席会议``, ``参加此次活动的有A、B``.

An attendance verb (出席, 参加, 陪同 ... of ``event_attend.tsv``) takes as participants the
people and bodies listed in the clauses before it, back to the first clause that says more
than who came (a date, a verb, a preposition), or, in ``参加…的有``, those listed after
it. Organisations that only qualify a person (<Org><title><Person>) are not participants;
bodies named before 相关负责人 / 等单位领导 are. The event is the one named after the verb,
the one its noun refers to (会议, 启动仪式), or the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from shegong.loaders.data import read_tsv
from shegong.schema import Label

from .rel_appositive import Chains
from .rel_mask import MaskedSentence
from .rel_patterns import PLACEHOLDER, PatternSet

__all__ = ["Attendance", "find_attendance", "noun_kinds", "qualifies", "whole_list"]

_ROWS = read_tsv("event_attend.tsv")


def _words(use: str) -> list[str]:
    return sorted({row[0] for row in _ROWS if row[1:2] == (use,)}, key=lambda w: (-len(w), w))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


_PH = "".join(PLACEHOLDER.values())
_PER, _ORG, _EVT = (
    PLACEHOLDER[Label.PERSON],
    PLACEHOLDER[Label.ORGANISATION],
    PLACEHOLDER[Label.EVENT],
)
_VERB = re.compile(f"(?:{_alt(_words('verb'))})")
_VISIT = re.compile(f"(?:{_alt(_words('visit'))})")
_NOUN = re.compile(
    f"(?:本次|此次|这次|当天的|该|此)?[\u4e00-\u9fff]{{0,8}}?(?:{_alt(_words('noun'))})"
)
_FILLER = re.compile(f"(?:{_alt(_words('filler'))})")
_GROUP_TITLES = frozenset(_words("generic")) | {"主要负责人", "有关负责人", "负责同志"}
_GENERIC = re.compile(f"(?:{_alt(_words('generic'))})(?:等)?$")
_BLOCK = re.compile(f"(?:{_alt(_words('block'))})")
_SENDER = re.compile(f"(?:{_alt(_words('sender'))})$")
_COUNT = re.compile(r"[0-9一二三四五六七八九十百千余多]+(?:余|多)?(?:人|名|位)?")
_CLAUSE = re.compile(r"[,,;;::]")
_PARTY = "一行"
#: Unit names holding a block word (组织部部长, 组织部长 are no 组织 verb).
_UNIT_WORDS = re.compile("组织部|统战部|宣传部|对外联络部")
_DETERMINER = re.compile("本次|此次|这次|该|当天的")
_MORE_EVENTS = re.compile(f"(?:(?:、|及|和|以及){_EVT})+")
_ITEM_END = re.compile(r"[,,;;::、]|以及|及|和")
_LISTED_AFTER = re.compile(r"的(?:领导|嘉宾|人员|单位)?(?:还)?有[::]?")
#: Nouns that fit any event of a kind (会议 -> meeting), not one event by name.
_KINDS = {row[0]: row[1] for row in _ROWS if row[1:2] and row[1] in ("any", "meeting", "ceremony")}
#: What a list item may hold besides names, titles and list words: a little, more when
#: it ends at a person (an unrecognised unit before the title: 南城街道社会事务办主任X),
#: and a bare item may be a name the finder missed.
_LEFTOVER = 6
_UNIT_BEFORE_PERSON = 16
_BARE_NAME = 4
_ITEM = re.compile(r"、|以及|及|和")


def noun_kinds(noun: str) -> str | None:
    """The kind an event noun fits when it names no event (会议 -> meeting), else None."""
    return _KINDS.get(noun)


@dataclass(frozen=True)
class Attendance:
    """Participants (masked indices of their placeholders) of one attendance verb, the
    verb (the role), and what names the event: a masked index, a noun, or neither."""

    participants: tuple[int, ...]
    role: str
    event_at: int | None
    more_events: tuple[int, ...]
    noun: str | None
    start: int
    end: int


def _list_like(clause: str, patterns: PatternSet) -> bool:
    """Whether a clause (masked) only lists people and bodies: each item (between 、/和/及)
    names someone (with titles, and an unrecognised unit before a person's title), names a
    group (各县民政局负责人, 80余人) or is a bare name the finder missed (孙建春)."""
    # unit words go first: the title inside 组织部长 would leave the block word 组织
    if _BLOCK.search(
        re.sub(f"[{_PH}]", "", patterns.role_core.sub("", _UNIT_WORDS.sub("", clause)))
    ):
        return False
    whole = re.sub(f"[{_PH}]", "", clause)
    if _GENERIC.search(whole) and len(whole) <= 48:
        return True  # 我省荣获…命名的单位负责人: one group of people
    items = [item for item in _ITEM.split(clause) if item]
    # a clause ending at a person is one title chain: 省政协原副主席、民进省委会原主委、<Org>会长<Per>
    chain = re.search(f"{_PER}(?:等|等人)?$", clause) is not None
    named = False
    for item in items:
        bare = re.sub(f"[{_PH}]", "", item)
        if _GENERIC.search(bare) and len(bare) <= 40:
            named = True
            continue
        rest = re.sub(
            r"[()()\s·]", "", _COUNT.sub("", _FILLER.sub("", patterns.role_core.sub("", bare)))
        )
        if re.search(f"[{_PER}{_ORG}]", item):
            named = True
            limit = _UNIT_BEFORE_PERSON if re.search(f"{_PER}(?:等|等人)?$", item) else _LEFTOVER
            if len(rest) > limit:
                return False
        elif chain:
            if len(rest) > _UNIT_BEFORE_PERSON:
                return False
        elif len(rest) > (_BARE_NAME * 2 if "·" in bare else _BARE_NAME):
            return False  # a name the finder missed (阿合买提·巴拉提 is longer)
    return named


def _names_someone(clause: str, patterns: PatternSet) -> bool:
    """The verb's own clause may hold what the finders missed (历下社工代表万秀丽共同启动):
    it still lists its people unless it says more than who came."""
    bare = re.sub(f"[{_PH}]", "", patterns.role_core.sub("", clause))
    return not _BLOCK.search(bare) and len(bare) <= _UNIT_BEFORE_PERSON


def _object(text: str, at: int) -> tuple[int | None, str | None, int] | None:
    """What follows the verb ending at ``at``: (event index, noun, end) or None when the
    verb takes something else (参与社会治理)."""
    pos = at + 1 if text.startswith("了", at) else at
    det = _DETERMINER.match(text, pos)  # 参加此次<启动仪式>的有
    if det is not None and text.startswith(_EVT, det.end()):
        pos = det.end()
    if text.startswith(_EVT, pos):
        more = _MORE_EVENTS.match(text, pos + 1)  # 出席A颁奖会及B捐赠仪式
        return pos, None, more.end() if more else pos + 1
    m = _NOUN.match(text, pos)
    if m is not None:
        return None, m.group(), m.end()
    if pos >= len(text) or _CLAUSE.match(text, pos) or text[pos] in "。!!??并":
        return None, None, pos
    return None


def qualifies(text: str, at: int, masked: MaskedSentence, patterns: PatternSet) -> bool:
    """An organisation followed by a person in its own list item, or by a title, only says
    where someone works (长沙市民政局人事(社工)处副处长X, 省民政厅党组成员、…X), even when
    the unit or the person was not recognised."""
    if masked.slots[at].label != Label.ORGANISATION:
        return False
    m = _ITEM_END.search(text, at + 1)
    end = m.start() if m else len(text)
    if _PER in text[at + 1 : end]:
        return True
    # a title after it in its item (社工司黄某处长 with the person missed), unless the
    # title names a group (相关处室负责人)
    return any(
        t.group() not in _GROUP_TITLES for t in patterns.role_core.finditer(text, at + 1, end)
    )


def whole_list(masked: MaskedSentence, chains: Chains, patterns: PatternSet) -> list[int]:
    """The people and bodies of a sentence that is nothing but a list ending in ;/；
    (河北省…秘书长A,副秘书长B;郑州市…会长C…参与): the next sentence's verb takes them too."""
    text = masked.text.rstrip()
    if not text.endswith((";", "；")):
        return []
    body = text[:-1]
    if not all(_list_like(piece, patterns) for piece in _CLAUSE.split(body) if piece):
        return []
    return [
        i
        for i in range(len(body))
        if i in masked.slots
        and masked.slots[i].label in (Label.PERSON, Label.ORGANISATION)
        and i not in chains.modifiers
        and not qualifies(text, i, masked, patterns)
    ]


def find_attendance(
    masked: MaskedSentence, chains: Chains, patterns: PatternSet
) -> Iterator[Attendance]:
    """Every attendance verb of a masked sentence with the participants it lists."""
    text = masked.text
    if _PER not in text and _ORG not in text:
        return
    prev_end = 0
    for m in _VERB.finditer(text):
        v, after = m.start(), m.end()
        if _SENDER.search(text, max(prev_end, v - 3), v) or v < prev_end:
            continue
        role = m.group()
        if role == "陪同":
            visit = _VISIT.match(text, after)
            if text.startswith("下", after) or text[v - 1 : v] == "的":
                continue  # 在A的陪同下: read by a pattern of its own
            obj = _object(text, visit.end()) if visit else _object(text, after)
            if visit and obj is not None and obj[1] is None and obj[0] is None:
                obj = (None, visit.group(), visit.end())
        else:
            obj = _object(text, after)
        if obj is None:
            continue
        event_at, noun, obj_end = obj
        listed = _LISTED_AFTER.match(text, obj_end)
        if listed is not None:  # 参加此次活动的有A、B、C
            region = list(range(listed.end(), len(text)))
            end = len(text)
        else:
            start = v
            skip = range(0)  # where a delegation went (A一行到X,出席…: X is no participant)
            pieces = _CLAUSE.split(text[prev_end:v])
            pos = v
            for k, piece in enumerate(reversed(pieces)):
                party = piece.find(_PARTY)
                if party > 0 and _list_like(piece[:party], patterns):
                    start = pos - len(piece)
                    skip = range(start + party, pos)
                    break
                if not (
                    _list_like(piece, patterns) or (k == 0 and _names_someone(piece, patterns))
                ):
                    break
                pos -= len(piece)
                start = pos
                pos -= 1  # the separator
            region = [i for i in range(start, v) if i not in skip]
            end = obj_end
        people = tuple(
            i
            for i in region
            if i in masked.slots
            and masked.slots[i].label in (Label.PERSON, Label.ORGANISATION)
            and i not in chains.modifiers
            and not qualifies(text, i, masked, patterns)
        )
        prev_end = end
        if people:
            more = (
                tuple(
                    i
                    for i in range(event_at + 1, obj_end)
                    if event_at is not None and text[i] == _EVT and i in masked.slots
                )
                if event_at is not None
                else ()
            )
            yield Attendance(people, role, event_at, more, noun, region[0], end)

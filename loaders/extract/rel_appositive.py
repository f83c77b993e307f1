"""Appositive titles: ``<Org><title>、<Org><title><Person>`` and ``<Person><title>``.

A title before several names (副会长王某、李某) is each one's. A chain such as
琼海市委副书记、政法委书记陈兴 ties the person to each organisation with the
title that follows it (陈兴: 琼海市委 副书记, 琼海市委政法委 书记). A title with no
organisation before it (陈存根会长, 党组成员、副局长 after the first) takes the previous
organisation of the chain, or is left for the context to resolve, unless it is glued to a
name the mention finder missed (长春市社工协会会长唐天正 with no organisation found): then
its organisation is unknown and nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shegong.schema import Label

from .rel_mask import MaskedSentence
from .rel_patterns import PLACEHOLDER, PatternSet
from .types import Span

__all__ = ["Apposition", "Chains", "abbreviated", "find_chains"]

# Characters that may stand right before a bare title (由会长X主持, 和秘书长X); any other
# Chinese character there means the title ends a name nobody recognised.
_BEFORE_BARE_TITLE = frozenset("由和及与向对请为是在据把被让给跟同、")


# What may stand between two chains of one list of officials (…局长马郡,二级调研员陈锡胜).
_LIST_GAP = frozenset(("", ",", ",", "、"))


def _says_no_org(title: str, patterns: PatternSet) -> bool:
    """A title that names no kind of organisation (二级调研员, 教授): in a list of officials
    it is held in the organisation of the official listed before."""
    entry = patterns.titles.get(title)
    if entry is None:
        found = list(patterns.role_core.finditer(title))
        entry = patterns.titles.get(found[-1].group(0)) if found else None
    return entry is not None and not entry.suffixes


def _in_order(short: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in short)


def _proper(name: str) -> str:
    """The name without its kind (广东省社工与志愿者合作促进会 -> 广东省社工与志愿者合作)."""
    from .lexicon import lexicon

    endings = [s for s in lexicon().org_suffix if name.endswith(s) and len(s) < len(name)]
    return name[: -len(max(endings, key=len))] if endings else name[:-1]


def abbreviated(text: str, orgs: Sequence[tuple[str, str]]) -> str | None:
    """The one organisation (id, name) that the end of ``text`` abbreviates: its characters
    in order, the first from the proper part of the name and the last its last
    (社志会 -> 广东省社工与志愿者合作促进会, 县慈善会 -> 修水县慈善会; 慈善总会 alone names
    no one); None when no ending of 2-8 characters names exactly one."""
    for size in range(min(8, len(text)), 1, -1):
        short = text[-size:]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in short):
            continue
        found = {
            oid
            for oid, name in orgs
            if len(name) > size
            and name[-1] == short[-1]
            and short[0] in _proper(name)
            and _in_order(short, name[name.index(short[0]) :])
        }
        if len(found) == 1:
            return found.pop()
    return None


def _glued(text: str, at: int) -> bool:
    if at == 0:
        return False
    ch = text[at - 1]
    return "\u4e00" <= ch <= "\u9fff" and ch not in _BEFORE_BARE_TITLE


@dataclass(frozen=True)
class Apposition:
    """One (person, organisation or None, title) read from a chain; ``start``/``end`` are
    masked offsets of the whole chain."""

    person: Span
    org: str | None  # the organisation's entity id
    title: str
    start: int
    end: int
    glued: bool = False  # right after unrecognised text: the organisation is unknown


@dataclass
class Chains:
    """The appositions of a sentence, the masked indices of the organisations that only
    qualify a person (not actors themselves), and the people who carry a title."""

    appositions: list[Apposition]
    modifiers: set[int]
    titled: set[int]


def find_chains(
    masked: MaskedSentence,
    patterns: PatternSet,
    unit_named: Callable[[str, str | None], str | None] | None = None,
    orgs: Sequence[tuple[str, str]] = (),
) -> Chains:
    """Read every appositive chain of a masked sentence.

    ``unit_named(text, previous_org_id)`` may name the organisation of unrecognised text
    inside a chain (政法委 after 琼海市委 -> 琼海市委政法委); without it, or when it returns
    None, that text's titles get no organisation. ``orgs`` (id, name) are the article's
    organisations, which unrecognised text glued before a chain may abbreviate (社志会会长X).
    """
    out = Chains([], set(), set())
    text = masked.text
    if PLACEHOLDER[Label.PERSON] not in text:
        return out  # every chain ends at a person
    # the previous chain with a person, its organisation, and whether that was unknown
    prev_end, prev_org, prev_unknown = -1, None, False
    for chain in patterns.chain.finditer(text):
        org: str | None = None
        last_org: str | None = None
        listed = prev_end >= 0 and text[prev_end : chain.start()] in _LIST_GAP
        unknown = False
        former = ""
        pending: list[tuple[str | None, str, bool]] = []
        people: list[tuple[int, Span]] = []  # 副会长王某、李某: the titles are shared
        orgs_in_chain: list[int] = []
        end = chain.start()
        for token in patterns.chain_token.finditer(text, chain.start(), chain.end()):
            kind = token.lastgroup
            at = token.start()
            skipped = text[end:at]  # unrecognised text before this token (the UNK of CHAIN)
            end = token.end()
            if kind == "org":
                org, unknown = masked.slots[at].entity_id, False
                last_org = org
                orgs_in_chain.append(at)
                # 原民政部副部长: a former post, written 原副部长 as 最高人民检察院原…委员 is
                former = skipped[-1:] if skipped[-1:] in ("原", "前") else ""
            elif kind == "pol":
                # 「法治保障卡」项目负责人: a title of a programme, not of an organisation
                org, unknown, former = None, False, ""
            elif kind == "title":
                if skipped:
                    org = unit_named(skipped, last_org) if unit_named is not None else None
                    unknown = org is None  # and so for the titles that follow it
                    former = ""
                elif at == chain.start() and _glued(text, at):
                    org = abbreviated(text[max(0, at - 8) : at], orgs)
                    unknown = org is None
                    last_org = org
                elif at == chain.start() and listed and prev_unknown:
                    # 江东慈善总会会长杨亚飞、副会长范敏 with 江东慈善总会 unrecognised: the
                    # organisation of both is unknown, not one found in the context
                    org, unknown = None, True
                title = token.group()
                if org is None and not unknown and listed and _says_no_org(title, patterns):
                    org = prev_org  # 局长马郡,二级调研员陈锡胜: of the same bureau
                if org is not None and not title.startswith(("原", "前")):
                    title = former + title
                pending.append((org, title, unknown and org is None))
            elif kind == "per":
                span = masked.slots[at]
                if span.label != Label.PERSON:
                    continue
                people.append((at, span))
        if people:
            named = [o for o, _, _ in pending if o is not None]
            kept = prev_org if listed else None  # 局长马郡,副局长肖向飞,二级调研员陈锡胜
            prev_end, prev_org = chain.end(), (named[-1] if named else kept)
            prev_unknown = not named and any(glued for _, _, glued in pending)
        for person_index, person in people:
            for org_id, title, glued in pending:
                out.appositions.append(
                    Apposition(person, org_id, title, chain.start(), chain.end(), glued)
                )
            if pending:
                out.titled.add(person_index)
        out.modifiers.update(orgs_in_chain)
    return out

"""Appositive titles: ``<Org><title>、<Org><title><Person>`` and ``<Person><title>``.

A chain such as 琼海市委副书记、政法委书记陈兴 ties the person to each organisation with the
title that follows it (陈兴: 琼海市委 副书记, 琼海市委政法委 书记). A title with no
organisation before it (陈存根会长, 党组成员、副局长 after the first) takes the previous
organisation of the chain, or is left for the context to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass

from shegong.schema import Label

from .rel_mask import MaskedSentence
from .rel_patterns import PatternSet
from .types import Span

__all__ = ["Apposition", "Chains", "find_chains"]


@dataclass(frozen=True)
class Apposition:
    """One (person, organisation or None, title) read from a chain; ``start``/``end`` are
    masked offsets of the whole chain."""

    person: Span
    org: Span | None
    title: str
    start: int
    end: int


@dataclass
class Chains:
    """The appositions of a sentence, the masked indices of the organisations that only
    qualify a person (not actors themselves), and the people who carry a title."""

    appositions: list[Apposition]
    modifiers: set[int]
    titled: set[int]


def find_chains(masked: MaskedSentence, patterns: PatternSet) -> Chains:
    """Read every appositive chain of a masked sentence."""
    out = Chains([], set(), set())
    text = masked.text
    for chain in patterns.chain.finditer(text):
        org: Span | None = None
        pending: list[tuple[Span | None, str]] = []
        person: Span | None = None
        person_index = -1
        orgs_in_chain: list[int] = []
        for token in patterns.chain_token.finditer(text, chain.start(), chain.end()):
            kind = token.lastgroup
            at = token.start()
            if kind == "org":
                org = masked.slots[at]
                orgs_in_chain.append(at)
            elif kind == "pol":
                # 「法治保障卡」项目负责人: a title of a programme, not of an organisation
                org = None
            elif kind == "title":
                pending.append((org, token.group()))
            elif kind == "per":
                span = masked.slots[at]
                if span.label != Label.PERSON:
                    continue
                person, person_index = span, at
        if person is None:
            continue
        for org_span, title in pending:
            out.appositions.append(Apposition(person, org_span, title, chain.start(), chain.end()))
        if pending:
            out.titled.add(person_index)
        out.modifiers.update(orgs_in_chain)
    return out

"""The lexicons the finders share, compiled once per process into one Aho-Corasick scanner.

One pass over a sentence yields every lexicon hit (places, organisation suffixes, known
organisations, titles, event nouns, break words, ...) with its category; each finder then
reads the hits it needs. Built lazily and cached, so worker processes build it once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

import ahocorasick
from shegong.loaders.data import read_lines, read_tsv

from .gazetteer import Gazetteer, gazetteer

__all__ = ["Hit", "Hits", "Lexicon", "NameFinder", "lexicon"]


class Hit(NamedTuple):
    """A lexicon word found at ``text[start:end]``; ``data`` depends on the category."""

    start: int
    end: int
    word: str
    data: tuple[str, ...] = ()


class Hits:
    """Hits of one sentence by category; within a category sorted by (start, -length).

    The position indexes are built on first use, per category.
    """

    __slots__ = ("_ends", "_starts", "by_cat")

    def __init__(self, by_cat: dict[str, list[Hit]] | None = None) -> None:
        self.by_cat: dict[str, list[Hit]] = by_cat or {}
        self._starts: dict[str, dict[int, list[Hit]]] = {}
        self._ends: dict[str, dict[int, list[Hit]]] = {}

    def get(self, cat: str) -> list[Hit]:
        return self.by_cat.get(cat, [])

    def starting(self, cat: str, pos: int) -> list[Hit]:
        """Hits of ``cat`` starting at ``pos``, longest first."""
        index = self._starts.get(cat)
        if index is None:
            index = {}
            for h in self.by_cat.get(cat, ()):
                index.setdefault(h.start, []).append(h)
            self._starts[cat] = index
        return index.get(pos, [])

    def ending(self, cat: str, pos: int) -> list[Hit]:
        """Hits of ``cat`` ending at ``pos``, longest first."""
        index = self._ends.get(cat)
        if index is None:
            index = {}
            for h in self.by_cat.get(cat, ()):
                index.setdefault(h.end, []).append(h)
            for lst in index.values():
                lst.sort(key=lambda h: h.start)
            self._ends[cat] = index
        return index.get(pos, [])


class Lexicon:
    """All word lists, and the scanner over them."""

    def __init__(self) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.org_suffix = {row[0]: (row[1], row[2]) for row in read_tsv("org_suffixes.tsv")}
        self.known_orgs = {row[0]: row[1] for row in read_tsv("known_orgs.tsv")}
        self.org_generic = frozenset(read_lines("org_generic.txt"))
        self.titles = frozenset(read_lines("person_titles.txt"))
        self.surnames = frozenset(read_lines("surnames.txt"))
        self.surname_heads = frozenset(w[0] for w in self.surnames)  # 欧 of 欧阳
        self.event_heads = {row[0]: (row[1], row[2]) for row in read_tsv("event_heads.tsv")}
        self.event_days = frozenset(read_lines("event_days.txt"))
        self.policy_suffix = frozenset(read_lines("policy_suffixes.txt"))
        self.policy_suffix_chars = max(map(len, self.policy_suffix), default=0)
        self.programme_suffix = frozenset(read_lines("programme_suffixes.txt"))
        self.known_programmes = frozenset(read_lines("known_programmes.txt"))
        self.programme_tails = tuple(
            sorted(read_lines("programme_tails.txt"), key=lambda w: (-len(w), w))
        )
        # longest first, so 工作机制 is tried before 机制
        self.programme_frames = tuple(
            sorted(read_lines("programme_frames.txt"), key=lambda w: (-len(w), w))
        )
        self.media_suffix = tuple(read_lines("media_title_suffixes.txt"))
        channels = sorted(read_lines("media_channels.txt"), key=lambda w: (-len(w), w))
        alt = "|".join(re.escape(w) for w in channels)
        # quoted names before a channel word (“A”“B”等微信公众号), or right after one
        self.media_quotes = re.compile(
            rf"“([^“”]{{2,20}})”(?=(?:、?“[^“”]{{2,20}}”)*(?:等)?(?:{alt}))|(?:{alt})“([^“”]{{2,20}})”"
        )
        lists: dict[str, dict[str, tuple[str, ...]]] = {
            "place": {w: (use,) for w, use in self.gaz.surfaces().items()},
            "orgsuf": {w: v for w, v in self.org_suffix.items()},
            "knownorg": {w: (k,) for w, k in self.known_orgs.items()},
            "title": {w: () for w in self.titles},
            "event": {w: v for w, v in self.event_heads.items()},
            "day": {w: () for w in self.event_days},
            "break": {w: () for w in read_lines("org_breaks.txt")},
            "follow": {w: () for w in read_lines("person_follow.txt")},
            "role": {w: () for w in read_lines("person_roles_after.txt")},
        }
        merged: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for cat, words in lists.items():
            for word, data in words.items():
                merged[word].append((cat, data))
        self._scanner = ahocorasick.Automaton()
        for word, entries in merged.items():
            self._scanner.add_word(word, (word, tuple(entries)))
        self._scanner.make_automaton()

    def scan(self, text: str) -> Hits:
        """Every lexicon hit in ``text``."""
        by_cat: dict[str, list[Hit]] = {}
        for end_idx, (word, entries) in self._scanner.iter(text):
            start = end_idx - len(word) + 1
            for cat, data in entries:
                by_cat.setdefault(cat, []).append(Hit(start, end_idx + 1, word, data))
        for items in by_cat.values():
            items.sort(key=lambda h: (h.start, h.start - h.end))
        return Hits(by_cat)

    @lru_cache(maxsize=8192)  # noqa: B019 - one Lexicon per process, names repeat
    def scan_name(self, name: str) -> Hits:
        """``scan`` for short strings that recur (organisation names), cached."""
        return self.scan(name)


class NameFinder:
    """The uses of a few names in a text, as ``re.finditer`` of their alternation longest
    first would find them (leftmost, non-overlapping, the longer name where two start at
    one place), by one Aho-Corasick automaton: no regex compiled per article."""

    def __init__(self, names: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name in set(names):
            self._automaton.add_word(name, name)
        self._automaton.make_automaton()

    def __call__(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of each use, in order."""
        if not len(self._automaton):
            return []
        found = sorted(
            (end + 1 - len(name), -len(name), name) for end, name in self._automaton.iter(text)
        )
        out: list[tuple[int, str]] = []
        free = 0
        for start, _, name in found:
            if start >= free:
                out.append((start, name))
                free = start + len(name)
        return out


@cache
def lexicon() -> Lexicon:
    """The shared lexicon (built once per process)."""
    return Lexicon()

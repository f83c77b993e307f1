"""What the in-article resolvers share: located candidates, entities being built, and the
comparison helpers (name keys, variant names, committee equivalence)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from shegong.schema import Article, Label
from shegong.schema import name_key as _name_key

from .candidates import Candidate
from .gazetteer import PlaceRecord, gazetteer
from .lexicon import Lexicon
from .types import Sentence

__all__ = ["Entity", "Located", "State", "equivalent", "name_key", "near"]

name_key = lru_cache(maxsize=65536)(_name_key)
_COMMITTEE = re.compile(r"([省市区县州])委员会$")
# 中国共产党济南市社会工作行业委员会 is 济南市社会工作行业党委
_PARTY_COMMITTEE = re.compile(r"^(?:中国共产党|中共)(.{2,20}?[^省市区县州])委员会$")
# 农工党北京市委会 is 农工党北京市委
_LEVEL_COMMITTEE = re.compile(r"([省市区县州])委会$")
# Courts and procuratorates are written in full or short: 晋城市中级人民法院 / 晋城中院.
_COURT = re.compile(r"市?(?:中级人民法院|中院)$")
_COURT_HIGH = re.compile(r"省?(?:高级人民法院|高院)$")
_PEOPLES = re.compile(r"人民(法院|检察院)$")


@lru_cache(maxsize=65536)
def equivalent(name: str) -> str:
    """Comparison key of an organisation: 共青团晋城市委员会 and 共青团晋城市委 are one,
    as are 晋城市中级人民法院 and 晋城中院, 辽宁民政厅 and 辽宁省民政厅 (a province or
    city named by its short form), 区委社工部 and 区委社会工作部."""
    key = _COMMITTEE.sub(r"\1委", name_key(name))
    key = _PARTY_COMMITTEE.sub(r"\1党委", key)
    key = _LEVEL_COMMITTEE.sub(r"\1委", key)
    key = _COURT.sub("中院", key)
    key = _COURT_HIGH.sub("高院", key)
    key = _PEOPLES.sub(r"\1", key).replace("社工", "社会工作")
    return _full_place_prefix(key)


def _full_place_prefix(key: str) -> str:
    """``key`` with a leading short name of a province or prefecture-level city written in
    full (辽宁民政厅 -> 辽宁省民政厅); unchanged when the short name is ambiguous."""
    gaz = gazetteer()
    for size in (3, 2):
        head = key[:size]
        recs = [r for r in gaz.short.get(head, ()) if r.is_top]
        if len(recs) == 1 and not key.startswith(recs[0].name) and len(key) > size + 1:
            return recs[0].name + key[size:]
    return key


def near(a: str, b: str) -> bool:
    """Same name, or a variant of it: equal length (>= 4), same first two and last
    characters, at most two characters different (法治保障卡 / 法治社保卡)."""
    if a == b:
        return True
    if len(a) != len(b) or len(a) < 4 or a[:2] != b[:2] or a[-1] != b[-1]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 2


@dataclass
class Located:
    """A candidate placed in the article: its sentence and article offsets."""

    cand: Candidate
    sentence: int
    start: int
    end: int


@dataclass(eq=False)  # identity: two entities are never "equal" by their fields
class Entity:
    """An entity being built: canonical name, surfaces seen (aliases), mentions."""

    label: Label
    name: str
    kind: str | None = None
    surfaces: list[str] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    mentions: list[Located] = field(default_factory=list)

    def add(self, loc: Located | None, surface: str, alias: bool = True) -> None:
        """Record a mention; ``alias=False`` for bare or level forms (联合会, 区民政局,
        座谈会) that would wrongly link other articles' entities if kept as aliases."""
        if alias and surface not in self.surfaces:
            self.surfaces.append(surface)
        if loc is not None:
            self.mentions.append(loc)


class State:
    """One article's resolution in progress."""

    def __init__(
        self,
        article: Article,
        sentences: list[Sentence],
        lex: Lexicon,
        text: str | None = None,
        title_at: int | None = None,
    ) -> None:
        self.article = article
        # the body, followed by the title when it is resolved as one more sentence
        self.text = article.text if text is None else text
        self.title_at = title_at  # offset of the title in ``text``; None: no title sentence
        self.sentences = sentences
        self.lex = lex
        self.ents: dict[tuple[Label, str], Entity] = {}
        self.assigned: list[tuple[Located, Entity]] = []
        self._by_label: dict[Label, list[tuple[Located, Entity]]] = {}
        # (position, record) of the places that set the scene, for 省民政厅-style forms
        self.place_at: list[tuple[int, PlaceRecord]] = []

    def entity(self, label: Label, name: str, kind: str | None = None) -> Entity:
        """The entity of that label and name, created on first use."""
        key = (label, equivalent(name) if label == Label.ORGANISATION else name_key(name))
        if key not in self.ents:
            self.ents[key] = Entity(label, name, kind)
        ent = self.ents[key]
        ent.kind = ent.kind or kind
        return ent

    def assign(self, loc: Located, ent: Entity, alias: bool = True) -> None:
        ent.add(loc, loc.cand.text, alias)
        self.assigned.append((loc, ent))
        self._by_label.setdefault(ent.label, []).append((loc, ent))

    def merge(self, keep: Entity, gone: Entity) -> None:
        """Fold ``gone`` into ``keep`` (surfaces, mentions, assignments)."""
        for s in gone.surfaces:
            keep.add(None, s)
        keep.mentions.extend(gone.mentions)
        for key, e in list(self.ents.items()):
            if e is gone:
                del self.ents[key]
        self.assigned = [(lc, keep if e is gone else e) for lc, e in self.assigned]
        self._by_label = {}
        for lc, e in self.assigned:
            self._by_label.setdefault(e.label, []).append((lc, e))

    def of_label(self, label: Label) -> list[tuple[Located, Entity]]:
        """(mention, entity) pairs of one label, in the order they were assigned."""
        return self._by_label.get(label, [])

"""Mentions proposed by the trained model (shegong.loaders.model), merged with the rules'.

The rules keep what they do well (organisation boundaries from suffix lexicons, 《》
policies, events, gazetteer places); the model supplies what they cannot see: person
names with no title or cue word, organisations with unseen endings, places missing from
the gazetteer. Modes (``Extractor(mentions=...)``, ``SHEGONG_MENTIONS``):

- ``combined`` (default): a model span that passes the filters becomes a candidate where
  it crosses no rule candidate, or only ones that give way to it (``_yields``): a
  gazetteer place inside a longer name (it becomes context, unless it opens a place
  chain), or an organisation short form the rules could not bound (报讯招商银行).
- ``model``: the model's Person / Organisation / Place spans replace the rules' (the
  rules still give policies and events), for the ablation.
- ``rules``: the rules alone.

Filters use the span's confidence (its lowest tag marginal) and the shared lexicons: a
Person is 2-4 CJK characters, not a title, place, organisation or form of address, and
opens with a surname unless the model is sure; an Organisation does not open inside a
word, hold a stop word or stand bare as a suffix; a Place off the gazetteer needs a place
ending or a sure model. ``settle_model`` then reads the model's spans against the whole
article (short forms, abbreviations, cut names).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from shegong.loaders.data import read_lines
from shegong.schema import Label

from .candidates import Candidate, is_cjk, is_name_char
from .lexicon import Hit, Hits, Lexicon
from .people import common_words
from .places import local_kind
from .resolve_orgs import opens_with_level
from .resolve_state import Located

if TYPE_CHECKING:
    from shegong.loaders.model.tagger import NerTagger

__all__ = ["MODES", "Mode", "default_mode", "merge_model", "model_candidates", "settle_model"]

Mode = Literal["rules", "model", "combined"]
MODES: tuple[Mode, ...] = ("rules", "model", "combined")
_MODEL_LABELS = (Label.PERSON, Label.ORGANISATION, Label.PLACE)
# Confidence = the lowest tag marginal of a span. Thresholds were set on the dev set and
# the CLUENER check split (see loaders/model/MODEL.md).
_SURE = 0.9  # a latin-letter person name
_PERSON_MIN = 0.5  # a name opening with a surname
_PERSON_SURE = 0.8  # any other name (transcriptions: 弗格森)
_ORG_SUFFIX_MIN = 0.3  # a name ending in an organisation suffix
_ORG_LONG = 4
_ORG_LONG_MIN = 0.6  # four characters or more, no suffix
_ORG_SHORT_MIN = 0.6  # two or three characters, no suffix (招行, 曼联)
_PLACE_MIN = 0.5  # in the gazetteer, or with a place ending
_PLACE_SURE = 0.7  # any other place
_ABBREV_MAX = 5
_LOW_KINDS = ("district", "county", "street", "community")


def default_mode() -> Mode:
    """``SHEGONG_MENTIONS`` (rules, model or combined); combined when unset."""
    mode = os.environ.get("SHEGONG_MENTIONS", "combined")
    if mode not in MODES:
        raise ValueError(f"SHEGONG_MENTIONS={mode!r}: expected one of {', '.join(MODES)}")
    return mode


def _person_ok(name: str, conf: float, lex: Lexicon) -> bool:
    if "·" in name:
        return 3 <= len(name) <= 12 and all(is_name_char(c) for c in name)
    if name.isascii():  # a latin name (Erik, VinDiesel): only when the model is sure
        return conf >= _SURE and len(name) >= 3 and name.isalpha()
    if not 2 <= len(name) <= 4 or not all(is_cjk(c) for c in name):
        return False
    if name in lex.titles or name in lex.gaz.by_name or name in lex.gaz.short:
        return False
    if name in lex.known_orgs or name in _not_entities():
        return False
    if name[-2:] in lex.titles or name.endswith(_person_tails()):
        return False  # 赵女士, 王老师
    if conf >= _PERSON_SURE:
        return True
    if name[0] not in lex.surnames and name[:2] not in lex.surnames:
        return False
    return conf >= _PERSON_MIN and name not in common_words()


def _org_ok(text: str, start: int, end: int, conf: float, hits: Hits, lex: Lexicon) -> bool:
    name = text[start:end]
    if len(name) < 2 or not any(is_cjk(c) for c in name):
        return False
    if not all(is_name_char(c) or c in "()()" for c in name) or not _balanced(name):
        return False
    if _cut_open(text, start) or _generic_within(text, start, end, lex):
        return False  # 作行业协会 of 社会工作行业协会, 民政部 of 民政部门
    suffix = hits.ending("orgsuf", end)
    if suffix and suffix[0].start - start <= 1:
        return False  # a bare suffix, or one character before it (纪委, 校团委, 级纪委)
    if name in lex.org_generic or name in _not_entities() or hits.ending("title", end):
        return False
    if any(_breaks(h, hits) for h in hits.get("break") if start <= h.start and h.end <= end):
        return False  # 济南市将社工站, 成立社工志愿者联合会: a name stops before these
    if suffix:
        return conf >= _ORG_SUFFIX_MIN
    return conf >= (_ORG_LONG_MIN if len(name) >= _ORG_LONG else _ORG_SHORT_MIN)


def _place_ok(
    text: str, start: int, end: int, conf: float, recs: Sequence[object], hits: Hits
) -> bool:
    name = text[start:end]
    if len(name) < 2 or not all(is_cjk(c) or c == "·" for c in name):
        return False
    if _cut_open(text, start):
        return False
    if any(_breaks(h, hits) for h in hits.get("break") if start <= h.start and h.end <= end):
        return False  # 长春市朝阳区发布社区
    if name in _not_entities():
        return False
    if conf >= _PLACE_SURE or (recs and conf >= _PLACE_MIN):
        return True
    return conf >= _PLACE_MIN and name.endswith(_place_endings())


def _trim_org(text: str, start: int, end: int, hits: Hits) -> int:
    """Where an organisation span ends: at its last suffix when only an ordinary word
    follows it inside the span (北京市民政局组织 -> 北京市民政局)."""
    if hits.ending("orgsuf", end):
        return end
    inner = [h.end for h in hits.get("orgsuf") if start < h.start and h.end < end]
    if inner and text[max(inner) : end] in common_words():
        return max(inner)
    return end


def _cut_open(text: str, start: int) -> bool:
    """Whether a span opens inside an ordinary two-character word (社会工|作行业协会)."""
    return start > 0 and text[start - 1 : start + 1] in common_words()


def _generic_within(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether the span is cut from a generic phrase (民政部 of 民政部门)."""
    return any(text[start : end + k] in lex.org_generic for k in (1, 2))


def _balanced(name: str) -> bool:
    return name.count("(") == name.count(")") and name.count("(") == name.count(")")


def _breaks(hit: Hit, hits: Hits) -> bool:
    """A stop word of the rules ends a name: a word of two or more characters (成立, 推动),
    or one character right after a place (济南市将), not the 那 of 热那亚."""
    return hit.end - hit.start >= 2 or bool(hits.ending("place", hit.start))


@cache
def _not_entities() -> frozenset[str]:
    return frozenset(read_lines("model_not_entities.txt"))


@cache
def _person_tails() -> tuple[str, ...]:
    return read_lines("model_person_tails.txt")


@cache
def _place_endings() -> tuple[str, ...]:
    return read_lines("model_place_endings.txt")


def model_candidates(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """The model's spans of one flat sentence that pass the filters, as candidates."""
    out = []
    for label, start, end, conf in _tagger().scored(text, hits):
        name = text[start:end]
        info: dict[str, object] = {"confidence": conf}
        kind = None
        if label == Label.PERSON:
            ok = _person_ok(name, conf, lex)
            if len(name) == 3 and text[end - 1 : end + 1] in common_words():
                info["tail_word"] = True
        elif label == Label.ORGANISATION:
            end = _trim_org(text, start, end, hits)
            name = text[start:end]
            ok = _org_ok(text, start, end, conf, hits, lex)
            info["suffix"] = bool(hits.ending("orgsuf", end))
        else:
            recs = lex.gaz.candidates(name)
            ok = _place_ok(text, start, end, conf, recs, hits)
            info["records"] = recs
            kind = recs[0].kind if recs else local_kind(name)
        if ok:
            out.append(Candidate(label, start, end, name, f"model:{label.value}", kind, info=info))
    return out


@cache
def _tagger() -> NerTagger:
    """The process's tagger (imported late: the model package imports this one's lexicon)."""
    from shegong.loaders.model.tagger import NerTagger

    return NerTagger()


def _yields(rule: Candidate, model: Candidate) -> bool:
    """Whether a rule candidate gives way to a model span crossing it: a place strictly
    inside a longer organisation or place name, and an organisation's short form (a
    suffix the rules found no name for) that the model bounds differently."""
    if rule.label == Label.PLACE:
        return model.label != Label.PERSON and rule.inside(model) and rule.length < model.length
    if rule.label != Label.ORGANISATION or rule.form != "short":
        return False
    if (rule.start, rule.end) == (model.start, model.end):
        return False
    return model.end == rule.end or model.inside(rule)


def _after_chain(place: Candidate, rules: list[Candidate]) -> Candidate | None:
    """None where a model place is only the rules' chain of gazetteer places (海南省琼海市
    is 海南省 + 琼海市); else the place (长沙黄兴路步行街 names more than 长沙)."""
    pos = place.start
    while step := next(
        (c.end for c in rules if c.label == Label.PLACE and c.start == pos and c.end <= place.end),
        None,
    ):
        pos = step
    return None if pos == place.end else place


def _chain(org: Candidate, places: list[Candidate]) -> list[Candidate]:
    """The places opening ``org`` as a chain down to a district, street or community
    (鼓楼区宁海路街道颐和社区党委): they stay mentions, as with the rules' names."""
    chain, pos = [], org.start
    for p in sorted(places, key=lambda p: p.start):
        if p.start != pos:
            break
        chain.append(p)
        pos = p.end
    if len(chain) < 2 or not any(p.kind in _LOW_KINDS for p in chain):
        return []
    return chain


def merge_model(
    text: str, hits: Hits, lex: Lexicon, rules: list[Candidate], mode: Mode
) -> list[Candidate]:
    """The candidates of one sentence for ``mode``, given the rules' (overlaps settled)."""
    if mode == "rules":
        return rules
    model = model_candidates(text, hits, lex)
    kept = [c for c in rules if c.label not in _MODEL_LABELS] if mode == "model" else rules
    added: list[Candidate] = []
    dropped: list[Candidate] = []
    for found in model:
        m = _after_chain(found, kept) if found.label == Label.PLACE else found
        if m is None:
            continue
        crossed = [c for c in kept if m.overlaps(c) and c not in dropped]
        if all(_yields(c, m) for c in crossed):
            chain = _chain(m, [c for c in crossed if c.label == Label.PLACE])
            for c in crossed:
                if c.label == Label.PLACE:
                    if c not in chain:
                        c.form = "context"  # 广东 in 广东纵横天正律师事务所
                else:
                    dropped.append(c)  # a short form the rules could not bound: 报讯招商银行
            added.append(m)
    kept = [c for c in kept if c not in dropped]
    kept = kept + added
    kept.sort(key=lambda c: (c.start, -c.length))
    return kept


def _abbreviates(cand: Candidate, name: str) -> bool:
    """Whether a short model name is cut from a longer one (人社部 of 人力资源社会保障部,
    民进省委会 of 民进江西省委会); a parent body opening it (农工党 of 农工党安徽省委会) is not."""
    short = cand.text
    if len(short) > _ABBREV_MAX or len(name) <= len(short):
        return False
    if name.startswith(short) and cand.info.get("suffix"):
        return False
    pos = 0
    for ch in short:
        pos = name.find(ch, pos) + 1
        if not pos:
            return False
    return True


def settle_model(located: list[Located]) -> list[Located]:
    """The model's mentions read against the whole article, before resolution.

    An organisation opening with a level word (区新时代文明实践中心, 市社会组织综合党委) or
    ending a longer organisation name of the article (宝贝之家) is a short form: the
    organisation resolver completes it or drops it. A place inside a longer place name of
    the article (九寨 of 九寨沟县) is left out, and so is a three-character person name
    whose last character opens a word with the next one when its first two characters
    name a person of the article (刘猛针对 beside 刘猛).
    """
    names: dict[Label, set[str]] = {}
    for lc in located:
        if lc.cand.form != "context":
            names.setdefault(lc.cand.label, set()).add(lc.cand.text)
    out = []
    for lc in located:
        cand = lc.cand
        if not cand.rule.startswith("model:"):
            out.append(lc)
            continue
        others = [n for n in names.get(cand.label, ()) if n != cand.text]
        if cand.label == Label.ORGANISATION:
            if opens_with_level(cand.text) or any(n.endswith(cand.text) for n in others):
                cand.form = "short"
            elif any(_abbreviates(cand, n) for n in others):
                continue
        elif cand.label == Label.PLACE:
            if any(cand.text in n for n in others):
                continue
        elif cand.info.get("tail_word") and cand.text[:-1] in others:
            continue
        out.append(lc)
    return out

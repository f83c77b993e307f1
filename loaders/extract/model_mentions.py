"""Mentions proposed by the trained model (shegong.loaders.model), merged with the rules'.

The rules keep what they do well (organisation boundaries from suffix lexicons, 《》
policies, events, gazetteer places); the model supplies what they cannot see: person
names with no title or cue word, organisations with unseen endings, places missing from
the gazetteer. In ``combined`` mode a model span becomes a candidate only where it does
not overlap any rule candidate, and only if it passes the precision filters below; in
``model`` mode the model's Person / Organisation / Place spans replace the rules' (the
rules still give policies and events), for the ablation.

Filters: a Person is 2-4 CJK characters (or a 名·姓 transcription) opening with a
surname of surnames.txt, and not an ordinary word of jieba's dictionary, a title, a place
or a known organisation; an Organisation ends in an organisation suffix of the lexicon or
is at least ``_ORG_MIN`` characters; a Place is at least two characters.
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

if TYPE_CHECKING:
    from shegong.loaders.model.tagger import NerTagger

__all__ = ["MODES", "Mode", "default_mode", "merge_model", "model_candidates"]

Mode = Literal["rules", "model", "combined"]
MODES: tuple[Mode, ...] = ("rules", "model", "combined")
_MODEL_LABELS = (Label.PERSON, Label.ORGANISATION, Label.PLACE)
#: Confidence (lowest tag marginal of a span) above which only the shape is checked.
_SURE = 0.9
_PERSON_MIN = 0.5
_ORG_SUFFIX_MIN = 0.3
_ORG_LONG = 4
_ORG_LONG_MIN = 0.6
_PLACE_MIN = 0.5


def default_mode() -> Mode:
    """``SHEGONG_MENTIONS`` (rules, model or combined); combined when unset."""
    mode = os.environ.get("SHEGONG_MENTIONS", "combined")
    if mode not in MODES:
        raise ValueError(f"SHEGONG_MENTIONS={mode!r}: expected one of {', '.join(MODES)}")
    return mode


def _person_ok(name: str, conf: float, lex: Lexicon) -> bool:
    if "·" in name:
        return 3 <= len(name) <= 12 and all(is_name_char(c) for c in name)
    if not 2 <= len(name) <= 4 or not all(is_cjk(c) for c in name):
        return False
    if name in lex.titles or name in lex.gaz.by_name or name in lex.gaz.short:
        return False
    if name in lex.known_orgs or name in _not_entities():
        return False
    if conf >= _SURE:
        return True
    if name[0] not in lex.surnames and name[:2] not in lex.surnames:
        return False
    return conf >= _PERSON_MIN and name not in common_words()


def _org_ok(name: str, start: int, end: int, conf: float, hits: Hits, lex: Lexicon) -> bool:
    if len(name) < 2 or not any(is_cjk(c) for c in name):
        return False
    if not all(is_name_char(c) or c in "()()" for c in name):
        return False
    if name in lex.org_generic or name in _not_entities() or hits.ending("title", end):
        return False
    if any(_breaks(h, hits) for h in hits.get("break") if start <= h.start and h.end <= end):
        return False  # 济南市将社工站, 成立社工志愿者联合会: a name stops before these
    if hits.ending("orgsuf", end):
        return conf >= _ORG_SUFFIX_MIN
    return conf >= (_ORG_LONG_MIN if len(name) >= _ORG_LONG else _SURE)


def _place_ok(name: str, conf: float, recs: Sequence[object]) -> bool:
    if len(name) < 2 or not all(is_cjk(c) or c == "·" for c in name):
        return False
    if name in _not_entities():
        return False
    if conf >= _SURE or (recs and conf >= _PLACE_MIN):
        return True
    return conf >= _PLACE_MIN and name.endswith(_place_endings())


def _breaks(hit: Hit, hits: Hits) -> bool:
    """A stop word of the rules ends a name: a word of two or more characters (成立, 推动),
    or one character right after a place (济南市将), not the 那 of 热那亚."""
    return hit.end - hit.start >= 2 or bool(hits.ending("place", hit.start))


@cache
def _not_entities() -> frozenset[str]:
    return frozenset(read_lines("model_not_entities.txt"))


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
        elif label == Label.ORGANISATION:
            ok = _org_ok(name, start, end, conf, hits, lex)
        else:
            recs = lex.gaz.candidates(name)
            ok = _place_ok(name, conf, recs)
            info["records"] = recs
            kind = recs[0].kind if recs else None
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
    for m in model:
        crossed = [c for c in kept if m.overlaps(c) and c not in dropped]
        if all(_yields(c, m) for c in crossed):
            for c in crossed:
                if c.label == Label.PLACE:
                    c.form = "context"  # 广东 in 广东纵横天正律师事务所
                else:
                    dropped.append(c)  # a short form the rules could not bound: 报讯招商银行
            added.append(m)
    kept = [c for c in kept if c not in dropped]
    kept = kept + added
    kept.sort(key=lambda c: (c.start, -c.length))
    return kept

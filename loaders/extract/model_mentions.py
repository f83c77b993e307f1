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
from functools import cache
from typing import TYPE_CHECKING, Literal

from shegong.schema import Label

from .candidates import Candidate, is_cjk, is_name_char
from .lexicon import Hits, Lexicon
from .people import common_words

if TYPE_CHECKING:
    from shegong.loaders.model.tagger import NerTagger

__all__ = ["MODES", "Mode", "default_mode", "merge_model", "model_candidates"]

Mode = Literal["rules", "model", "combined"]
MODES: tuple[Mode, ...] = ("rules", "model", "combined")
_MODEL_LABELS = (Label.PERSON, Label.ORGANISATION, Label.PLACE)
_ORG_MIN = 4


def default_mode() -> Mode:
    """``SHEGONG_MENTIONS`` (rules, model or combined); combined when unset."""
    mode = os.environ.get("SHEGONG_MENTIONS", "combined")
    if mode not in MODES:
        raise ValueError(f"SHEGONG_MENTIONS={mode!r}: expected one of {', '.join(MODES)}")
    return mode


def _person_ok(name: str, lex: Lexicon) -> bool:
    if "·" in name:
        return 3 <= len(name) <= 12 and all(is_name_char(c) for c in name)
    if not 2 <= len(name) <= 4 or not all(is_cjk(c) for c in name):
        return False
    if name[0] not in lex.surnames and name[:2] not in lex.surnames:
        return False
    return not (
        name in common_words()
        or name in lex.titles
        or name in lex.gaz.by_name
        or name in lex.gaz.short
        or name in lex.known_orgs
    )


def _org_ok(name: str, end: int, hits: Hits) -> bool:
    if len(name) < 2 or not all(is_name_char(c) or c in "()()" for c in name):
        return False
    return bool(hits.ending("orgsuf", end)) or len(name) >= _ORG_MIN


def _place_ok(name: str) -> bool:
    return len(name) >= 2 and all(is_name_char(c) for c in name)


def model_candidates(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """The model's spans of one flat sentence that pass the filters, as candidates."""
    out = []
    for label, start, end in _tagger()(text, hits):
        name = text[start:end]
        info: dict[str, object] = {}
        kind = None
        if label == Label.PERSON:
            ok = _person_ok(name, lex)
        elif label == Label.ORGANISATION:
            ok = _org_ok(name, end, hits)
        else:
            ok = _place_ok(name)
            recs = lex.gaz.candidates(name)
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


def merge_model(
    text: str, hits: Hits, lex: Lexicon, rules: list[Candidate], mode: Mode
) -> list[Candidate]:
    """The candidates of one sentence for ``mode``, given the rules' (overlaps settled)."""
    if mode == "rules":
        return rules
    model = model_candidates(text, hits, lex)
    kept = [c for c in rules if c.label not in _MODEL_LABELS] if mode == "model" else rules
    kept = kept + [m for m in model if not any(m.overlaps(c) for c in kept)]
    kept.sort(key=lambda c: (c.start, -c.length))
    return kept

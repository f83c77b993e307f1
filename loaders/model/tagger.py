"""NerTagger: a sentence -> its Person / Organisation / Place spans, by the trained CRF.

The weights (``ner.crfsuite`` beside this module, see MODEL.md) are opened once per
process through importlib.resources and shared by every tagger; tagging is deterministic
(Viterbi decoding of a fixed model).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite
from shegong.loaders.extract.lexicon import Hits, Lexicon, lexicon
from shegong.schema import Label

from .features import features

__all__ = ["WEIGHTS", "NerTagger", "decode", "load_tagger"]

#: The committed weights, a resource of this package.
WEIGHTS = "ner.crfsuite"

_LABELS = {"PER": Label.PERSON, "ORG": Label.ORGANISATION, "LOC": Label.PLACE}

Span = tuple[Label, int, int]


@cache
def _packaged() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    with resources.as_file(resources.files(__package__).joinpath(WEIGHTS)) as path:
        tagger.open(str(path))  # crfsuite reads the whole model into memory here
    return tagger


@cache
def load_tagger(path: str | None = None) -> pycrfsuite.Tagger:
    """The CRF tagger of ``path`` (default: the packaged weights), opened once."""
    if path is None:
        return _packaged()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(Path(path)))
    return tagger


def decode(tags: list[str]) -> list[Span]:
    """BIOES tags -> (label, start, end) spans; a broken sequence is read leniently."""
    spans: list[Span] = []
    start, cls = -1, ""
    last = -2
    # most characters are O: only the others are read, a gap between two is an O
    for i in [i for i, tag in enumerate(tags) if tag != "O"]:
        if i != last + 1:
            start, cls = -1, ""
        last = i
        tag = tags[i]
        head, _, kind = tag.partition("-")
        if head in ("B", "S") or (head in ("I", "E") and kind != cls):
            start, cls = i, kind
        if head in ("S", "E") and start >= 0 and kind == cls:
            spans.append((_LABELS[kind], start, i + 1))
            start, cls = -1, ""
        elif head == "O":
            start, cls = -1, ""
    return spans


class NerTagger:
    """Tags one sentence: ``tagger(text) -> [(label, start, end), ...]``."""

    def __init__(self, path: str | None = None, lex: Lexicon | None = None) -> None:
        self.crf = load_tagger(path)
        self.lex = lex or lexicon()

    def __call__(self, text: str, hits: Hits | None = None) -> list[Span]:
        if not text:
            return []
        return decode(self.crf.tag(features(text, hits, self.lex)))

    def scored(self, text: str, hits: Hits | None = None) -> list[tuple[Label, int, int, float]]:
        """The spans with a confidence each: the lowest marginal probability of the span's
        tags (how sure the model is of that label and of both boundaries)."""
        if not text:
            return []
        tags = self.crf.tag(features(text, hits, self.lex))
        marginal = self.crf.marginal
        out = []
        for label, start, end in decode(tags):
            conf = min(map(marginal, tags[start:end], range(start, end)))
            out.append((label, start, end, conf))
        return out

    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__()  # type: ignore[misc]

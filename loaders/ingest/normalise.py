"""Text normalisation: NFKC, traditional -> simplified, pinyin and punctuation noise, furniture.

The result is the text that article offsets point into, so normalising is idempotent
(``normalise(normalise(t)) == normalise(t)``) and keeps the line structure: one paragraph
per line, furniture lines removed, at most three blank lines in a row (a wide gap is
kept: it marks where an image stood, which the splitter reads).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import opencc
from shegong.loaders.data import read_lines

__all__ = [
    "Normaliser",
    "collapse_punctuation",
    "default_normaliser",
    "normalise",
    "strip_pinyin",
]

FURNITURE_FILE = "ingest_furniture.txt"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = f"[a-zü{_TONED}]+"
# A pinyin gloss: a parenthesised run of lowercase syllables with at least one tone mark,
# right after a CJK character: 活動(dòng), 社會(shè huì). English words in brackets and
# real parentheses such as (街道) have no tone mark or no latin letters and are kept.
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    rf"(?:\((?=[^()]*[{_TONED}]){_SYLLABLE}(?:[ '-]{_SYLLABLE})*\))+"  # 儿童(értóng)(értóng)
)
# After NFKC full-width ，！？；： are ASCII; 。 and 、 stay.
_PUNCT_RUN = re.compile(r"[,、。!?;:]{2,}")
# Strongest mark wins when a run is collapsed: ,。 -> 。, 啦,! -> 啦!, ,、 -> 、
_PUNCT_RANK = {c: i for i, c in enumerate(",:、;?!。")}
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANKS = re.compile(r"\n{5,}")


def strip_pinyin(text: str) -> str:
    """Remove pinyin glosses: ``活動(dòng)`` -> ``活動``."""
    return _PINYIN.sub("", text)


def _strongest(match: re.Match[str]) -> str:
    return max(match.group(), key=_PUNCT_RANK.__getitem__)


def collapse_punctuation(text: str) -> str:
    """Collapse runs of sentence punctuation to the strongest mark (``,,`` -> ``,``)."""
    return _PUNCT_RUN.sub(_strongest, text)


class Normaliser:
    """Normalises raw decoded text; build once, call many times (the converter is costly).

    Parameters
    ----------
    furniture:
        Regexes; a line matching one of them in full is dropped. Defaults to
        ``loaders/data/ingest_furniture.txt``.
    """

    def __init__(self, furniture: Iterable[str] | None = None) -> None:
        patterns = list(read_lines(FURNITURE_FILE) if furniture is None else furniture)
        self._furniture = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
        self._t2s = opencc.OpenCC("t2s")

    def is_furniture(self, line: str) -> bool:
        """Whether a normalised line is page furniture."""
        return bool(self._furniture and self._furniture.fullmatch(line))

    def __call__(self, text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFKC", text)
        text = _INVISIBLE.sub("", text)
        text = strip_pinyin(text)
        text = self._t2s.convert(text)
        text = collapse_punctuation(text)
        lines = []
        for raw in text.split("\n"):
            line = _SPACES.sub(" ", raw).strip()
            if line and self.is_furniture(line):
                continue
            lines.append(line)
        return _BLANKS.sub("\n\n\n\n", "\n".join(lines)).strip("\n")


@cache
def default_normaliser() -> Normaliser:
    """The shared Normaliser with the bundled furniture patterns (built once)."""
    return Normaliser()


def normalise(text: str) -> str:
    """Normalise ``text`` with the default furniture patterns (see ``Normaliser``)."""
    return default_normaliser()(text)

"""Text forms used to look names up: the same in every store.

``name_key`` (schema.ids) compares names exactly; ``search_key`` is the form substring
search works on: the name key, traditional characters converted to simplified with
OpenCC, ASCII lower-cased. Stores keep ``search_key`` of every name and alias so that a
query typed in traditional characters (``社會工作``) finds ``社会工作``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from shegong.schema import name_key

__all__ = ["Match", "best_match", "cover", "search_key", "to_simplified"]


@cache
def _converter() -> Any:
    # Building the converter loads its dictionaries: do it once per process.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified ones."""
    if text.isascii():
        return text
    return str(_converter().convert(text))


def search_key(text: str) -> str:
    """The form names and queries are compared in by substring search."""
    return to_simplified(name_key(text)).lower()


def cover(key: str, forms: Iterable[str]) -> float:
    """The largest share of a search form that ``key`` (a search key) covers, among the
    forms containing it (0.0 if none does): how search ranks hits that are not exact."""
    return max((len(key) / len(form) for form in forms if form and key in form), default=0.0)


@dataclass(frozen=True)
class Match:
    """Where a search text matched a node: the name form, the span in it, the score."""

    form: str
    start: int
    end: int
    score: float


def best_match(text: str, forms: Sequence[str]) -> Match | None:
    """The name form (name first, then aliases) ``text`` matches best: exactly (score
    1.0), else the one it covers most (score 0.9 times the share covered). The span is in
    the form as written when its search form has the same length, else in the search form."""
    key = search_key(text)
    best: Match | None = None
    for form in forms:
        simple = search_key(form)
        at = simple.find(key) if key else -1
        if at < 0:
            continue
        score = 1.0 if simple == key else 0.9 * len(key) / len(simple)
        shown = form if len(simple) == len(form) else simple
        found = Match(shown, at, at + len(key), score)
        if best is None or found.score > best.score:
            best = found
    return best

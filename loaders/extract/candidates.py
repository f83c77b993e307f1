"""What the finders propose: a labelled stretch of a sentence, before resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shegong.schema import Label

__all__ = ["QUOTES", "Candidate", "is_cjk", "is_name_char"]

QUOTES = {"“": "”", "「": "」", "『": "』", '"': '"'}


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def is_name_char(ch: str) -> bool:
    """Characters a name is made of: CJK, plus latin letters and digits inside names."""
    return is_cjk(ch) or ch.isalnum() or ch in "·"


@dataclass
class Candidate:
    """A proposed mention at ``flat[start:end]`` of one sentence.

    ``form`` says how complete the surface is: ``full`` (names the entity by itself),
    ``short`` (a short form to resolve in context: 省民政厅, 联合会, 《规划》, 座谈会).
    ``info`` carries finder-specific data (place records, event date, parent span...).
    """

    label: Label
    start: int
    end: int
    text: str
    rule: str
    kind: str | None = None
    form: str = "full"
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start

    def inside(self, other: Candidate) -> bool:
        return other.start <= self.start and self.end <= other.end and self is not other

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end

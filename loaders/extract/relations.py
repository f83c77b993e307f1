"""Relation patterns: Analysis -> relations with evidence.

PLACEHOLDER until the relations work lands: finds nothing.
"""

from __future__ import annotations

from shegong.schema import Relation

from .types import Analysis

__all__ = ["RelationFinder"]


class RelationFinder:
    """Finds typed relations between the entity spans of an analysed article."""

    def __call__(self, analysis: Analysis) -> list[Relation]:
        return []

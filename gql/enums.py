"""GraphQL enums: node labels and relation types from shegong.schema.vocab, directions."""

from __future__ import annotations

from enum import Enum

import strawberry
from shegong.schema import Label, RelationType

__all__ = ["DirectionEnum", "EntityLabel", "RelationTypeEnum"]

EntityLabel = strawberry.enum(
    Label, name="EntityLabel", description="Node labels (Article included: articles are nodes too)."
)
RelationTypeEnum = strawberry.enum(
    RelationType, name="RelationType", description="Relation types, source -> target."
)


@strawberry.enum(
    name="Direction", description="Which relations of a node: leaving it, reaching it, or both."
)
class DirectionEnum(Enum):
    OUT = "out"
    IN = "in"
    BOTH = "both"

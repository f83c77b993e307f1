"""GraphQL enums: node labels and relation types from shegong.schema.vocab, and orders."""

from __future__ import annotations

from enum import Enum

import strawberry
from shegong.schema import Label, RelationType

__all__ = ["ArticleOrder", "DirectionEnum", "EntityLabel", "EntityOrder", "RelationTypeEnum"]

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


@strawberry.enum(description="Orders of entity lists.")
class EntityOrder(Enum):
    ID = "id"
    NAME = "name"
    DEGREE = "degree"


@strawberry.enum(description="Orders of article lists.")
class ArticleOrder(Enum):
    ID = "id"
    TITLE = "title"
    DATE = "date"

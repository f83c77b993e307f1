"""Backend-neutral descriptions of list queries: which nodes or relations, in what order.

A query is data (frozen dataclasses): a tree of conditions combined with ``AllOf`` /
``AnyOf`` / ``Not``, an order and an optional ``as_of`` date. Each store translates the
same tree into one statement (graph.query_sql for SQLite, graph.query_cypher for Bolt)
through the one table of fields below, where every field names its SQL and its Cypher
expression side by side, so the two translations cannot drift apart field by field.

Dates are ISO text (``2021``, ``2021-03`` or ``2021-03-05``); a shorter value stands for
its whole period: ``lt 2022`` is before 2022-01-01, ``lte 2021`` up to 2021-12-31,
``eq 2021-03`` any day of March 2021.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, TypeAlias

from shegong.schema import InputError, Label, RelationType

__all__ = [
    "MAX_PLACE_DEPTH",
    "NODE_FIELDS",
    "RELATION_FIELDS",
    "AllOf",
    "AnyOf",
    "Compare",
    "Endpoint",
    "FieldKind",
    "FieldSpec",
    "Filter",
    "GroupBy",
    "Group",
    "NodeQuery",
    "Not",
    "Op",
    "OrderKey",
    "Related",
    "RelationQuery",
    "Within",
    "check_date",
    "node_as_of",
    "relation_as_of",
]

#: How many LOCATED_IN / HELD_IN steps a place hierarchy walk takes at most (country
#: down to community is six; both stores stop at the same depth).
MAX_PLACE_DEPTH = 8

#: Relation types a place hierarchy walks: things are LOCATED_IN or HELD_IN a place,
#: places are LOCATED_IN their parent.
PLACE_TYPES: tuple[RelationType, ...] = (RelationType.LOCATED_IN, RelationType.HELD_IN)


class Op(Enum):
    """Comparison operators of a field condition."""

    EQ = "eq"
    IN = "in"
    CONTAINS = "contains"
    STARTS_WITH = "startsWith"
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    IS_NULL = "isNull"


class FieldKind(Enum):
    """What values a field holds, hence which operators apply."""

    TEXT = "text"
    NAMES = "names"  # the name or any alias: the condition holds for one of them
    LIST = "list"  # a list property: the condition holds for one of its items
    DATE = "date"
    NUMBER = "number"
    BOOL = "bool"


OPS: dict[FieldKind, frozenset[Op]] = {
    FieldKind.TEXT: frozenset({Op.EQ, Op.IN, Op.CONTAINS, Op.STARTS_WITH, Op.IS_NULL}),
    FieldKind.NAMES: frozenset({Op.EQ, Op.IN, Op.CONTAINS, Op.STARTS_WITH}),
    FieldKind.LIST: frozenset({Op.EQ, Op.IN, Op.CONTAINS, Op.STARTS_WITH}),
    FieldKind.DATE: frozenset({Op.EQ, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.IS_NULL}),
    FieldKind.NUMBER: frozenset({Op.EQ, Op.IN, Op.LT, Op.LTE, Op.GT, Op.GTE}),
    FieldKind.BOOL: frozenset({Op.EQ}),
}


@dataclass(frozen=True)
class FieldSpec:
    """One filterable, sortable field: its kind and its expression in each store.

    ``{v}`` stands for the node or relation variable. For NAMES fields the expressions
    name the list of name forms (SQL: a table of ``simple`` forms for ``node_id``;
    Cypher: a list property), see the compilers.
    """

    kind: FieldKind
    sql: str
    cypher: str
    #: False for fields every row has (ids, names): sorting needs no null handling,
    #: so an index on the field can serve the order.
    nullable: bool = True


# ISO date property of events and articles: the stored date when it starts with a year
# (an event's "03-05" with no year is no ISO date), else the first day seen.
_SQL_DATE = (
    "(CASE WHEN json_extract({v}.properties, '$.date') GLOB '[0-9][0-9][0-9][0-9]*' "
    "THEN json_extract({v}.properties, '$.date') ELSE {v}.first_seen END)"
)
_SQL_DEGREE = (
    "((SELECT COUNT(*) FROM relations WHERE source = {v}.id AND type != 'MENTIONS' "
    "AND retracted = 0) + (SELECT COUNT(*) FROM relations WHERE target = {v}.id "
    "AND type != 'MENTIONS' AND retracted = 0))"
)
_CYPHER_DEGREE = "size([({v})-[d]-() WHERE d.retracted = false AND type(d) <> 'MENTIONS' | 1])"

NODE_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(FieldKind.TEXT, "{v}.id", "{v}.id", nullable=False),
    "label": FieldSpec(FieldKind.TEXT, "{v}.label", "{v}.label", nullable=False),
    "name": FieldSpec(FieldKind.TEXT, "{v}.name", "{v}.name", nullable=False),
    "names": FieldSpec(FieldKind.NAMES, "names", "{v}.skeys"),
    "kind": FieldSpec(FieldKind.TEXT, "{v}.kind", "{v}.kind"),
    "level": FieldSpec(
        FieldKind.TEXT,
        "coalesce(json_extract({v}.properties, '$.level'), {v}.kind)",
        "coalesce({v}.level, {v}.kind)",
    ),
    "adcode": FieldSpec(
        FieldKind.TEXT, "CAST(json_extract({v}.properties, '$.adcode') AS TEXT)", "{v}.adcode"
    ),
    "source": FieldSpec(FieldKind.TEXT, "json_extract({v}.properties, '$.source')", "{v}.source"),
    # Every outlet that carried an article (its own and its reprints'; stores written
    # before the list existed hold the one source).
    "outlets": FieldSpec(
        FieldKind.LIST,
        "coalesce(json_extract({v}.properties, '$.sources'), "
        "json_array(json_extract({v}.properties, '$.source')))",
        "coalesce({v}.sources, [{v}.source])",
    ),
    "date": FieldSpec(FieldKind.DATE, _SQL_DATE, "{v}.date"),
    "firstSeen": FieldSpec(FieldKind.DATE, "{v}.first_seen", "{v}.first_seen"),
    "lastSeen": FieldSpec(FieldKind.DATE, "{v}.last_seen", "{v}.last_seen"),
    "degree": FieldSpec(FieldKind.NUMBER, _SQL_DEGREE, _CYPHER_DEGREE),
}

RELATION_FIELDS: dict[str, FieldSpec] = {
    "id": FieldSpec(FieldKind.TEXT, "{v}.id", "{v}.id", nullable=False),
    "type": FieldSpec(FieldKind.TEXT, "{v}.type", "type({v})", nullable=False),
    "confidence": FieldSpec(FieldKind.NUMBER, "{v}.confidence", "{v}.confidence"),
    "evidenceCount": FieldSpec(FieldKind.NUMBER, "{v}.evidence_count", "{v}.evidence_count"),
    "curated": FieldSpec(FieldKind.BOOL, "{v}.curated", "{v}.curated"),
    "retracted": FieldSpec(FieldKind.BOOL, "{v}.retracted", "{v}.retracted"),
    "createdAt": FieldSpec(FieldKind.DATE, "{v}.created_at", "{v}.created_at"),
    "firstSeen": FieldSpec(FieldKind.DATE, "{v}.first_seen", "{v}.first_seen"),
    "lastSeen": FieldSpec(FieldKind.DATE, "{v}.last_seen", "{v}.last_seen"),
}

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(name: str, value: object) -> str:
    """``value`` as a date condition accepts it (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if not isinstance(value, str) or not _DATE.match(value):
        raise InputError(f"{name} must be an ISO date (2021, 2021-03 or 2021-03-05), got {value!r}")
    return value


# -- the condition tree ------------------------------------------------------------------
@dataclass(frozen=True)
class Compare:
    """``field op value`` over the node or relation at hand."""

    field: str
    op: Op
    value: Any = None


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    """``part`` does not hold; a condition on a missing value (no date, no kind) does
    not hold, so ``Not`` of it does."""

    part: Filter


@dataclass(frozen=True)
class Related:
    """A node condition: it has (``some``) or has no (``none``) non-retracted relation of
    ``types`` (any when empty) in ``direction`` whose other end passes ``other``."""

    quantifier: Literal["some", "none"]
    types: tuple[RelationType, ...] = ()
    direction: Literal["out", "in", "both"] = "both"
    other: Filter | None = None


@dataclass(frozen=True)
class Within:
    """A node condition: it is the place ``place_id`` or lies inside it (LOCATED_IN /
    HELD_IN it or a place inside it, through at most MAX_PLACE_DEPTH steps)."""

    place_id: str


@dataclass(frozen=True)
class Endpoint:
    """A relation condition: its source (or target) node passes ``where``."""

    end: Literal["source", "target"]
    where: Filter


Filter: TypeAlias = Compare | AllOf | AnyOf | Not | Related | Within | Endpoint


@dataclass(frozen=True)
class OrderKey:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class NodeQuery:
    """Nodes of ``label`` (all labels when None) passing ``where``, in ``order`` (the id
    breaks ties, ascending); null values sort last in either direction."""

    label: Label | None = None
    where: Filter | None = None
    order: tuple[OrderKey, ...] = ()
    as_of: str | None = None

    def fields(self) -> dict[str, FieldSpec]:
        return NODE_FIELDS


@dataclass(frozen=True)
class RelationQuery:
    """Relations passing ``where`` (retracted ones only when ``where`` asks for them),
    in ``order`` (id breaks ties)."""

    where: Filter | None = None
    order: tuple[OrderKey, ...] = ()
    as_of: str | None = None
    include_retracted: bool = False

    def fields(self) -> dict[str, FieldSpec]:
        return RELATION_FIELDS


class GroupBy(Enum):
    """What an aggregate counts by."""

    LABEL = "label"
    KIND = "kind"
    LEVEL = "level"
    YEAR = "year"  # of the date field (nodes: date, else first seen; relations: first seen)
    PLACE = "place"  # the enclosing place at a given level (nodes)
    TYPE = "type"  # relations


@dataclass(frozen=True)
class Group:
    """One group of an aggregate: its key (a place id for PLACE), a display name, size."""

    key: str | None
    count: int
    name: str | None = None


def node_as_of(date: str) -> Filter:
    """Nodes an article up to ``date`` states (undated nodes, e.g. gazetteer places, hold
    at every date)."""
    return AnyOf((Compare("firstSeen", Op.IS_NULL, True), Compare("firstSeen", Op.LTE, date)))


def relation_as_of(date: str) -> Filter:
    """Relations an article up to ``date`` states, or an editor added by then (relations
    with neither a dated article nor a creation time hold at every date)."""
    return AnyOf(
        (
            Compare("firstSeen", Op.LTE, date),
            AllOf(
                (
                    Compare("firstSeen", Op.IS_NULL, True),
                    AnyOf(
                        (
                            Compare("createdAt", Op.IS_NULL, True),
                            Compare("createdAt", Op.LTE, date),
                        )
                    ),
                )
            ),
        )
    )

"""``aggregate`` on lists: counts, counts per group and date spans, computed by the store
over the same graph.query description the list pages through."""

from __future__ import annotations

from enum import Enum

import strawberry
from shegong.graph.query import GroupBy, NodeQuery, RelationQuery
from shegong.schema import InputError

from .context import Info

__all__ = ["DateField", "DateSpan", "GroupCount", "GroupField", "ListAggregate"]


@strawberry.enum(name="GroupBy", description="What an aggregate counts by.")
class GroupField(Enum):
    LABEL = "label"
    KIND = "kind"
    LEVEL = "level"
    YEAR = "year"
    PLACE = "place"
    TYPE = "type"


@strawberry.enum(description="Date fields an aggregate spans.")
class DateField(Enum):
    DATE = "date"
    FIRST_SEEN = "firstSeen"
    LAST_SEEN = "lastSeen"
    CREATED_AT = "createdAt"


_NODE_GROUPS = {
    GroupField.LABEL,
    GroupField.KIND,
    GroupField.LEVEL,
    GroupField.YEAR,
    GroupField.PLACE,
}
_RELATION_GROUPS = {GroupField.TYPE, GroupField.YEAR}
_NODE_DATES = {DateField.DATE, DateField.FIRST_SEEN, DateField.LAST_SEEN}
_RELATION_DATES = {DateField.FIRST_SEEN, DateField.LAST_SEEN, DateField.CREATED_AT}


@strawberry.type(description="One group: its key (a place id when grouped by PLACE), name, size.")
class GroupCount:
    key: str | None
    name: str | None = strawberry.field(description="The place's name when grouped by PLACE.")
    count: int


@strawberry.type(description="The earliest and latest value of a date field.")
class DateSpan:
    earliest: str | None
    latest: str | None


@strawberry.type(description="Aggregates over the whole list (every page), computed by the store.")
class ListAggregate:
    _query: strawberry.Private[NodeQuery | RelationQuery]

    @strawberry.field(description="How many items the list holds.")
    async def count(self, info: Info) -> int:
        return await info.context.call(info.context.store.count, self._query)

    @strawberry.field(
        description="Counts per group, largest first. Nodes: LABEL, KIND, LEVEL, YEAR (of the "
        "date, else first seen) or PLACE (the enclosing place at `level`, e.g. province); "
        "relations: TYPE or YEAR (first seen)."
    )
    async def groups(
        self, info: Info, by: GroupField, level: str | None = None
    ) -> list[GroupCount]:
        nodes = isinstance(self._query, NodeQuery)
        allowed = _NODE_GROUPS if nodes else _RELATION_GROUPS
        if by not in allowed:
            names = ", ".join(sorted(g.name for g in allowed))
            raise InputError(f"groups(by: {by.name}) is not offered here; choose one of {names}")
        if by is GroupField.PLACE and not level:
            raise InputError('groups(by: PLACE) needs level, e.g. level: "province"')
        found = await info.context.call(
            info.context.store.group, self._query, GroupBy(by.value), level
        )
        return [GroupCount(key=g.key, name=g.name, count=g.count) for g in found]

    @strawberry.field(description="Earliest and latest value of a date field over the list.")
    async def dates(self, info: Info, field: DateField = DateField.FIRST_SEEN) -> DateSpan:
        allowed = _NODE_DATES if isinstance(self._query, NodeQuery) else _RELATION_DATES
        if field not in allowed:
            names = ", ".join(sorted(d.name for d in allowed))
            raise InputError(
                f"dates(field: {field.name}) is not offered here; choose one of {names}"
            )
        lo, hi = await info.context.call(info.context.store.date_range, self._query, field.value)
        return DateSpan(earliest=lo, latest=hi)

"""The earlier fixed list filters (``filter:``), kept for clients that use them: each
is translated into the graph.query description ``where`` would give, so both run as
one store statement."""

from __future__ import annotations

import strawberry
from shegong.graph.query import AllOf, Compare, Filter, Op, Related, Within, check_date
from shegong.graph.text import search_key
from shegong.schema import InputError, Label, RelationType

__all__ = ["ArticleFilter", "EntityFilter", "legacy_filter"]


@strawberry.input(description="Filters of entity lists (all must hold); `where` says more.")
class EntityFilter:
    name_contains: str | None = strawberry.field(
        default=None, description="Substring of the name or an alias (traditional accepted)."
    )
    kind: str | None = None
    place: strawberry.ID | None = strawberry.field(
        default=None, description="Id of a place the entity is in (the place included)."
    )
    mentioned_in: strawberry.ID | None = strawberry.field(
        default=None, description="Id of an article mentioning the entity."
    )
    date_from: str | None = strawberry.field(
        default=None, description="ISO date: seen (or, for events, held) on or after it."
    )
    date_to: str | None = strawberry.field(
        default=None, description="ISO date: seen (or, for events, held) on or before it."
    )


@strawberry.input(description="Filters of the article list (all must hold); `where` says more.")
class ArticleFilter:
    title_contains: str | None = None
    source: str | None = strawberry.field(
        default=None, description="An outlet that carried it (its own, or a reprint's)."
    )
    date_from: str | None = None
    date_to: str | None = None
    mentions: strawberry.ID | None = strawberry.field(
        default=None, description="Id of an entity the article mentions."
    )


def _mentions(direction: str, node_id: strawberry.ID) -> Filter:
    return Related("some", (RelationType.MENTIONS,), direction, Compare("id", Op.EQ, str(node_id)))


def _dates(first: str, last: str, lo: str | None, hi: str | None) -> list[Filter]:
    """Seen within [lo, hi]: last seen on or after lo, first seen on or before hi."""
    parts: list[Filter] = []
    if lo is not None:
        parts.append(Compare(last, Op.GTE, check_date("dateFrom", lo)))
    if hi is not None:
        parts.append(Compare(first, Op.LTE, check_date("dateTo", hi)))
    return parts


def legacy_filter(label: Label, flt: EntityFilter | ArticleFilter | None) -> Filter | None:
    """The graph.query filter of a ``filter:`` argument (None when empty)."""
    if flt is None:
        return None
    parts: list[Filter] = []
    if isinstance(flt, ArticleFilter):
        if flt.title_contains:
            parts.append(Compare("name", Op.CONTAINS, flt.title_contains))
        if flt.source:
            parts.append(Compare("outlets", Op.EQ, flt.source))
        parts += _dates("date", "date", flt.date_from, flt.date_to)
        if flt.mentions:
            parts.append(_mentions("out", flt.mentions))
    else:
        if flt.name_contains is not None:
            text = search_key(flt.name_contains.strip())
            if not text:
                raise InputError("nameContains must not be blank")
            parts.append(Compare("names", Op.CONTAINS, text))
        if flt.kind:
            parts.append(Compare("kind", Op.EQ, flt.kind))
        if flt.place:
            parts.append(Within(str(flt.place)))
        if flt.mentioned_in:
            parts.append(_mentions("in", flt.mentioned_in))
        if label is Label.EVENT:
            parts += _dates("date", "date", flt.date_from, flt.date_to)
        else:
            parts += _dates("firstSeen", "lastSeen", flt.date_from, flt.date_to)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

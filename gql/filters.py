"""List filters and orders: which nodes a per-label or article list holds, in what order.

The GraphStore protocol lists nodes by label and id, searches names, and walks
neighbours; filters are composed from those calls here (the narrowest first) and the
rest is cut in memory, so a filtered list costs one or two store calls whatever its
size, and an unfiltered list in id order is paged by the store itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from shegong.graph import GraphStore
from shegong.schema import InputError, Label, Node, RelationType

from .enums import ArticleOrder, EntityOrder

__all__ = ["ArticleFilter", "EntityFilter", "filter_articles", "filter_entities"]

_PLACE_TYPES = [RelationType.LOCATED_IN, RelationType.HELD_IN]


@strawberry.input(description="Filters of entity lists; all given filters must hold.")
class EntityFilter:
    name_contains: str | None = strawberry.field(
        default=None, description="Substring of the name or an alias (traditional accepted)."
    )
    kind: str | None = None
    place: strawberry.ID | None = strawberry.field(
        default=None, description="Id of a place the entity is LOCATED_IN or HELD_IN."
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

    def is_empty(self) -> bool:
        return not any(
            (
                self.name_contains,
                self.kind,
                self.place,
                self.mentioned_in,
                self.date_from,
                self.date_to,
            )
        )


@strawberry.input(description="Filters of the article list; all given filters must hold.")
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

    def is_empty(self) -> bool:
        return not any(
            (self.title_contains, self.source, self.date_from, self.date_to, self.mentions)
        )


def _check_date(name: str, value: str | None) -> None:
    if value is not None and (len(value) < 4 or not value[:4].isdigit()):
        raise InputError(f"{name} must be an ISO date such as 2023-05-01, got {value!r}")


def _entity_dates(node: Node) -> tuple[str | None, str | None]:
    date = node.properties.get("date") if node.label is Label.EVENT else None
    if isinstance(date, str) and date[:4].isdigit():
        return date, date
    return node.first_seen, node.last_seen


def filter_entities(
    store: GraphStore, label: Label, flt: EntityFilter, order: EntityOrder
) -> list[Node]:
    """Every ``label`` node passing ``flt``, in ``order`` (blocking; run in a thread)."""
    _check_date("dateFrom", flt.date_from)
    _check_date("dateTo", flt.date_to)
    candidates: list[Node] | None = None
    if flt.mentioned_in:
        pairs = store.neighbours(str(flt.mentioned_in), [RelationType.MENTIONS], "out")
        candidates = [node for _, node in pairs]
    if flt.place:
        pairs = store.neighbours(str(flt.place), _PLACE_TYPES, "in")
        found = [node for _, node in pairs]
        candidates = found if candidates is None else _intersect(candidates, found)
    if flt.name_contains is not None:
        text = flt.name_contains.strip()
        if not text:
            raise InputError("nameContains must not be blank")
        total = store.count_search(text, [label])
        found = store.search(text, [label], limit=max(total, 1)) if total else []
        candidates = found if candidates is None else _intersect(candidates, found)
    if candidates is None:
        candidates = store.nodes(label)
    rows = [n for n in _unique(candidates) if n.label is label]
    if flt.kind:
        rows = [n for n in rows if n.kind == flt.kind]
    if flt.date_from or flt.date_to:
        rows = [n for n in rows if _in_range(_entity_dates(n), flt.date_from, flt.date_to)]
    if order is EntityOrder.NAME:
        return sorted(rows, key=lambda n: (n.name, n.id))
    if order is EntityOrder.DEGREE:
        degrees = store.degree([n.id for n in rows]) if rows else {}
        return sorted(rows, key=lambda n: (-degrees.get(n.id, 0), n.id))
    return sorted(rows, key=lambda n: n.id)


def filter_articles(store: GraphStore, flt: ArticleFilter, order: ArticleOrder) -> list[Node]:
    """Every article passing ``flt``, in ``order`` (blocking; run in a thread)."""
    _check_date("dateFrom", flt.date_from)
    _check_date("dateTo", flt.date_to)
    if flt.mentions:
        pairs = store.neighbours(str(flt.mentions), [RelationType.MENTIONS], "in")
        rows = [node for _, node in pairs]
    else:
        rows = store.nodes(Label.ARTICLE)
    rows = [n for n in _unique(rows) if n.label is Label.ARTICLE]
    if flt.title_contains:
        rows = [n for n in rows if flt.title_contains in n.name]
    if flt.source:
        rows = [n for n in rows if _carried_by(n, flt.source)]
    if flt.date_from or flt.date_to:
        rows = [n for n in rows if _in_range(_article_dates(n), flt.date_from, flt.date_to)]
    if order is ArticleOrder.TITLE:
        return sorted(rows, key=lambda n: (n.name, n.id))
    if order is ArticleOrder.DATE:
        return sorted(rows, key=lambda n: (str(n.properties.get("date") or ""), n.id))
    return sorted(rows, key=lambda n: n.id)


def _carried_by(node: Node, source: str) -> bool:
    """The article's outlet, or one of the outlets of its reprints, is ``source``."""
    sources = node.properties.get("sources")
    return node.properties.get("source") == source or (
        isinstance(sources, list) and source in sources
    )


def _article_dates(node: Node) -> tuple[str | None, str | None]:
    date = node.properties.get("date")
    # a month-day date (MM-DD, no year known) lies in no ISO range
    value = str(date) if date and str(date)[:4].isdigit() else node.first_seen
    return value, value


def _in_range(dates: tuple[str | None, str | None], lo: str | None, hi: str | None) -> bool:
    first, last = dates
    if first is None and last is None:
        return False
    # A node overlaps [lo, hi] when it was last seen after lo and first seen before hi.
    if lo is not None and (last or first or "") < lo:
        return False
    return not (hi is not None and (first or last or "")[: len(hi)] > hi)


def _intersect(base: Sequence[Node], other: Sequence[Node]) -> list[Node]:
    keep = {n.id for n in other}
    return [n for n in base if n.id in keep]


def _unique(nodes: Sequence[Node]) -> list[Node]:
    return list({n.id: n for n in nodes}.values())

"""Look ahead in a query: read the relations of a page, their evidence and its articles
in one round, when the query selects them.

A field resolved through a DataLoader costs a coroutine, a task and a batch round
however cheap the store call, and each round is a hop to a worker thread and back;
with ten relations of five pieces each, that was most of a request. ``evidence_plan``
runs where a page of relations is made (``Entity.relations``): it reads which
``evidence(first, after)`` the query asks under ``edges.node`` or ``nodes``, and
whether ``article`` is selected there, so that ``Loaders.relation_pages`` loads the
relations, those pages and their articles in one store round. ``Relation.evidence`` and
``Evidence.article`` then answer from the loaders' caches without awaiting. A query
that selects no evidence loads none, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shegong.schema import InputError
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from .context import Info
from .pagination import Window, window

__all__ = [
    "EVIDENCE_PAGE",
    "EvidencePlan",
    "cached",
    "evidence_plan",
    "evidence_selections",
    "evidence_window",
]

#: Pieces of evidence a relation shows when ``first`` is not given.
EVIDENCE_PAGE = 5


@dataclass(frozen=True)
class EvidencePlan:
    """The evidence window a query asks of every relation on a page, and whether it
    shows the pieces' articles."""

    window: Window
    articles: bool


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for sel in selections:
        if isinstance(sel, FragmentSpread | InlineFragment):
            yield from _fields(sel.selections)
        elif isinstance(sel, SelectedField):
            yield sel


def _under(selections: Iterable[Selection], path: Sequence[str]) -> list[SelectedField]:
    """The fields reached from ``selections`` along ``path`` (GraphQL names)."""
    found = list(_fields(selections))
    for name in path:
        found = [f for sel in found if sel.name == name for f in _fields(sel.selections)]
    return found


def evidence_selections(info: Info) -> list[SelectedField]:
    """The ``evidence`` fields selected on the relations of the connection being resolved."""
    # info.selected_fields holds the connection field itself; its items are below it
    here = [f for field in _fields(info.selected_fields) for f in _fields(field.selections)]
    nodes = _under(here, ("edges", "node")) + _under(here, ("nodes",))
    return [f for f in nodes if f.name == "evidence"]


def evidence_window(info: Info, first: int | None, after: str | None) -> Window:
    """The window ``evidence(first, after)`` reads (InputError for a bad one)."""
    return window(EVIDENCE_PAGE if first is None else first, after, info.context.settings)


def cached(loader: Any, key: Any) -> tuple[bool, Any]:
    """(True, value) when ``loader`` already holds ``key`` (loaded or primed)."""
    future = loader.cache_map.get(key)
    if (
        future is not None
        and future.done()
        and not future.cancelled()
        and future.exception() is None
    ):
        return True, future.result()
    return False, None


def evidence_plan(info: Info) -> EvidencePlan | None:
    """What evidence the query will ask of the relations being resolved; None when it
    selects none, or several windows (aliases: each field loads its own), or a bad one
    (the evidence fields report it, each where it is asked)."""
    selected = evidence_selections(info)
    if len(selected) != 1:
        return None
    field = selected[0]
    first: Any = field.arguments.get("first", EVIDENCE_PAGE)
    try:
        # strawberry gives a literal as written (a string); a variable as its value
        win = evidence_window(
            info, None if first is None else int(first), field.arguments.get("after")
        )
    except (InputError, TypeError, ValueError):
        return None
    articles = any(
        f.name == "article"
        for f in _under(field.selections, ("nodes",)) + _under(field.selections, ("edges", "node"))
    )
    return EvidencePlan(win, articles)

"""Look ahead in a query: fetch the evidence (and its articles) of a page of relations
at once, when the query selects them.

A field resolved through a DataLoader costs a coroutine, a task and a batch round
however cheap the store call; with ten relations of five pieces each, that is most of a
request. ``prefetch_evidence`` runs where a page of relations is made (``Entity.relations``):
it reads which ``evidence(first, after)`` the query asks under ``edges.node`` or ``nodes``
and loads those pages, and their articles when ``article`` is selected, in one round.
``Relation.evidence`` and ``Evidence.article`` then answer from the loaders' caches
without awaiting. A query that selects no evidence loads none, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shegong.schema import InputError
from shegong.schema import Relation as RelationModel
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from .context import Info
from .dataloaders import EvidenceKey
from .pagination import Window, window

__all__ = ["EVIDENCE_PAGE", "cached", "evidence_selections", "evidence_window", "prefetch_evidence"]

#: Pieces of evidence a relation shows when ``first`` is not given.
EVIDENCE_PAGE = 5


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
    here = _under(info.selected_fields, ())
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


async def prefetch_evidence(info: Info, rels: Sequence[RelationModel]) -> None:
    """Load the evidence pages the query will ask of ``rels``, and the articles of their
    pieces when selected, so that those fields resolve from cache."""
    selected = evidence_selections(info)
    if len(selected) != 1 or not rels:
        return  # none, or several windows (aliases): each field loads its own
    field = selected[0]
    try:
        win = evidence_window(
            info, field.arguments.get("first", EVIDENCE_PAGE), field.arguments.get("after")
        )
    except InputError:
        return  # the evidence fields report it, each where it is asked
    loaders = info.context.loaders
    keys = [
        EvidenceKey(rel.id, win.fetch, win.offset)
        for rel in rels
        if not rel.evidence and win.offset < rel.evidence_count
    ]
    if not keys:
        return
    pages = await loaders.evidence.load_many(keys)
    wants_article = any(
        f.name == "article"
        for f in _under(field.selections, ("nodes",)) + _under(field.selections, ("edges", "node"))
    )
    if wants_article:
        ids = sorted({ev.article_id for page in pages for ev in page[: win.size]})
        await loaders.nodes.load_many(ids)

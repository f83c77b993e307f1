"""Relay-style connections: opaque cursors, page windows and the page size cap."""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry
from shegong.schema import InputError

from .settings import ApiSettings

if TYPE_CHECKING:
    from .aggregate import ListAggregate

AggregateRef = Annotated["ListAggregate", strawberry.lazy(".aggregate")]

__all__ = [
    "Connection",
    "MAX_OFFSET",
    "Edge",
    "PageInfo",
    "Window",
    "connection",
    "decode_cursor",
    "encode_cursor",
    "window",
]

T = TypeVar("T")

_PREFIX = "shegong:"
#: The largest offset a cursor may carry.
MAX_OFFSET = 10_000_000


@functools.lru_cache(maxsize=4096)  # the first pages' cursors, asked again and again
def encode_cursor(offset: int) -> str:
    """The opaque cursor of the item at ``offset`` in a list."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; InputError for anything we did not hand out
    (including offsets beyond ``MAX_OFFSET``, which no list here reaches)."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError, binascii.Error) as e:
        raise _bad(cursor, "not one this API handed out") from e
    digits = text[len(_PREFIX) :]
    if not text.startswith(_PREFIX) or not digits.isascii() or not digits.isdigit():
        raise _bad(cursor, "not one this API handed out")
    if len(digits) > len(str(MAX_OFFSET)) or int(digits) > MAX_OFFSET:
        raise _bad(cursor, f"its offset is out of range (at most {MAX_OFFSET})")
    return int(digits)


def _bad(cursor: str, why: str) -> InputError:
    shown = cursor if len(cursor) <= 60 else cursor[:57] + "..."
    return InputError(
        f"invalid cursor {shown!r}: {why}; pass an edges.cursor or pageInfo.endCursor "
        "this API returned"
    )


@dataclass(frozen=True)
class Window:
    """Which slice of a list a page asks for."""

    offset: int
    size: int

    @property
    def fetch(self) -> int:
        """How many to fetch: one more than the page, to know whether another follows."""
        return self.size + 1

    @property
    def end(self) -> int:
        return self.offset + self.size


def window(first: int | None, after: str | None, settings: ApiSettings) -> Window:
    """The window for ``first``/``after``; InputError above the page size cap."""
    size = settings.default_page_size if first is None else first
    if size < 0:
        raise InputError(f"first must not be negative, got {size}")
    if size > settings.max_page_size:
        raise InputError(
            f"first={size} is above the page size cap of {settings.max_page_size}; "
            f"ask for at most {settings.max_page_size} and page on with `after`"
        )
    offset = decode_cursor(after) + 1 if after else 0
    return Window(offset, size)


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, Relay style.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T] = strawberry.field(
        description="The items of the page without their cursors (the nodes of `edges`)."
    )
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]
    _query: strawberry.Private[Any] = None

    @strawberry.field(description="How many items the whole list holds.")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(
        description="Counts, groups and date spans over the whole list (the top-level "
        "lists; null elsewhere)."
    )
    def aggregate(self) -> AggregateRef | None:
        from .aggregate import ListAggregate

        return None if self._query is None else ListAggregate(_query=self._query)


def connection(
    items: Sequence[T],
    win: Window,
    count: Callable[[], Awaitable[int]] | int,
    *,
    sliced: bool = True,
    query: Any = None,
) -> Connection[T]:
    """A page from ``items``.

    With ``sliced`` the items start at ``win.offset`` (the store applied the offset)
    and may hold one extra item telling that a next page exists; otherwise ``items`` is
    the whole list and is cut here. ``count`` is the total or an awaitable giving it,
    only awaited when a client asks for ``totalCount``; ``query`` (a graph.query
    description of the whole list) backs ``aggregate``.
    """
    rows = list(items) if sliced else list(items[win.offset : win.offset + win.fetch])
    has_next = len(rows) > win.size
    rows = rows[: win.size]
    edges = [Edge(cursor=encode_cursor(win.offset + i), node=item) for i, item in enumerate(rows)]
    counter: Callable[[], Awaitable[int]]
    if isinstance(count, int):
        total = count

        async def fixed() -> int:
            return total

        counter = fixed
    else:
        counter = count
    return Connection(
        edges=edges,
        nodes=rows,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=win.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=counter,
        _query=query,
    )

"""Field values that are loaded only if a query awaits them.

strawberry runs a field with a resolver through its own wrapper (an ``Info`` object,
argument conversion, the field-extension chain), which costs more than the field's
work when the answer is already in a DataLoader's cache. Fields such as
``Relation.source`` are therefore plain attributes, filled when the object is built:
with the value when the request's loader holds it, else with a ``Later``, which
graphql-core awaits only when the query selects the field. Unlike a coroutine, a
``Later`` that is never awaited starts nothing and warns about nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

__all__ = ["Later", "held"]

T = TypeVar("T")


class Later(Generic[T]):
    """``make()`` awaited when (and each time) graphql-core awaits this value."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Awaitable[T]]) -> None:
        self._make = make

    def __await__(self) -> Generator[Any, None, T]:
        return self._make().__await__()


def held(loader: Any, key: Any) -> tuple[bool, Any]:
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

"""Deadlines for store work: a request's time limit that really stops the store.

``time_limit(seconds)`` sets a deadline in a context variable for the code it wraps;
threads started through ``anyio``/``starlette`` (the API's store calls) copy the
context, so the store sees the deadline of the request it works for. The embedded
store aborts a running SQLite statement through a progress handler once the deadline
has passed; the Bolt store sends the time left as the transaction timeout and refuses
to start a query after it. Both raise ``TimeLimitExceeded``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from shegong.schema import TimeLimitExceeded

__all__ = ["check_deadline", "deadline", "remaining", "time_limit"]

_DEADLINE: ContextVar[float | None] = ContextVar("shegong_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the block with a deadline ``seconds`` from now (None: no limit).

    A deadline already set by an outer block is kept when it is earlier.
    """
    if seconds is None:
        yield
        return
    at = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(at if outer is None else min(at, outer))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def deadline() -> float | None:
    """The current deadline (``time.monotonic()`` seconds), or None."""
    return _DEADLINE.get()


def remaining() -> float | None:
    """Seconds left before the deadline (at least 0), or None without one."""
    at = _DEADLINE.get()
    return None if at is None else max(0.0, at - time.monotonic())


def check_deadline(doing: str = "the store call") -> None:
    """Raise TimeLimitExceeded when the deadline has passed."""
    at = _DEADLINE.get()
    if at is not None and time.monotonic() >= at:
        raise TimeLimitExceeded(f"{doing} was stopped: the time limit was reached")

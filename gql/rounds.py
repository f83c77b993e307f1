"""Store rounds: the store calls a request's DataLoaders ask in one turn of the event
loop run together, in one worker thread.

Resolving an entity asks for its degree and its relations at the same moment; each
DataLoader would otherwise make its own hop to a worker thread and back, and a hop
(queueing, waking the thread, handing the GIL back and forth, waking the loop) costs
more than these small store calls. A ``StoreRound`` collects the calls asked before
the loop's next turn and runs them one after another in one store thread. Which
calls share a round depends only on timing; each call gets its own result or its own
exception either way.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["STORE_THREADS", "StoreRound", "call_store", "store_future"]

T = TypeVar("T")

#: Store calls running at once per server (threads; the embedded store lends each a
#: reader connection from a pool of the same size).
STORE_THREADS = 8

_threads: ThreadPoolExecutor | None = None
_threads_lock = threading.Lock()


def _store_threads() -> ThreadPoolExecutor:
    """The process's store threads, started at the first call (not at import: a
    process forked before that gets its own)."""
    global _threads
    with _threads_lock:
        if _threads is None:
            _threads = ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="shegong-store")
        return _threads


def store_future(fn: Callable[[], T]) -> asyncio.Future[T]:
    """``fn()`` started in a store thread (at most ``STORE_THREADS`` at once, the
    others wait their turn), as a future of the running loop; the thread runs in a
    copy of the caller's context, so it sees the request's deadline.

    asyncio's own executor hand-off, not anyio's ``to_thread`` (which Starlette's
    ``run_in_threadpool`` uses): anyio adds a checkpoint, a capacity limiter and a
    cancel scope to every hop, about 0.1 ms of CPU that these calls, often shorter
    than that, would pay on every request.
    """
    context = contextvars.copy_context()
    return asyncio.get_running_loop().run_in_executor(_store_threads(), context.run, fn)


async def call_store(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one blocking store call in a store thread (``store_future``), off the
    event loop."""
    return await store_future(functools.partial(fn, *args, **kwargs))


Call = tuple[Callable[[], Any], asyncio.Future[Any]]


class StoreRound:
    """Runs the blocking calls handed to ``call`` in the same loop turn as one batch."""

    def __init__(self) -> None:
        self._pending: list[Call] = []

    async def call(self, fn: Callable[[], T]) -> T:
        """``fn()`` run in a worker thread, with the other calls asked this turn."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append((fn, future))
        if len(self._pending) == 1:
            loop.call_soon(self._flush)  # in this request's context: it keeps the deadline
        return await future

    def _flush(self) -> None:
        # The round's thread hands its results over in a callback: no task of its own.
        batch, self._pending = self._pending, []
        try:
            running = store_future(functools.partial(_run_all, [fn for fn, _ in batch]))
        except Exception as e:  # the threads cannot take it (shutting down)
            _hand_over(batch, e)
            return
        running.add_done_callback(functools.partial(_settle, batch))


def _run_all(calls: list[Callable[[], Any]]) -> list[tuple[bool, Any]]:
    out: list[tuple[bool, Any]] = []
    for fn in calls:
        try:
            out.append((True, fn()))
        except Exception as e:  # handed to the caller that asked for it
            out.append((False, e))
    return out


def _settle(batch: list[Call], running: asyncio.Future[list[tuple[bool, Any]]]) -> None:
    if running.cancelled():  # the loop is shutting down
        for _, future in batch:
            future.cancel()
        return
    error = running.exception()
    if error is not None:  # the thread could not run
        _hand_over(batch, error)
        return
    for (_, future), (ok, value) in zip(batch, running.result(), strict=True):
        if future.done():  # its caller gave up (timed out)
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


def _hand_over(batch: list[Call], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)

"""SQLite connections of the embedded store: one writer and a bounded set of readers.

SQLite lets one writer in at a time, so the store keeps one writer connection (with a
larger page cache: bulk loads dirty pages all over the indexes) behind a lock, and at
most ``readers`` reader connections with a small cache, lent to whichever thread reads.
Memory is bounded whatever the number of threads calling the store (a server's thread
pool used to open a connection with a 256 MB cache per thread, and never close it).

A thread that already holds a connection gets the same one again, so nested reads (and
reads inside a write) see one transaction. While a connection is lent, a progress
handler stops its statements at the deadline of ``shegong.graph.deadline``.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from shegong.schema import StoreError, TimeLimitExceeded

from .deadline import check_deadline, deadline
from .sqlite_schema import connect

__all__ = ["READERS", "READER_CACHE_KIB", "WRITER_CACHE_KIB", "ConnectionPool"]

#: Reader connections at most (threads beyond wait for one).
READERS = 8
#: Page cache of a reader connection, KiB (SQLite allocates it as pages are read).
READER_CACHE_KIB = 8 * 1024
#: Page cache of the writer connection, KiB. A load's batch dirties pages all over the
#: random-keyed indexes; 64 MB against 256 MB cost a 30k-article load 8 % more CPU in
#: its main process and saved 220 MB of its peak memory (benchmarks/load.py).
WRITER_CACHE_KIB = 64 * 1024
#: How long a thread waits for a free connection before giving up, seconds.
WAIT = 30.0
#: SQLite virtual-machine steps between two deadline checks.
_STEPS = 20_000


class ConnectionPool:
    """The writer and reader connections over the SQLite file at ``path``."""

    def __init__(self, path: str, readers: int = READERS) -> None:
        self._path = path
        self._readers = readers
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._free: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []
        self._reader_count = 0
        self._writer: sqlite3.Connection | None = None
        self._closed = False

    def _open(self, cache_kib: int) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self._path}: the store is closed")
        try:
            conn = connect(self._path)
            conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        except sqlite3.Error as e:
            raise StoreError(f"{self._path}: cannot open as a shegong store: {e}") from e
        with self._lock:
            self._opened.append(conn)
        return conn

    def current(self) -> sqlite3.Connection | None:
        """The connection this thread holds, if any."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        return conn

    @contextmanager
    def writer(self) -> Iterator[sqlite3.Connection]:
        """The writer connection, for this thread alone until the block ends."""
        held = self.current()
        if held is not None and held is self._writer:
            yield held
            return
        with self._write_lock:
            if self._writer is None:
                self._writer = self._open(WRITER_CACHE_KIB)
            with self._lent(self._writer) as conn:
                yield conn

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A reader connection (or the one this thread already holds)."""
        held = self.current()
        if held is not None:
            yield held
            return
        conn = self._take()
        try:
            with self._lent(conn) as lent:
                yield lent
        finally:
            self._free.put(conn)

    def _take(self) -> sqlite3.Connection:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._reader_count < self._readers
            if grow:
                self._reader_count += 1
        if grow:
            try:
                return self._open(READER_CACHE_KIB)
            except BaseException:
                with self._lock:
                    self._reader_count -= 1
                raise
        try:
            return self._free.get(timeout=WAIT)
        except queue.Empty:
            raise StoreError(
                f"{self._path}: all {self._readers} reader connections stayed busy for {WAIT:g} s"
            ) from None

    @contextmanager
    def _lent(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        check_deadline()
        at = deadline()
        if at is not None:
            conn.set_progress_handler(lambda: time.monotonic() >= at, _STEPS)
        self._local.conn = conn
        try:
            yield conn
        except sqlite3.OperationalError as e:
            if at is not None and time.monotonic() >= at and "interrupt" in str(e):
                raise TimeLimitExceeded(
                    "the store query was stopped: the time limit was reached"
                ) from e
            raise
        finally:
            self._local.conn = None
            if at is not None:
                conn.set_progress_handler(None, 0)

    def close(self) -> None:
        """Close every connection; later calls raise StoreError."""
        with self._lock:
            self._closed = True
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._writer = None
        self._local = threading.local()

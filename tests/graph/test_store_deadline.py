"""Deadlines stop store work on every store: nothing starts after the deadline, and a
long statement on the embedded store is interrupted while it runs."""

from __future__ import annotations

import threading
import time

import pytest
from shegong.graph import GraphStore, time_limit
from shegong.graph.embedded import EmbeddedStore
from shegong.schema import Label, TimeLimitExceeded


def test_no_store_call_starts_after_the_deadline(store: GraphStore) -> None:
    with time_limit(0.05):
        time.sleep(0.06)
        with pytest.raises(TimeLimitExceeded, match="time limit was reached"):
            store.count_nodes(Label.ORGANISATION)
        with pytest.raises(TimeLimitExceeded):
            store.search("会")
    assert store.count_nodes(Label.ORGANISATION) == 0  # no deadline outside the block


def test_a_running_sqlite_statement_is_interrupted(embedded_store: EmbeddedStore) -> None:
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
        "SELECT COUNT(*) FROM n"
    )
    started = time.monotonic()
    with time_limit(0.3), pytest.raises(TimeLimitExceeded), embedded_store._read() as conn:
        conn.execute(slow).fetchone()
    assert time.monotonic() - started < 1.5
    # The connection is usable again, without the deadline.
    assert embedded_store.count_nodes() == 0


def test_connections_are_bounded_whatever_the_threads(embedded_store: EmbeddedStore) -> None:
    """64 threads reading at once share the pool's reader connections."""
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(5):
                embedded_store.search("会")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pool = embedded_store._pool
    assert pool._reader_count <= 8
    assert len(pool._opened) <= 9  # readers and the writer

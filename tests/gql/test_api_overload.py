"""Overload over real HTTP: a bounded number of requests in flight (503 with
Retry-After beyond), and a timeout whose deadline reaches the store's threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore, check_deadline

from tests.gql.conftest import Api
from tests.gql.server import running_server


class DeadlineAwareSlowStats:
    """The real store; ``stats`` works for ``seconds`` in small steps, checking the
    deadline between them as the stores do between (and inside) queries."""

    def __init__(self, store: GraphStore, seconds: float) -> None:
        self._store = store
        self._seconds = seconds
        self.stopped_at: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def stats(self, top: int = 10) -> Any:
        end = time.monotonic() + self._seconds
        try:
            while time.monotonic() < end:
                check_deadline("stats")
                time.sleep(0.01)
        except BaseException:
            self.stopped_at.append(time.monotonic())
            raise
        return self._store.stats(top)


@pytest.fixture(scope="module")
def slow(read_store: tuple[GraphStore, bool]) -> Iterator[tuple[Api, DeadlineAwareSlowStats]]:
    store, _ = read_store
    wrapped = DeadlineAwareSlowStats(store, 8.0)
    settings = ApiSettings(request_timeout=3.0, max_in_flight=2, retry_after=3)
    app = create_app(wrapped, settings)  # type: ignore[arg-type]
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Api(url=url, client=client, store=store), wrapped


def test_timeout_stops_the_store_work(slow: tuple[Api, DeadlineAwareSlowStats]) -> None:
    api, wrapped = slow
    wrapped.stopped_at.clear()
    started = time.monotonic()
    body = api.post("{ stats { nodes } }").json()
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
    time.sleep(0.2)
    # The thread stopped at the deadline, not 8 s later when its work would have ended.
    [stopped] = wrapped.stopped_at
    assert stopped - started < 5.0, stopped - started


def test_beyond_the_in_flight_limit_503_with_retry_after(
    slow: tuple[Api, DeadlineAwareSlowStats],
) -> None:
    api, _ = slow
    results: list[httpx.Response] = []

    def busy() -> None:
        with httpx.Client(base_url=api.url, timeout=30) as client:
            results.append(client.post("/graphql", json={"query": "{ stats { nodes } }"}))

    threads = [threading.Thread(target=busy) for _ in range(2)]
    for t in threads:
        t.start()
    # While the two run (up to the 3 s timeout), a third request is refused. (Given
    # time to arrive first: a probe sent before them would take one of the two places.)
    time.sleep(1.0)
    refused = api.post("{ organisations(first: 1) { totalCount } }")
    deadline = time.monotonic() + 2.5
    while refused.status_code != 503 and time.monotonic() < deadline:
        time.sleep(0.05)
        refused = api.post("{ organisations(first: 1) { totalCount } }")
    health = api.client.get("/health")
    for t in threads:
        t.join()
    assert refused.status_code == 503, (
        refused.text,
        [(r.status_code, r.text[:200]) for r in results],
    )
    assert refused.headers["retry-after"] == "3"
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "OVERLOADED"
    assert error["message"].startswith("the server is busy (2 requests in flight, at most 2)")
    assert health.status_code == 200  # the probe is not counted
    assert [r.status_code for r in results] == [200, 200]
    # Once they are done, requests are served again.
    assert api.query("{ organisations(first: 1) { totalCount } }")["organisations"]["totalCount"]

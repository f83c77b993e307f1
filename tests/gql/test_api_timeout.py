"""The per-request timeout: a request that runs too long is answered with an error."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore

from tests.gql.conftest import Api
from tests.gql.server import running_server


class SlowStats:
    """Delegates to the real store; ``stats`` answers after ``delay`` seconds (as a
    store under heavy load would)."""

    def __init__(self, store: GraphStore, delay: float) -> None:
        self._store = store
        self._delay = delay

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def stats(self, top: int = 10) -> Any:
        time.sleep(self._delay)
        return self._store.stats(top)


@pytest.fixture(scope="module")
def slow_api(read_store: tuple[GraphStore, bool]) -> Iterator[Api]:
    store, _ = read_store
    app = create_app(SlowStats(store, 1.5), ApiSettings(request_timeout=0.3))  # type: ignore[arg-type]
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Api(url=url, client=client, store=store)


def test_slow_request_times_out_with_a_clear_error(slow_api: Api) -> None:
    started = time.monotonic()
    response = slow_api.post("{ stats { nodes } }")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "the request took longer than the 0.3 s limit"
    assert error["extensions"]["code"] == "TIMEOUT"
    assert elapsed < 1.4  # answered at the limit, not when the store finished


def test_fast_requests_pass_under_the_same_limit(slow_api: Api) -> None:
    assert (
        slow_api.query("{ organisations(first: 1) { totalCount } }")["organisations"]["totalCount"]
        > 0
    )

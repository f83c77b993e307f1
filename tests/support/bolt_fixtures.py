"""Pytest fixtures for the Bolt store, loaded by tests/conftest.py (``pytest_plugins``).

``bolt_server`` (one per test session) is the Neo4j 5 that tests/support/neo4j_server.py
starts, or the server named by ``NEO4J_URI``. When Neo4j cannot start, every test that
needs it fails with the reason: the Bolt tests are never skipped silently.
``bolt_store`` is a ``Neo4jStore`` on an emptied graph.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shegong.graph.neo4j_store import Neo4jStore

from tests.support.bolt_server import BoltServer, ServerError, server_from_env

__all__ = ["bolt_server", "bolt_store", "open_bolt"]

# Short, so a test that kills the server does not wait for the driver's default 30 s.
RETRY_TIME = 3.0


def open_bolt(server: BoltServer, **options: float) -> Neo4jStore:
    """A store on ``server``, opened with the test session's driver options."""
    options.setdefault("max_transaction_retry_time", RETRY_TIME)
    return Neo4jStore(server.uri, server.user, server.password, server.database, **options)


@pytest.fixture(scope="session")
def bolt_server() -> Iterator[BoltServer]:
    server = server_from_env()
    try:
        server.start()
    except ServerError as error:
        server.remove()
        pytest.fail(f"cannot start Neo4j for the Bolt tests: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def bolt_store(bolt_server: BoltServer) -> Iterator[Neo4jStore]:
    """A Neo4jStore on an empty graph (every node and relationship deleted first)."""
    bolt_server.start()  # a no-op unless a fault test left it stopped
    bolt_server.clear()
    store = open_bolt(bolt_server)
    yield store
    store.close()

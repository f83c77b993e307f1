"""What the tests know of a Bolt server: the Neo4j they start, or the one ``NEO4J_URI``
names.

``server_from_env()`` gives the server for a test session: with ``NEO4J_URI`` set, that
external server (its credentials from ``NEO4J_AUTH`` or ``NEO4J_USER``/``NEO4J_PASSWORD``,
its database from ``NEO4J_DATABASE``), which the tests only clear; otherwise a new
``Neo4jServer`` (tests/support/neo4j_server.py), not started yet.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

__all__ = [
    "BoltServer",
    "ExternalServer",
    "ServerError",
    "clear_graph",
    "free_port",
    "server_from_env",
]


class ServerError(RuntimeError):
    """The Bolt server could not be started, reached or stopped."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BoltServer:
    """What a test needs to reach a Bolt server."""

    uri: str
    user: str | None
    password: str | None
    database: str | None

    #: Whether the tests may kill and restart this server (only one they started).
    can_restart: bool = False

    def clear(self) -> None:
        """Drop every node and relationship (constraints and indexes stay)."""
        clear_graph(self)

    def start(self) -> None:  # pragma: no cover - an external server is already up
        """Start the server if the tests run it (a no-op when it is running)."""

    def stop(self) -> None:  # pragma: no cover - nothing to stop for an external server
        """Stop the server if the tests started it."""

    def remove(self) -> None:  # pragma: no cover - nothing to remove for an external server
        """Stop the server and delete its data if the tests started it."""


@dataclass
class ExternalServer(BoltServer):
    """A server the user runs (``NEO4J_URI``); the tests only clear its graph."""


def server_from_env(env: dict[str, str] | None = None) -> BoltServer:
    """The server named by ``NEO4J_URI`` (not started here), or a new test Neo4j."""
    env = dict(os.environ) if env is None else env
    uri = env.get("NEO4J_URI")
    if not uri:
        from tests.support.neo4j_server import Neo4jServer

        return Neo4jServer.create()
    from shegong.schema import Settings

    settings = Settings.from_env(env)
    return ExternalServer(
        uri=uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=settings.neo4j_database,
    )


def clear_graph(server: BoltServer) -> None:
    """Delete every node and relationship in the server's database."""
    from neo4j import GraphDatabase

    auth = (server.user, server.password) if server.user else None
    with GraphDatabase.driver(server.uri, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)

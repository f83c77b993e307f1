"""Connections of ``shegong serve`` have Nagle's algorithm off, also on the listening
socket uvicorn makes for ``--workers N`` (asyncio left it on there: every response
waited ~40 ms for the client's delayed ACK)."""

from __future__ import annotations

import asyncio
import socket

import pytest
from shegong.gql.server import NoDelayH11Protocol
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState


async def _nodelay_of_accepted(protocol: type[H11Protocol]) -> int:
    """TCP_NODELAY of the server side of one connection, on a socket made as uvicorn's
    ``bind_socket`` makes it (no protocol named)."""

    async def app(scope: object, receive: object, send: object) -> None:  # never called
        raise AssertionError

    config = Config(app, log_level="warning")
    config.load()
    state = ServerState()
    seen: list[int] = []

    class Probe(protocol):  # type: ignore[valid-type, misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Probe(config=config, server_state=state, app_state={}), sock=listener
    )
    _, writer = await asyncio.open_connection(*listener.getsockname())
    for _ in range(100):
        if seen:
            break
        await asyncio.sleep(0.01)
    writer.close()
    server.close()
    for conn in list(state.connections):
        conn.shutdown()
    return seen[0]


@pytest.mark.parametrize(("protocol", "expected"), [(H11Protocol, 0), (NoDelayH11Protocol, 1)])
def test_server_connections_have_nodelay(protocol: type[H11Protocol], expected: int) -> None:
    # the plain protocol shows the socket really comes without it
    assert bool(asyncio.run(_nodelay_of_accepted(protocol))) == bool(expected)

"""Run the API with uvicorn: in this process, or in several worker processes.

With ``workers`` > 1 uvicorn starts that many processes sharing the listening socket;
each builds its own app and opens its own store (``worker_app``) from what ``serve``
put in the environment, since an open store cannot cross a process boundary. The
embedded store's readers do not block each other (WAL), so the workers serve reads in
parallel; a Neo4j store is shared through its server.

Every connection is served with TCP_NODELAY (``NoDelayH11Protocol``). asyncio sets it on
the sockets of a server it opens itself, but uvicorn's workers accept on a socket
uvicorn made without naming the protocol, so asyncio left Nagle's algorithm on there:
a response's headers and body went out as two segments and the second waited for the
client's delayed ACK, about 40 ms on every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import json
import os
import socket

import uvicorn
from shegong.graph import GraphStore
from shegong.schema import InputError
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import create_app
from .settings import ApiSettings

__all__ = [
    "GC_THRESHOLD",
    "HTTP_PROTOCOL",
    "WORKER_SPEC",
    "NoDelayH11Protocol",
    "serve",
    "tune_gc",
    "worker_app",
]

#: The environment variable ``serve`` hands the store and settings to its workers in.
WORKER_SPEC = "SHEGONG_SERVE_SPEC"
#: uvicorn's ``http`` setting for the protocol below (a path, so workers import it).
HTTP_PROTOCOL = "shegong.gql.server:NoDelayH11Protocol"


#: The collector's thresholds in a serving process (CPython's default: 700, 10, 10).
GC_THRESHOLD = (10_000, 10, 10)


def tune_gc() -> None:
    """Set the garbage collector up for serving, once the app is built.

    Everything alive by then (modules, the schema, the store) lives as long as the
    process: ``gc.freeze`` takes it out of every later collection, so the full ones
    no longer walk it. A request makes a few thousand container objects that die
    with it (none is left in a reference cycle); a higher first threshold lets most
    of them die before a collection walks them. Measured on the entity query of
    ``benchmarks/api.py`` in one process: collections took 0.08 ms per request at
    CPython's defaults, 0.035 ms frozen, 0.016 ms frozen at ``GC_THRESHOLD``.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def serve(
    store: str | GraphStore | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ApiSettings | None = None,
    log_level: str = "info",
    workers: int = 1,
) -> None:
    """Serve GraphQL (GraphiQL in a browser) at http://host:port/graphql until
    interrupted, in ``workers`` processes (1: this one)."""
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    if workers == 1:
        app = create_app(store, settings)
        tune_gc()
        uvicorn.run(
            app, host=host, port=port, log_level=log_level, access_log=False, http=HTTP_PROTOCOL
        )
        return
    uri = store.uri if isinstance(store, GraphStore) else store
    spec = {"store": uri, "settings": dataclasses.asdict(settings or ApiSettings.from_settings())}
    os.environ[WORKER_SPEC] = json.dumps(spec)
    uvicorn.run(
        "shegong.gql.server:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        http=HTTP_PROTOCOL,
    )


def worker_app() -> Starlette:
    """The app of one worker process of ``serve(workers=N)``: its own store, opened
    from the URI in ``WORKER_SPEC`` and closed when the worker stops."""
    spec = json.loads(os.environ[WORKER_SPEC])
    values = dict(spec["settings"])
    values["cors_origins"] = tuple(values.get("cors_origins", ()))
    app = create_app(spec["store"], ApiSettings(**values))
    tune_gc()
    return app

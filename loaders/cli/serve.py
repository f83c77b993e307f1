"""``shegong serve``: the GraphQL API over the store, with GraphiQL at /graphql."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from shegong.schema import InputError

from .options import at_least
from .options import port as port_type

__all__ = ["add_server_options", "register", "run_server"]


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """``--host`` and ``--port``, shared by ``serve`` and ``demo``."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=port_type, default=8000, help="port to listen on (default 8000)"
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the GraphQL API (GraphiQL at /graphql, /health)",
        description="Serve the GraphQL API over the store until interrupted. Editor "
        "mutations need SHEGONG_EDITOR_TOKEN set; clients send it as "
        "'Authorization: Bearer <token>'.",
    )
    add_server_options(parser)
    parser.add_argument(
        "--workers",
        type=at_least(1),
        default=1,
        help="server processes (uvicorn workers, each with its own store connection; default 1)",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let browser pages on ORIGIN call the API (repeatable; '*' for any)",
    )
    parser.set_defaults(func=_serve)


def run_server(
    store: str | None,
    host: str,
    port: int,
    cors_origins: Sequence[str] = (),
    workers: int = 1,
) -> int:
    """Serve ``store`` (None: $SHEGONG_STORE or ./shegong.db) on host:port in
    ``workers`` processes."""
    if not 0 < port < 65536:
        raise InputError(f"--port must be between 1 and 65535, got {port}")
    from shegong.gql import ApiSettings, serve
    from shegong.graph import open_store

    graph = open_store(store, create=False)
    try:
        if graph.count_nodes() == 0:
            print(
                f"shegong: warning: {graph.uri} holds no nodes; load articles first",
                file=sys.stderr,
            )
        settings = ApiSettings.from_settings(cors_origins=tuple(cors_origins))
        editors = "enabled" if settings.editor_token else "disabled (SHEGONG_EDITOR_TOKEN unset)"
        processes = f" in {workers} processes" if workers > 1 else ""
        print(
            f"shegong: serving {graph.uri} at http://{host}:{port}/graphql{processes}; "
            f"editor mutations {editors}"
        )
        if workers > 1:
            # Each worker opens the store itself; this connection only checked it.
            uri = graph.uri
            graph.close()
            serve(uri, host=host, port=port, settings=settings, workers=workers)
        else:
            serve(graph, host=host, port=port, settings=settings)
    finally:
        graph.close()
    return 0


def _serve(args: argparse.Namespace) -> int:
    return run_server(args.store, args.host, args.port, args.cors_origin, args.workers)

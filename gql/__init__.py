"""The GraphQL API: strawberry schema, resolvers, DataLoaders and the ASGI app.

``create_app(store, settings)`` builds the Starlette app (GraphQL and GraphiQL at
``/graphql``, ``/health``); ``serve(store, host, port)`` runs it with uvicorn;
``build_schema()`` gives the strawberry schema, printed in schema.graphql.
Names are imported on first use, so ``python -m shegong.gql.schema`` runs cleanly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .schema import build_schema, schema_sdl
    from .server import serve
    from .settings import ApiSettings

__all__ = ["ApiSettings", "build_schema", "create_app", "schema_sdl", "serve"]

_HOMES = {
    "ApiSettings": ".settings",
    "build_schema": ".schema",
    "create_app": ".app",
    "schema_sdl": ".schema",
    "serve": ".server",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)

"""Run the API with uvicorn."""

from __future__ import annotations

import uvicorn
from shegong.graph import GraphStore

from .app import create_app
from .settings import ApiSettings

__all__ = ["serve"]


def serve(
    store: str | GraphStore | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ApiSettings | None = None,
    log_level: str = "info",
) -> None:
    """Serve GraphQL (GraphiQL in a browser) at http://host:port/graphql until interrupted."""
    app = create_app(store, settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)

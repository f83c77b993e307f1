"""What every resolver sees: the store, the limits, the request and its DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shegong.graph import GraphStore
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from .dataloaders import Loaders, call_store
from .settings import ApiSettings

__all__ = ["Context", "Info"]

T = TypeVar("T")


@dataclass
class Context:
    """The per-request context; ``loaders`` is new for every request."""

    store: GraphStore
    settings: ApiSettings
    request: Request | None = None
    response: Response | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call in the threadpool."""
        return await call_store(fn, *args, **kwargs)

    def header(self, name: str) -> str | None:
        """A request header, or None outside HTTP."""
        return self.request.headers.get(name) if self.request is not None else None


Info = StrawberryInfo[Context, None]

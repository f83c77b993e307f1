"""The ASGI app: GraphQL (with GraphiQL) at ``/graphql``, ``/health``, the explorer at ``/``.

HTTP follows the GraphQL-over-HTTP spec: with ``Accept: application/json`` every
well-formed request gets 200 and its errors in the body; with ``Accept:
application/graphql-response+json`` a request error (unparsable document, failed
validation or a limit, bad variables) gets 400 and no ``data`` entry. A body that is
not UTF-8 JSON holding one object, or carries no query, and values no store can take
(NUL characters, lone surrogates, over-long strings, cursors this API never gave) get
400 with a GraphQL error body whatever the ``Accept``; nothing answers 500 with a trace.

Overload degrades gracefully: at most ``max_in_flight`` GraphQL requests are served at
once and the others get 503 with ``Retry-After``; each request runs under a deadline
(``shegong.graph.time_limit``) that stops its store work when it times out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError
from shegong.graph import GraphStore, open_store, time_limit
from shegong.schema import ShegongError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET

from .body import BadRequest, decode_json_body
from .context import Context
from .extensions import RequestTimeout, error_code
from .mutations import EDITOR_HEADER
from .schema import build_schema
from .settings import ApiSettings
from .static_pages import explorer_routes, graphiql_html

__all__ = ["GRAPHQL_RESPONSE", "GraphQLView", "create_app"]

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE = "application/graphql-response+json"
MAX_BODY_BYTES = 1_000_000
# json.dumps with options makes a new encoder on every call; these are made once.
_UTF8_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ASCII_JSON = json.JSONEncoder(separators=(",", ":"))


def _wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


class GraphQLView(GraphQL[Context, None]):
    """strawberry's ASGI view with our context, timeout, error codes and media types."""

    def __init__(self, schema: BaseSchema, store: GraphStore, settings: ApiSettings) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self.store = store
        self.settings = settings
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=_limited(receive, MAX_BODY_BYTES))
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            await _too_large(request)(scope, receive, send)
            return
        if self.in_flight >= self.settings.max_in_flight:
            response = _error_response(
                request,
                503,
                f"the server is busy ({self.in_flight} requests in flight, at most "
                f"{self.settings.max_in_flight}); retry after {self.settings.retry_after} s",
                "OVERLOADED",
                headers={"Retry-After": str(self.settings.retry_after)},
            )
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            try:
                response = await self.run(request)
            except HTTPException as e:
                # Request errors as GraphQL error bodies rather than plain text.
                response = _error_response(request, e.status_code, e.reason, "BAD_REQUEST")
            except _BodyTooLarge:
                response = _too_large(request)
            await response(scope, receive, send)
        finally:
            self.in_flight -= 1

    def encode_json(self, data: object) -> bytes:
        # Chinese as UTF-8, not \uXXXX escapes: a third of the bytes to send and parse.
        text = _UTF8_JSON.encode(data)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in stored text: escape it all
            return _ASCII_JSON.encode(data).encode("ascii")

    def decode_json(self, data: str | bytes) -> object:
        try:
            return decode_json_body(data, self.settings.max_string)
        except BadRequest as e:
            raise HTTPException(400, str(e)) from e

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_html()  # GraphiQL from /static, not a CDN

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(store=self.store, settings=self.settings, request=request, response=response)

    async def execute_single(  # type: ignore[override]
        self, request: Request, request_data: GraphQLRequestData, **kwargs: Any
    ) -> ExecutionResult:
        timeout = self.settings.request_timeout
        try:
            # The deadline reaches the store calls' threads (they copy the context), so
            # a query still running at the limit is stopped, not left to run on.
            # asyncio.timeout, unlike wait_for, runs the query in this task, not a new one.
            with time_limit(timeout):
                async with asyncio.timeout(timeout):
                    return await super().execute_single(
                        request=request, request_data=request_data, **kwargs
                    )
        except TimeoutError:
            message = f"the request took longer than the {self.settings.request_timeout:g} s limit"
            error = GraphQLError(message, original_error=RequestTimeout(message))
            return ExecutionResult(data=None, errors=[error])

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        request_error = isinstance(result, PreExecutionError) or (
            result.data is None
            and bool(result.errors)
            and all(_is_request_error(e) for e in result.errors or [])
        )
        bad_request = request_error and any(
            isinstance(e.original_error, BadRequest) for e in result.errors or []
        )
        out: GraphQLHTTPResponse = {}
        if not (request_error and (bad_request or _wants_graphql_response(request))):
            out["data"] = result.data
        if result.errors:
            out["errors"] = [_formatted(e) for e in result.errors]
        if result.extensions:
            out["extensions"] = result.extensions
        request.state.graphql_request_error = request_error
        request.state.bad_request = bad_request
        return out

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        response = await super().run(request, context, root_value)
        # strawberry always answers application/json; a client asking for the newer
        # media type gets it, and a request error then gets 400 (GraphQL over HTTP).
        json_body = response.headers.get("content-type", "").startswith("application/json")
        if json_body and isinstance(request, Request) and _wants_graphql_response(request):
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        if (
            json_body
            and isinstance(request, Request)
            and getattr(request.state, "bad_request", False)
        ):
            response.status_code = 400  # values no store can take: 400 whatever the Accept
        return response


class _BodyTooLarge(Exception):
    """The body grew past ``MAX_BODY_BYTES`` while it was read."""


def _limited(receive: Receive, limit: int) -> Receive:
    """``receive`` raising _BodyTooLarge once more than ``limit`` body bytes arrived."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _BodyTooLarge
        return message

    return wrapped


def _too_large(request: Request) -> Response:
    return _error_response(
        request, 413, f"the request body is larger than {MAX_BODY_BYTES} bytes", "BAD_REQUEST"
    )


def _error_response(
    request: Request,
    status: int,
    message: str,
    code: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A GraphQL-over-HTTP error body (no ``data``) with ``status``."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    media = GRAPHQL_RESPONSE if _wants_graphql_response(request) else "application/json"
    return JSONResponse(body, status_code=status, media_type=media, headers=headers)


def _is_request_error(error: GraphQLError) -> bool:
    """Parse, validation and variable errors: raised before any field ran."""
    return error.path is None and (
        error.original_error is None or isinstance(error.original_error, GraphQLError)
    )


def _formatted(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    extensions: Mapping[str, Any] = formatted.get("extensions") or {}
    formatted["extensions"] = {**extensions, "code": error_code(error)}
    return formatted


def create_app(
    store: str | GraphStore | None = None, settings: ApiSettings | None = None
) -> Starlette:
    """The ASGI app over ``store`` (a store, or a URI opened here and closed on shutdown)."""
    settings = settings or ApiSettings.from_settings()
    owned = store is None or isinstance(store, str)
    graph: GraphStore = open_store(store) if store is None or isinstance(store, str) else store
    view = GraphQLView(build_schema(settings), graph, settings)

    async def health(request: Request) -> Response:
        try:
            nodes = await run_in_threadpool(graph.count_nodes)
        except ShegongError as e:
            return JSONResponse({"status": "error", "store": graph.uri, "error": str(e)}, 503)
        except Exception:  # the probe must answer, whatever the store raised
            log.exception("health check failed")
            return JSONResponse({"status": "error", "store": graph.uri, "error": UNAVAILABLE}, 503)
        return JSONResponse({"status": "ok", "store": graph.uri, "nodes": nodes})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if owned:
                graph.close()

    routes = [
        *explorer_routes(),
        Route("/health", health),
        Route("/graphql", view),
    ]
    middleware = []
    if settings.cors_origins:
        # Browser clients on other origins (a dashboard, a web page) may query; only
        # the origins named, and credentials are never sent along.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", EDITOR_HEADER.lower()],
            )
        )
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.store = graph
    app.state.settings = settings
    return app


UNAVAILABLE = "the store is unavailable"

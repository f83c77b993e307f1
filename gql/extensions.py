"""Query limits and error handling.

Tokens, depth, aliases and cost are limited by ``guard.QueryGuard`` (new documents
off the event loop, known ones from its document cache). Errors are
masked unless they are ours: a ShegongError (NotFoundError, SchemaError, InputError,
PermissionDenied...) or a GraphQL syntax/validation error reaches the client with its
message; anything else becomes "Unexpected error." so no internals leak (the server
log keeps the trace). Every error gets ``extensions.code``.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from graphql import GraphQLError
from shegong.schema import (
    AmbiguousError,
    InputError,
    NotFoundError,
    PermissionDenied,
    SchemaError,
    ShegongError,
    StoreError,
    TimeLimitExceeded,
)
from strawberry.extensions import MaskErrors, SchemaExtension

from .body import BadRequest
from .documents import DocumentCache
from .guard import CACHED_BYTES, CACHED_QUERIES, VALIDATING_AT_ONCE, QueryGuard
from .perloop import PerLoop
from .settings import ApiSettings

__all__ = ["RequestTimeout", "error_code", "extensions", "should_mask"]

UNEXPECTED = "Unexpected error."

_CODES: tuple[tuple[type[ShegongError], str], ...] = (
    (BadRequest, "BAD_REQUEST"),
    (TimeLimitExceeded, "TIMEOUT"),
    (PermissionDenied, "FORBIDDEN"),
    (NotFoundError, "NOT_FOUND"),
    (AmbiguousError, "AMBIGUOUS"),
    (SchemaError, "BAD_USER_INPUT"),
    (InputError, "BAD_USER_INPUT"),
    (StoreError, "STORE_UNAVAILABLE"),
)


class _MaskErrors(MaskErrors):
    """strawberry's MaskErrors, reading a result's errors directly: its check of the
    result against a runtime-checkable protocol cost more than the masking, on every
    request."""

    def _process_result(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]


class RequestTimeout(TimeLimitExceeded):
    """A request ran longer than ``ApiSettings.request_timeout``."""


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised by anything but shegong or graphql itself."""
    original = error.original_error
    return not (original is None or isinstance(original, ShegongError | GraphQLError))


def error_code(error: GraphQLError) -> str:
    """A stable machine-readable code for a client to branch on."""
    original = error.original_error
    if isinstance(original, RequestTimeout):
        return "TIMEOUT"
    for cls, code in _CODES:
        if isinstance(original, cls):
            return code
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        if error.message.startswith("Syntax Error"):
            return "GRAPHQL_PARSE_FAILED"
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


def extensions(settings: ApiSettings) -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema extensions enforcing ``settings``' limits, masking last.

    strawberry wants a fresh extension per request; the guard's worker threads are
    shared by every request of one server (a capacity limiter per event loop), and its
    document cache by every request of the schema.
    """
    validating = PerLoop(lambda: anyio.CapacityLimiter(VALIDATING_AT_ONCE))
    documents = DocumentCache(CACHED_QUERIES, CACHED_BYTES)
    return [
        lambda: QueryGuard(settings, validating, documents),
        lambda: _MaskErrors(should_mask_error=should_mask, error_message=UNEXPECTED),
    ]

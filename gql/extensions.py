"""Query limits and error handling.

Depth, aliases and tokens are limited by strawberry's own extensions. Errors are
masked unless they are ours: a ShegongError (NotFoundError, SchemaError, InputError,
PermissionDenied...) or a GraphQL syntax/validation error reaches the client with its
message; anything else becomes "Unexpected error." so no internals leak (the server
log keeps the trace). Every error gets ``extensions.code``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from graphql import GraphQLError
from shegong.schema import (
    AmbiguousError,
    InputError,
    NotFoundError,
    PermissionDenied,
    SchemaError,
    ShegongError,
    StoreError,
)
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from .settings import ApiSettings

__all__ = ["RequestTimeout", "error_code", "extensions", "should_mask"]

UNEXPECTED = "Unexpected error."

#: How many distinct query texts the parser and validation caches keep.
CACHED_QUERIES = 256

_CODES: tuple[tuple[type[ShegongError], str], ...] = (
    (PermissionDenied, "FORBIDDEN"),
    (NotFoundError, "NOT_FOUND"),
    (AmbiguousError, "AMBIGUOUS"),
    (SchemaError, "BAD_USER_INPUT"),
    (InputError, "BAD_USER_INPUT"),
    (StoreError, "STORE_UNAVAILABLE"),
)


class RequestTimeout(ShegongError):
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

    strawberry wants a fresh extension per request. The limiters build their validation
    rule classes in ``__init__``; a new class per request would make every request miss
    the validation cache, so each request gets a shallow copy of one configured limiter
    (same rule classes, its own execution context). Parsing and validation are cached
    by query text (bounded LRU), which repeated client queries hit.
    """
    depth = QueryDepthLimiter(max_depth=settings.max_depth)
    aliases = MaxAliasesLimiter(max_alias_count=settings.max_aliases)
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=CACHED_QUERIES),
        lambda: copy.copy(depth),
        lambda: copy.copy(aliases),
        lambda: ValidationCache(maxsize=CACHED_QUERIES),
        lambda: MaskErrors(should_mask_error=should_mask, error_message=UNEXPECTED),
    ]

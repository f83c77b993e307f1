"""The query guard: parse, validate and measure a document off the event loop.

One schema extension replaces strawberry's parser cache, validation cache and depth
and alias limiters. Parsing (bounded by the token limit) and validation (graphql-core's
rules, then ``cost.measure``: depth, aliases and cost, linear in the document) run in a
worker thread under a small capacity limiter, so a heavy document never stops the event
loop from answering other requests (``/health`` included). Parsed documents and
graphql-core's verdicts are cached by query text (bounded LRU); the measure depends on
the variables and is taken for every request (it is cheap).

Before anything runs, string values written in the document and ``after`` cursors
(written or passed as variables) are checked: a NUL character, a lone surrogate, an
over-long string or a cursor this API never handed out is a ``BadRequest`` (400).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import lru_cache
from typing import Any

import anyio
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    StringValueNode,
    VariableNode,
    Visitor,
    parse,
    visit,
)
from shegong.schema import InputError
from strawberry.extensions import SchemaExtension

from .body import BadRequest, check_text
from .cost import measure, operation_of
from .pagination import decode_cursor
from .settings import ApiSettings

__all__ = ["CACHED_QUERIES", "QueryGuard"]

#: How many distinct query texts the parse and validation caches keep.
CACHED_QUERIES = 256
#: Documents parsed and validated at once (each holds a worker thread).
VALIDATING_AT_ONCE = 4


@lru_cache(maxsize=CACHED_QUERIES)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHED_QUERIES)
def _validate(schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]) -> list[Any]:
    from strawberry.schema.schema import validate_document

    return list(validate_document(schema, document, rules))


class _Values(Visitor):
    """Collects the document's string values and its ``after`` arguments."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: list[StringValueNode] = []
        self.cursors: list[ArgumentNode] = []

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.strings.append(node)

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value == "after":
            self.cursors.append(node)


def check_values(document: DocumentNode, variables: dict[str, Any], max_string: int) -> None:
    """BadRequest for bad strings written in ``document`` or bad ``after`` cursors."""
    found = _Values()
    visit(document, found)
    for node in found.strings:
        line = f" (line {node.loc.source.get_location(node.loc.start).line})" if node.loc else ""
        check_text(node.value, max_string, f"a string in the query{line}")
    for arg in found.cursors:
        value: Any = arg.value
        if isinstance(value, VariableNode):
            value = variables.get(value.name.value)
        elif isinstance(value, StringValueNode):
            value = value.value
        if isinstance(value, str):
            try:
                decode_cursor(value)
            except InputError as e:  # said before anything runs, as a request error
                raise BadRequest(str(e)) from e


class QueryGuard(SchemaExtension):
    """Parses, validates and measures each document in a worker thread."""

    def __init__(self, settings: ApiSettings, limiter: Callable[[], anyio.CapacityLimiter]):
        super().__init__()
        self.settings = settings
        self.limiter = limiter

    async def on_parse(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            ctx.graphql_document = await anyio.to_thread.run_sync(
                _parse, ctx.query, self.settings.max_tokens, limiter=self.limiter()
            )
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        ctx.pre_execution_errors = await anyio.to_thread.run_sync(
            self._check, limiter=self.limiter()
        )
        yield

    def _check(self) -> list[GraphQLError]:
        ctx = self.execution_context
        document = ctx.graphql_document
        assert document is not None
        errors = _validate(ctx.schema._schema, document, tuple(ctx.validation_rules))
        if errors:
            return errors
        settings = self.settings
        variables = ctx.variables or {}
        try:
            check_values(document, variables, settings.max_string)
        except BadRequest as e:
            return [GraphQLError(str(e), original_error=e)]
        operation = operation_of(document, ctx.operation_name)
        if operation is None:
            return []  # strawberry reports a missing or ambiguous operation
        name = operation.name.value if operation.name else "anonymous"
        try:
            size = measure(
                ctx.schema._schema, document, operation, variables, settings.default_page_size
            )
        except GraphQLError as e:
            return [e]
        if size.depth > settings.max_depth:
            return [
                GraphQLError(
                    f"'{name}' exceeds maximum operation depth of {settings.max_depth}", operation
                )
            ]
        if size.aliases > settings.max_aliases:
            return [GraphQLError(f"{size.aliases} aliases found. Allowed: {settings.max_aliases}")]
        if size.cost > settings.max_cost:
            return [
                GraphQLError(
                    f"'{name}' would cost {size.cost} (about one unit per field and list "
                    f"item), above the budget of {settings.max_cost}: ask for fewer items "
                    "(first, limit, top, hops) or fewer nested lists",
                    operation,
                )
            ]
        return []

"""The query guard: parse, validate and measure a document, heavy work off the event loop.

One schema extension replaces strawberry's parser cache, validation cache and depth
and alias limiters. A query text seen for the first time is parsed (bounded by the
token limit) and validated (graphql-core's rules) in a worker thread under a small
capacity limiter, so a heavy document never stops the event loop from answering other
requests (``/health`` included); the result is kept in a ``DocumentCache`` by query
text. A text already held costs no thread: what depends on the variables -- the
``after`` cursors they pass and ``cost.measure`` (depth, aliases and cost, linear in
the document; kept with the document by the values of the variables it reads) -- is
checked on the event loop, which is cheaper than the hop to a thread and back.

Before anything runs, string values written in the document and ``after`` cursors
(written or passed as variables) are checked: a NUL character, a lone surrogate, an
over-long string or a cursor this API never handed out is a ``BadRequest`` (400).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    StringValueNode,
    VariableNode,
    Visitor,
    parse,
    visit,
)
from shegong.schema import InputError
from strawberry.extensions import SchemaExtension

from .body import BadRequest, check_text
from .cost import operation_of
from .documents import CheckedDocument, DocumentCache, document_size
from .pagination import decode_cursor
from .settings import ApiSettings

__all__ = ["CACHED_BYTES", "CACHED_QUERIES", "VALIDATING_AT_ONCE", "QueryGuard"]

#: How many distinct query texts the document cache keeps.
CACHED_QUERIES = 256
#: The bytes the document cache may count (a 2,000-token document counts 0.8 MB).
CACHED_BYTES = 16 * 1024 * 1024
#: Documents parsed and validated at once (each holds a worker thread).
VALIDATING_AT_ONCE = 4


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


def check_document(
    query: str, document: DocumentNode, errors: list[GraphQLError], max_string: int
) -> CheckedDocument:
    """What is known of a validated ``document`` whatever the variables."""
    found = _Values()
    visit(document, found)
    bad: BadRequest | None = None
    for node in found.strings:
        line = f" (line {node.loc.source.get_location(node.loc.start).line})" if node.loc else ""
        try:
            check_text(node.value, max_string, f"a string in the query{line}")
        except BadRequest as e:
            bad = e
            break
    return CheckedDocument(
        document, tuple(errors), bad, tuple(found.cursors), document_size(query, document)
    )


def check_cursors(cursors: tuple[ArgumentNode, ...], variables: dict[str, Any]) -> None:
    """BadRequest for an ``after`` cursor (written, or a variable's value) this API did
    not hand out."""
    for arg in cursors:
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
    """Parses and validates each new document in a worker thread; measures each request."""

    def __init__(
        self,
        settings: ApiSettings,
        limiter: Callable[[], anyio.CapacityLimiter],
        documents: DocumentCache,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.limiter = limiter
        self.documents = documents
        self.checked: CheckedDocument | None = None

    async def on_parse(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            self.checked = self.documents.get(ctx.query)
            if self.checked is not None:
                ctx.graphql_document = self.checked.document
            else:
                ctx.graphql_document = await anyio.to_thread.run_sync(
                    self._parse, ctx.query, limiter=self.limiter()
                )
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if self.checked is not None and self.checked.document is ctx.graphql_document:
            ctx.pre_execution_errors = self._verdict(self.checked)
        else:
            ctx.pre_execution_errors = await anyio.to_thread.run_sync(
                self._learn, limiter=self.limiter()
            )
        yield

    def _parse(self, query: str) -> DocumentNode:
        return parse(query, max_tokens=self.settings.max_tokens)

    def _learn(self) -> list[GraphQLError]:
        """Validate a document not seen before, keep what was found, then measure."""
        from strawberry.schema.schema import validate_document

        ctx = self.execution_context
        document = ctx.graphql_document
        assert document is not None
        errors = list(validate_document(ctx.schema._schema, document, tuple(ctx.validation_rules)))
        checked = check_document(ctx.query or "", document, errors, self.settings.max_string)
        if ctx.query:
            self.documents.put(ctx.query, checked)
        return self._verdict(checked)

    def _verdict(self, checked: CheckedDocument) -> list[GraphQLError]:
        """The errors of this request: the document's, then its variables' and size's."""
        if checked.errors:
            return list(checked.errors)
        if checked.bad_string is not None:
            return [GraphQLError(str(checked.bad_string), original_error=checked.bad_string)]
        ctx = self.execution_context
        settings = self.settings
        document = checked.document
        variables = ctx.variables or {}
        try:
            check_cursors(checked.cursors, variables)
        except BadRequest as e:
            return [GraphQLError(str(e), original_error=e)]
        operation = operation_of(document, ctx.operation_name)
        if operation is None:
            return []  # strawberry reports a missing or ambiguous operation
        name = operation.name.value if operation.name else "anonymous"
        try:
            size = checked.measures.measure(
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

"""The strawberry Schema; ``python -m shegong.gql.schema > schema.graphql`` prints it."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from .direct_resolvers import shorten_resolvers
from .executor import plain_field_executor
from .extensions import extensions, should_mask
from .mutations import Mutation
from .queries import Query
from .review import ReviewMutations, ReviewQueries
from .settings import ApiSettings
from .types_nodes import Article, Event, Organisation, Person, Place, Policy

__all__ = ["ShegongSchema", "build_schema", "schema_sdl"]

log = logging.getLogger(__name__)


class ShegongSchema(strawberry.Schema):
    """strawberry's Schema with the execution shortcuts of ``executor`` (plain leaf fields
    without the resolver chain, resolvers called directly where strawberry's wrapper
    has nothing to do), logging a trace only for unexpected errors: a bad query or an
    unknown id is the client's business and gets one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.schema_converter.exception_handlers:
            shorten_resolvers(self._schema, self.config)
        self.execution_context_class = plain_field_executor(self._schema)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if should_mask(error):
                StrawberryLogger.error(error, execution_context)
            else:
                log.info("graphql error: %s", error.message)


def build_schema(settings: ApiSettings | None = None) -> ShegongSchema:
    """The schema with the limits of ``settings`` (defaults if None)."""
    settings = settings or ApiSettings()
    return ShegongSchema(
        query=merge_types("Query", (Query, ReviewQueries)),
        mutation=merge_types("Mutation", (Mutation, ReviewMutations)),
        types=[Organisation, Person, Place, Policy, Event, Article],
        extensions=extensions(settings),
    )


def schema_sdl() -> str:
    """The schema in SDL, as committed in schema.graphql."""
    return build_schema().as_str() + "\n"


if __name__ == "__main__":
    print(schema_sdl(), end="")

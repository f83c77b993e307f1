"""graphql-core's executor with a short path for plain fields.

Most fields of an answer are plain attributes of the objects the resolvers built
(``Relation.type``, ``Evidence.sentence``, ``Article.title``, but also
``Connection.edges``, ``Edge.node``, ``Relation.source``, ``Evidence.article``).
For each of them strawberry calls its basic-field wrapper and graphql-core builds a
resolve-info object, looks for awaitables twice and completes the value through its
non-null, list, abstract-type and object steps: several times the cost of reading
the attribute, for every field of every item of every list.

``PlainFieldExecutor`` runs graphql-core's ``execute_fields`` loop with the plain
fields (no resolver, no arguments, no field extensions) answered on the spot: a leaf
(a scalar or an enum) by reading the attribute and coercing it with the type's own
``coerce_output_value``; an object, an interface or a list of them by completing the
value as graphql-core's ``complete_value`` does, minus the resolve info nothing on
that path reads (an interface's ``resolve_type`` marked ``info_free``, strawberry's
own ``is_type_of``), with the sub-selections collected and executed by graphql-core.
A value that is null where the type forbids it, an exception, an awaitable (a
``Later``), of the wrong type, or anything a ``@stream`` or a schema middleware
could change takes graphql-core's own path, which then makes the answer or the error
it always made; fields are executed in the query's order, so errors come in the same
order too. ``tests/gql/test_executor.py`` runs queries of every kind beside plain
strawberry and wants the same answers and errors. When the response is built, the
executor drops the resolve-info helpers holding its bound methods: that reference
cycle kept every request's objects for the garbage collector.

Which fields are plain is worked out once per schema (``plain_fields``);
``direct_resolvers`` calls the other fields' resolvers without strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graphql import (
    ExecutionResult,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .plain_fields import INFO_FREE, PlainFields, plain_fields, plain_type_checks

__all__ = ["PlainFieldExecutor", "plain_field_executor"]

_MISSING = object()
#: The resolve info given to an ``is_type_of`` or ``resolve_type`` that never reads it.
_NO_INFO: Any = None


def _finished(values: Any) -> Any:
    raise RuntimeError("this execution has finished: no work can be tracked for it any more")


#: The resolve-info helpers of an executor whose response is built.
_NO_HELPERS = GraphQLResolveInfoHelpers(
    gather=lambda values: gather_with_cancel(*values), track=_finished
)


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor answering plain fields without the resolver chain (see
    the module docstring); ``plain_field_executor`` makes one for a schema."""

    plain: PlainFields = {}
    plain_type_checks: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # a middleware wraps every resolver: then every field takes the usual path
        self._short = self.plain if manager is None or not manager.middlewares else {}
        # @stream decides per list how to complete it: lists then take the usual path
        self._streams = self.schema.get_directive("stream") is not None

    def build_response(self, data: dict[str, Any] | None) -> Any:
        response = super().build_response(data)
        if isinstance(response, ExecutionResult):
            # The helpers handed to resolvers hold bound methods of this executor, a
            # reference cycle keeping the whole request (context, loaders, results)
            # alive until the garbage collector finds it. No field is resolved after
            # the response is built (an incremental one aside), so drop the link.
            self.async_helpers = _NO_HELPERS
        return response

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        fields = self._short.get(parent_type.name)
        if fields is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        # graphql-core's execute_fields, with the plain fields answered on the spot
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                plain = fields.get(field_details_list[0].node.name.value)
                if plain is not None:
                    value = getattr(source_value, plain.attribute, _MISSING)
                    if plain.coerce is not None:
                        if type(value) is plain.unchanged:
                            results[response_name] = value
                            continue
                        answer = _leaf(value, plain.coerce)
                        if answer is not None:
                            results[response_name] = answer
                            continue
                    elif self._fits(plain.output_type, value):
                        results[response_name] = answer = self._complete_field(
                            plain.output_type,
                            field_details_list,
                            Path(path, response_name, parent_type.name),
                            value,
                            position_context,
                        )
                        if is_awaitable(answer):
                            awaitable_fields.append(response_name)
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # settle what other fields started: they may fail too
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _awaited(results, awaitable_fields)

    def _fits(self, return_type: GraphQLOutputType, value: Any) -> bool:
        """Whether ``_complete`` completes ``value`` as graphql-core's ``complete_value``
        would: no awaitable, exception or null in a non-null place, no stream, no
        ``is_type_of`` or ``resolve_type`` that wants the resolve info."""
        if isinstance(return_type, GraphQLNonNull):
            if value is None:
                return False
            return_type = return_type.of_type
        if value is None:
            return True
        if value is _MISSING or value is Undefined or isinstance(value, Exception):
            return False
        if self.is_awaitable(value):
            return False
        if isinstance(return_type, GraphQLList):
            if self._streams or not isinstance(value, list | tuple):
                return False
            item_type = return_type.of_type
            return all(self._fits(item_type, item) for item in value)
        if isinstance(return_type, GraphQLObjectType):
            return return_type.is_type_of is None or return_type.name in self.plain_type_checks
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            return self._runtime_type(return_type, value) is not None
        return isinstance(return_type, GraphQLScalarType | GraphQLEnumType)

    def _runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType | None:
        """The object type ``value`` completes as, when the abstract type's
        ``resolve_type`` needs no resolve info and names a possible type."""
        resolve_type = abstract.resolve_type
        if resolve_type is None or not getattr(resolve_type, INFO_FREE, False):
            return None
        try:
            name = resolve_type(value, _NO_INFO, abstract)
        except Exception:  # the usual path raises it again, with the field's path
            return None
        runtime = self.schema.get_type(name) if isinstance(name, str) else None
        if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(
            abstract, runtime
        ):
            return None
        if runtime.is_type_of is not None and runtime.name not in self.plain_type_checks:
            return None
        return runtime

    def _complete_field(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> Any:
        """``_complete`` with the field's errors handled as ``execute_field`` does."""
        try:
            completed = self._complete(
                return_type, field_details_list, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, field_details_list, path)
                return None

        return await_completed()

    def _complete(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``complete_value`` for a value ``_fits`` accepted, without
        the resolve info (nothing on this path reads it)."""
        if isinstance(return_type, GraphQLNonNull):
            return_type = return_type.of_type
        if value is None:
            return None
        if isinstance(return_type, GraphQLList):
            return self._complete_list(
                return_type.of_type, field_details_list, path, value, position_context
            )
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            return self.complete_leaf_value(return_type, value)
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            runtime = self._runtime_type(return_type, value)
            assert runtime is not None  # _fits saw it
            return_type = runtime
        assert isinstance(return_type, GraphQLObjectType)
        if return_type.is_type_of is not None and not return_type.is_type_of(value, _NO_INFO):
            raise invalid_return_type_error(return_type, value, field_details_list)
        return self.collect_and_execute_subfields(
            return_type, field_details_list, path, value, position_context
        )

    def _complete_list(
        self,
        item_type: GraphQLOutputType,
        field_details_list: Any,
        path: Path,
        items: list[Any] | tuple[Any, ...],
        position_context: Any,
    ) -> Any:
        """graphql-core's ``complete_iterable_value`` for items ``_fits`` accepted."""
        is_awaitable = self.is_awaitable
        completed_results: list[Any] = []
        awaitable_indices: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                completed_results.append(
                    self._complete_field(
                        item_type, field_details_list, item_path, item, position_context
                    )
                )
                if is_awaitable(completed_results[-1]):
                    awaitable_indices.append(index)
        except Exception:
            pending = [completed_results[i] for i in awaitable_indices]
            if pending:
                self.settle_in_background(pending)
            raise
        if not awaitable_indices:
            return completed_results
        return _awaited(completed_results, awaitable_indices)


Results = TypeVar("Results", dict[str, Any], list[Any])


async def _awaited(results: Results, pending: list[Any]) -> Results:
    """``results`` with the awaitables at keys (or indices) ``pending`` replaced by
    their values, awaited together as graphql-core does for fields and list items."""
    if len(pending) == 1:
        results[pending[0]] = await results[pending[0]]
    else:
        awaited = await gather_with_cancel(*(results[key] for key in pending))
        for key, value in zip(pending, awaited, strict=True):
            results[key] = value
    return results


def _leaf(value: Any, coerce: Callable[[Any], Any]) -> Any:
    """The coerced value of a plain leaf field, or None to take the usual path (null,
    missing, an exception as value, a value the type does not coerce: graphql-core
    then makes the answer or the error it always made)."""
    if value is None or value is _MISSING or isinstance(value, Exception):
        return None
    try:
        coerced = coerce(value)
    except Exception:  # the usual path raises it again, with the field's path
        return None
    return None if coerced is Undefined else coerced


def plain_field_executor(schema: GraphQLSchema) -> type[PlainFieldExecutor]:
    """A ``PlainFieldExecutor`` class knowing the plain fields of ``schema``."""
    attributes = {"plain": plain_fields(schema), "plain_type_checks": plain_type_checks(schema)}
    return type("PlainFieldExecutor", (PlainFieldExecutor,), attributes)

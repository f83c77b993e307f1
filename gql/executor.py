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

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

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

from .plain_fields import (
    BY_CLASS,
    INFO_FREE,
    PlainField,
    PlainFields,
    plain_fields,
    plain_type_checks,
)

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
    #: ``_Shape`` by output type (by id: the schema's types live as long as it does).
    shapes: dict[int, _Shape] = {}
    #: By abstract type name and class of value, for a ``resolve_type`` marked ``by_class``.
    runtime_types: dict[tuple[str, type], GraphQLObjectType | None] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # a middleware wraps every resolver: then every field takes the usual path
        self._short = self.plain if manager is None or not manager.middlewares else {}
        # @stream decides per list how to complete it: lists then take the usual path
        self._streams = self.schema.get_directive("stream") is not None
        # per grouped field set of this request: its fields with their plain answers
        self._plans: dict[tuple[str, int], _Plan] = {}

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
            for response_name, field_details_list, plain in self._plan(
                parent_type.name, fields, grouped_field_set
            ):
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

    def _plan(
        self, type_name: str, fields: Mapping[str, PlainField], grouped_field_set: dict[str, Any]
    ) -> list[tuple[str, Any, PlainField | None]]:
        """The fields of ``grouped_field_set`` with their plain answers (None: the usual
        path), worked out once per request: graphql-core collects a selection's fields
        once for every item of a list, and this walks them again for each item."""
        key = (type_name, id(grouped_field_set))
        found = self._plans.get(key)
        if found is None or found.fields is not grouped_field_set:
            steps = [
                (name, details, fields.get(details[0].node.name.value))
                for name, details in grouped_field_set.items()
            ]
            found = self._plans[key] = _Plan(grouped_field_set, steps)
        return found.steps

    def _shape(self, return_type: GraphQLOutputType) -> _Shape:
        found = self.shapes.get(id(return_type))
        if found is None or found.type is not return_type:
            found = self.shapes[id(return_type)] = _shape(return_type, self.plain_type_checks)
        return found

    def _fits(self, return_type: GraphQLOutputType, value: Any) -> bool:
        """Whether ``_complete`` completes ``value`` as graphql-core's ``complete_value``
        would: no awaitable, exception or null in a non-null place, no stream, no
        ``is_type_of`` or ``resolve_type`` that wants the resolve info."""
        shape = self._shape(return_type)
        if value is None:
            return not shape.non_null
        if value is _MISSING or value is Undefined or isinstance(value, Exception):
            return False
        if self.is_awaitable(value):
            return False
        kind = shape.kind
        if kind is _LIST:
            if self._streams or not isinstance(value, list | tuple):
                return False
            item_type = shape.named
            return all(self._fits(item_type, item) for item in value)
        if kind is _OBJECT:
            return shape.plain_check
        if kind is _ABSTRACT:
            return self._runtime_type(shape.named, value) is not None
        return kind is _LEAF

    def _runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType | None:
        """The object type ``value`` completes as, when the abstract type's
        ``resolve_type`` needs no resolve info and names a possible type (remembered
        per class of values when ``resolve_type`` reads only the class)."""
        resolve_type = abstract.resolve_type
        if resolve_type is None or not getattr(resolve_type, INFO_FREE, False):
            return None
        if not getattr(resolve_type, BY_CLASS, False):
            return self._find_runtime_type(abstract, resolve_type, value)
        key = (abstract.name, type(value))
        try:
            return self.runtime_types[key]
        except KeyError:
            found = self.runtime_types[key] = self._find_runtime_type(abstract, resolve_type, value)
            return found

    def _find_runtime_type(
        self, abstract: GraphQLAbstractType, resolve_type: Any, value: Any
    ) -> GraphQLObjectType | None:
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
        if value is None:
            return None
        shape = self._shape(return_type)
        kind, named = shape.kind, shape.named
        if kind is _LIST:
            return self._complete_list(named, field_details_list, path, value, position_context)
        if kind is _LEAF:
            return self.complete_leaf_value(named, value)
        if kind is _ABSTRACT:
            runtime = self._runtime_type(named, value)
            assert runtime is not None  # _fits saw it
            named = runtime
        assert isinstance(named, GraphQLObjectType)
        if named.is_type_of is not None and not named.is_type_of(value, _NO_INFO):
            raise invalid_return_type_error(named, value, field_details_list)
        grouped_field_set, defer_usages, _ = self.collect_subfields(named, field_details_list)
        if not defer_usages and position_context is None:
            # what execute_collected_subfields does then, one call shorter
            return self.execute_fields(named, value, path, grouped_field_set, None)
        return self.execute_collected_subfields(
            named, value, path, grouped_field_set, defer_usages, position_context
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

_LEAF, _LIST, _OBJECT, _ABSTRACT, _OTHER = "leaf", "list", "object", "abstract", "other"


class _Shape(NamedTuple):
    """What ``_fits`` and ``_complete`` ask of an output type, worked out once: whether
    it is non-null, its kind, the type below the non-null (a list's item type), and
    for an object whether its ``is_type_of`` is absent or strawberry's."""

    type: GraphQLOutputType
    non_null: bool
    kind: str
    named: Any
    plain_check: bool = False


def _shape(return_type: GraphQLOutputType, plain_type_checks: frozenset[str]) -> _Shape:
    inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    non_null = inner is not return_type
    if isinstance(inner, GraphQLList):
        return _Shape(return_type, non_null, _LIST, inner.of_type)
    if isinstance(inner, GraphQLObjectType):
        check = inner.is_type_of is None or inner.name in plain_type_checks
        return _Shape(return_type, non_null, _OBJECT, inner, check)
    if isinstance(inner, GraphQLInterfaceType | GraphQLUnionType):
        return _Shape(return_type, non_null, _ABSTRACT, inner)
    if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
        return _Shape(return_type, non_null, _LEAF, inner)
    return _Shape(return_type, non_null, _OTHER, inner)


class _Plan(NamedTuple):
    """A grouped field set (kept, so its id stays its own) and its fields' answers."""

    fields: dict[str, Any]
    steps: list[tuple[str, Any, PlainField | None]]


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
    attributes = {
        "plain": plain_fields(schema),
        "plain_type_checks": plain_type_checks(schema),
        "shapes": {},
        "runtime_types": {},
    }
    return type("PlainFieldExecutor", (PlainFieldExecutor,), attributes)

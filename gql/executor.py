"""Execution shortcuts: graphql-core's executor with a short path for plain leaf fields,
and resolvers called without strawberry's per-call wrapper where it has nothing to do.

Most fields of an answer are plain attributes of the objects the resolvers built
(``Relation.type``, ``Evidence.sentence``, ``Article.title``...). For each of them
strawberry calls its basic-field wrapper, ``StrawberryField.get_result`` and
``getattr``, and graphql-core builds a resolve-info object, looks for awaitables twice
and completes the value through its non-null and leaf steps: several times the cost
of reading the attribute, for every field of every item of every list.

``PlainFieldExecutor`` answers the plain fields of a scalar or enum type (non-null or
not) of an object itself, by reading the attribute and coercing it with the type's
own ``coerce_output_value``, and hands the object's other fields to graphql-core's
``execute_fields``; the answers are put back in the order the query asks for them.
Everything else goes the usual way: fields with resolvers, arguments or field
extensions, objects and lists, a value that is null or an exception, a value the type
does not coerce (graphql-core then raises the error it always raised), and every
field when a schema middleware is installed. Answers and errors are therefore those
of graphql-core's own executor.

``shorten_resolvers`` replaces, in the built graphql-core schema, the resolve function
strawberry made for a field by a direct call when strawberry's wrapper would only
pass values through: a plain field becomes ``getattr(source, name)`` (strawberry:
three calls to the same effect), and a resolver without field extensions whose
arguments are all scalars, enums or lists of them (which strawberry hands over as
given, lists copied) is called with its Python argument names, ``self`` and ``info``
as strawberry passes them (strawberry: ``Info`` made, every argument converted, the
extension chain folded, an extra coroutine for async resolvers, on every call).
Resolvers with input-object, ``Maybe`` or global-id arguments, field extensions or
permission classes keep strawberry's wrapper, as do all fields of a schema with
exception handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

from graphql import (
    ExecutionResult,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    is_leaf_type,
)
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryMaybe
from strawberry.types.field import StrawberryField

__all__ = [
    "INFO_FREE",
    "PlainField",
    "PlainFieldExecutor",
    "info_free",
    "plain_field_executor",
    "plain_fields",
    "shorten_resolvers",
]

#: Set (true) on a ``resolve_type`` that never reads its ``info`` argument.
INFO_FREE = "_shegong_info_free"
_MISSING = object()
#: The resolve info given to an ``is_type_of`` or ``resolve_type`` that never reads it.
_NO_INFO: Any = None


def _finished(values: Any) -> Any:
    raise RuntimeError("this execution has finished: no work can be tracked for it any more")


#: The resolve-info helpers of an executor whose response is built.
_NO_HELPERS = GraphQLResolveInfoHelpers(
    gather=lambda values: gather_with_cancel(*values), track=_finished
)
F = TypeVar("F", bound=Callable[..., Any])


def info_free(fn: F) -> F:
    """Mark a ``resolve_type`` as reading only the value, so the executor may call it
    without building the resolve info."""
    setattr(fn, INFO_FREE, True)
    return fn


class PlainField(NamedTuple):
    """A field strawberry resolves by reading ``attribute``: a leaf with its
    ``coerce``ion, or (``coerce`` None) a value completed as ``type``."""

    attribute: str
    coerce: Callable[[Any], Any] | None
    type: GraphQLOutputType


#: Per object type name: per field name, how to answer it.
PlainFields = Mapping[str, Mapping[str, PlainField]]


def _definition(field: GraphQLField) -> StrawberryField | None:
    found = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return found if isinstance(found, StrawberryField) else None


def _object_types(schema: GraphQLSchema) -> list[GraphQLObjectType]:
    return [
        t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    ]


def plain_fields(schema: GraphQLSchema) -> PlainFields:
    """The fields of ``schema`` that strawberry resolves by reading an attribute (no
    resolver, no arguments, no field extensions), by object type: leaves (a scalar or
    an enum, null or not) with their coercion, and objects, interfaces and lists."""
    table: dict[str, dict[str, PlainField]] = {}
    for gql_type in _object_types(schema):
        fields: dict[str, PlainField] = {}
        for field_name, field in gql_type.fields.items():
            definition = _definition(field)
            if definition is None or field.args or not _is_plain(definition):
                continue
            if not definition.python_name:
                continue
            leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            coerce = _coercion(leaf) if isinstance(leaf, GraphQLLeafType) else None
            fields[field_name] = PlainField(definition.python_name, coerce, field.type)
        if fields:
            table[gql_type.name] = fields
    return table


def _plain_type_checks(schema: GraphQLSchema) -> frozenset[str]:
    """The object types whose ``is_type_of`` is the one strawberry makes (an
    ``isinstance`` test of the value that never reads the resolve info)."""
    return frozenset(
        t.name
        for t in _object_types(schema)
        if t.is_type_of is not None
        and getattr(t.is_type_of, "__qualname__", "").endswith(
            "_get_is_type_of.<locals>.is_type_of"
        )
        and getattr(t.is_type_of, "__module__", "") == GraphQLCoreConverter.__module__
    )


def _coercion(leaf: GraphQLLeafType) -> Callable[[Any], Any]:
    """``leaf.coerce_output_value``; for an enum, remembered per member (strawberry's
    enum type compares the member with each of its values in turn)."""
    coerce = leaf.coerce_output_value
    members = getattr(leaf, "wrapped_cls", None)
    if not isinstance(leaf, GraphQLEnumType) or not isinstance(members, type):
        return coerce
    known: dict[Any, Any] = {}

    def coerce_member(value: Any) -> Any:
        found = known.get(value) if isinstance(value, members) else None
        if found is None:
            found = coerce(value)
            if isinstance(value, members):
                known[value] = found
        return found

    return coerce_member


def _is_plain(definition: StrawberryField) -> bool:
    """Resolved by strawberry's default resolver, ``getattr``, and nothing else."""
    return definition.is_basic_field and definition.default_resolver is getattr


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
                        answer = _leaf(value, plain.coerce)
                        if answer is not None:
                            results[response_name] = answer
                            continue
                    elif self._fits(plain.type, value):
                        results[response_name] = answer = self._complete_field(
                            plain.type,
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

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

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

        async def get_completed_results() -> list[Any]:
            if len(awaitable_indices) == 1:
                index = awaitable_indices[0]
                completed_results[index] = await completed_results[index]
            else:
                awaited = await gather_with_cancel(
                    *(completed_results[i] for i in awaitable_indices)
                )
                for index, sub_result in zip(awaitable_indices, awaited, strict=True):
                    completed_results[index] = sub_result
            return completed_results

        return get_completed_results()


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
    attributes = {"plain": plain_fields(schema), "plain_type_checks": _plain_type_checks(schema)}
    return type("PlainFieldExecutor", (PlainFieldExecutor,), attributes)


def shorten_resolvers(schema: GraphQLSchema, config: StrawberryConfig) -> int:
    """Give the fields of ``schema`` (built by strawberry with ``config``, no exception
    handlers) whose strawberry wrapper only passes values through a direct resolve
    function (see the module docstring). Returns how many fields were changed."""
    changed = 0
    for gql_type in _object_types(schema):
        for field in gql_type.fields.values():
            definition = _definition(field)
            if definition is None or field.subscribe is not None:
                continue
            direct: Callable[..., Any] | None
            if _is_plain(definition) and not field.args:
                direct = _attribute(definition.python_name)
            else:
                direct = _direct_call(definition, field, config)
            if direct is not None:
                field.resolve = direct
                changed += 1
    return changed


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: Any) -> Any:
        return getattr(source, name)

    return resolve


def _direct_call(
    definition: StrawberryField, field: GraphQLField, config: StrawberryConfig
) -> Callable[..., Any] | None:
    """A resolve function calling the field's resolver as strawberry would, or None
    when strawberry's wrapper has work to do for it."""
    resolver = definition.base_resolver
    if resolver is None or definition.extensions or not callable(resolver.wrapped_func):
        return None
    names: dict[str, str] = {}
    lists: set[str] = set()
    for argument in definition.arguments:
        name = config.name_converter.from_argument(argument)
        spec = field.args.get(name)
        if spec is None or isinstance(argument.type, StrawberryMaybe):
            return None
        kind = spec.type.of_type if isinstance(spec.type, GraphQLNonNull) else spec.type
        if isinstance(kind, GraphQLList):
            lists.add(name)
            kind = (
                kind.of_type.of_type if isinstance(kind.of_type, GraphQLNonNull) else kind.of_type
            )
        if not is_leaf_type(kind) or getattr(kind, "name", "") == "GlobalID":
            return None
        names[name] = argument.python_name
    func = resolver.wrapped_func
    with_self = resolver.self_parameter is not None
    sources = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    info_class = config.info_class

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        given = {
            names[k]: list(v) if k in lists and v is not None else v for k, v in kwargs.items()
        }
        for name in sources:
            given[name] = source
        if info_name is not None:
            given[info_name] = info_class(_raw_info=info, _field=definition)
        return func(source, **given) if with_self else func(**given)

    return resolve

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

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryMaybe
from strawberry.types.field import StrawberryField

__all__ = ["PlainFieldExecutor", "plain_field_executor", "plain_leaves", "shorten_resolvers"]

#: Per object type name: per field name, the attribute holding it and its coercion.
PlainLeaves = Mapping[str, Mapping[str, tuple[str, Callable[[Any], Any]]]]


def _definition(field: GraphQLField) -> StrawberryField | None:
    found = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return found if isinstance(found, StrawberryField) else None


def _object_types(schema: GraphQLSchema) -> list[GraphQLObjectType]:
    return [
        t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    ]


def plain_leaves(schema: GraphQLSchema) -> PlainLeaves:
    """The fields of ``schema`` that strawberry resolves by reading an attribute
    (no resolver, no arguments, no field extensions) and whose type is a scalar or an
    enum, by object type."""
    table: dict[str, dict[str, tuple[str, Callable[[Any], Any]]]] = {}
    for gql_type in _object_types(schema):
        fields: dict[str, tuple[str, Callable[[Any], Any]]] = {}
        for field_name, field in gql_type.fields.items():
            definition = _definition(field)
            if definition is None or field.args or not _is_plain(definition):
                continue
            leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if is_leaf_type(leaf) and definition.python_name:
                assert isinstance(leaf, GraphQLLeafType)
                fields[field_name] = (definition.python_name, _coercion(leaf))
        if fields:
            table[gql_type.name] = fields
    return table


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
    """strawberry's executor answering plain leaf fields without the resolver chain
    (see the module docstring); ``plain_field_executor`` makes one for a schema."""

    plain: PlainLeaves = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # a middleware wraps every resolver: then every field takes the usual path
        self._short = self.plain if manager is None or not manager.middlewares else {}

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
        answered: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        for key, details in grouped_field_set.items():
            found = fields.get(details[0].node.name.value)
            value = None if found is None else _leaf(source_value, *found)
            if value is None:
                rest[key] = details
            else:
                answered[key] = value
        if not rest:
            return answered
        results = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if not answered:
            return results
        if self.is_awaitable(results):
            pending: Awaitable[dict[str, Any]] = results

            async def merged() -> dict[str, Any]:
                return _in_order(grouped_field_set, answered, await pending)

            return merged()
        return _in_order(grouped_field_set, answered, cast("dict[str, Any]", results))


def _leaf(source: Any, attribute: str, coerce: Callable[[Any], Any]) -> Any:
    """The coerced value of a plain leaf field, or None to take the usual path (null,
    an exception as value, a value the type does not coerce: graphql-core then makes
    the answer or the error it always made)."""
    value = getattr(source, attribute, None)
    if value is None or isinstance(value, Exception):
        return None
    try:
        coerced = coerce(value)
    except Exception:  # the usual path raises it again, with the field's path
        return None
    return None if coerced is Undefined else coerced


def _in_order(
    grouped_field_set: dict[str, Any], answered: dict[str, Any], results: dict[str, Any]
) -> dict[str, Any]:
    """The answers in the order the query asks for them (the order of the JSON keys)."""
    return {
        key: answered[key] if key in answered else results[key]
        for key in grouped_field_set
        if key in answered or key in results
    }


def plain_field_executor(schema: GraphQLSchema) -> type[PlainFieldExecutor]:
    """A ``PlainFieldExecutor`` class knowing the plain leaf fields of ``schema``."""
    return type("PlainFieldExecutor", (PlainFieldExecutor,), {"plain": plain_leaves(schema)})


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

"""Resolvers called without strawberry's per-call wrapper where it has nothing to do.

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

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLList, GraphQLNonNull, GraphQLSchema, is_leaf_type
from strawberry.schema.config import StrawberryConfig
from strawberry.types.base import StrawberryMaybe
from strawberry.types.field import StrawberryField

from .plain_fields import is_plain, object_types, strawberry_field

__all__ = ["shorten_resolvers"]


def shorten_resolvers(schema: GraphQLSchema, config: StrawberryConfig) -> int:
    """Give the fields of ``schema`` (built by strawberry with ``config``, no exception
    handlers) whose strawberry wrapper only passes values through a direct resolve
    function (see the module docstring). Returns how many fields were changed."""
    changed = 0
    for gql_type in object_types(schema):
        for field in gql_type.fields.values():
            definition = strawberry_field(field)
            if definition is None or field.subscribe is not None:
                continue
            direct: Callable[..., Any] | None
            if is_plain(definition) and not field.args:
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

"""Which fields of a strawberry schema are plain: resolved by reading an attribute
(no resolver, no arguments, no field extensions), and how ``executor`` answers them.

A leaf (a scalar or an enum) is coerced with its type's own ``coerce_output_value``
(an enum's answer remembered per member); a value of exactly the type
graphql-core's String, ID or Boolean coercion returns unchanged is its own answer.
An object, an interface or a list of them is completed by the executor when nothing
on that path needs the resolve info: the object types whose ``is_type_of`` is the
one strawberry makes, interfaces whose ``resolve_type`` is marked ``info_free``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

__all__ = [
    "INFO_FREE",
    "PlainField",
    "PlainFields",
    "info_free",
    "is_plain",
    "object_types",
    "plain_fields",
    "plain_type_checks",
    "strawberry_field",
]

#: Set (true) on a ``resolve_type`` that never reads its ``info`` argument.
INFO_FREE = "_shegong_info_free"
F = TypeVar("F", bound=Callable[..., Any])


def info_free(fn: F) -> F:
    """Mark a ``resolve_type`` as reading only the value, so the executor may call it
    without building the resolve info."""
    setattr(fn, INFO_FREE, True)
    return fn


class PlainField(NamedTuple):
    """A field strawberry resolves by reading ``attribute``: a leaf with its
    ``coerce``ion, or (``coerce`` None) a value completed as ``output_type``. A leaf value
    of exactly the type ``unchanged`` is its own answer (a ``str`` for a String or
    an ID, a ``bool`` for a Boolean: graphql-core's coercion returns it as it is)."""

    attribute: str
    coerce: Callable[[Any], Any] | None
    output_type: GraphQLOutputType
    unchanged: type | None = None


#: Per object type name: per field name, how to answer it.
PlainFields = Mapping[str, Mapping[str, PlainField]]


def strawberry_field(field: GraphQLField) -> StrawberryField | None:
    found = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return found if isinstance(found, StrawberryField) else None


def object_types(schema: GraphQLSchema) -> list[GraphQLObjectType]:
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
    for gql_type in object_types(schema):
        fields: dict[str, PlainField] = {}
        for field_name, field in gql_type.fields.items():
            definition = strawberry_field(field)
            if definition is None or field.args or not is_plain(definition):
                continue
            if not definition.python_name:
                continue
            leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            coerce = _coercion(leaf) if isinstance(leaf, GraphQLLeafType) else None
            unchanged = _UNCHANGED.get(getattr(leaf, "coerce_output_value", None))
            fields[field_name] = PlainField(definition.python_name, coerce, field.type, unchanged)
        if fields:
            table[gql_type.name] = fields
    return table


def plain_type_checks(schema: GraphQLSchema) -> frozenset[str]:
    """The object types whose ``is_type_of`` is the one strawberry makes (an
    ``isinstance`` test of the value that never reads the resolve info)."""
    return frozenset(
        t.name
        for t in object_types(schema)
        if t.is_type_of is not None
        and getattr(t.is_type_of, "__qualname__", "").endswith(
            "_get_is_type_of.<locals>.is_type_of"
        )
        and getattr(t.is_type_of, "__module__", "") == GraphQLCoreConverter.__module__
    )


#: graphql-core's coercions that return a value of this exact type as it is.
_UNCHANGED: dict[Any, type] = {
    GraphQLString.coerce_output_value: str,
    GraphQLID.coerce_output_value: str,
    GraphQLBoolean.coerce_output_value: bool,
}


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


def is_plain(definition: StrawberryField) -> bool:
    """Resolved by strawberry's default resolver, ``getattr``, and nothing else."""
    return definition.is_basic_field and definition.default_resolver is getattr

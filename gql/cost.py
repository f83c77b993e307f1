"""What a document costs, measured before it runs: depth, aliases and a cost estimate.

The walk visits each selection set once per (fragment, list-size hint): a fragment
spread many times, or fragments spreading each other, are computed once and their
results reused (memoised), so the work is linear in the document. Strawberry's depth
and alias limiters walked every path through the fragments instead, which a 632-byte
document of nested spreads turned into minutes of validation.

The cost counts every field once per item that may hold it: a field inside a list
counts once per list item. A list's size is its ``first`` (Relay connections; the
default page size when absent), ``limit`` (neighbourhood), ``top`` (stats) or
``maxHops`` (path) argument, which the list itself or the object holding it takes;
other lists (evidence, aliases) count ``LIST_ESTIMATE`` items. ``neighbourhood``
also costs its ``limit`` once per hop (the store walks each). Introspection
(``__schema``, ``__type``) counts each list once, and may nest lists only three deep
(the standard introspection query does), so it stays bounded by the schema.

A measure depends on the document and on the variables it reads (a ``first: $n``);
``MeasureMemo`` keeps the measures of one document by operation and by the values of
those variables, so a client sending the same query with other ids measures it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

__all__ = ["LIST_ESTIMATE", "Measure", "MeasureMemo", "measure", "operation_of"]

#: Items a list counts when nothing says how long it is.
LIST_ESTIMATE = 20
#: Arguments that set how many items a list (or the lists of the object) holds.
_SIZE_ARGS = ("first", "limit", "top", "maxHops")
#: Lists an introspection query may nest.
_INTROSPECTION_LISTS = 3


@dataclass(frozen=True)
class Measure:
    """The size of one operation: deepest field, aliased fields, estimated cost."""

    depth: int
    aliases: int
    cost: int


@dataclass(frozen=True)
class _Part:
    height: int  # fields on the longest chain through the selection set
    cost: int
    lists: int  # introspection lists nested (deepest chain)


_EMPTY = _Part(0, 0, 0)


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    default_page_size: int,
) -> Measure:
    """Measure ``operation`` of a valid ``document`` (fragments known, no cycles)."""
    return _measure(schema, document, operation, variables, default_page_size)[0]


def _measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    default_page_size: int,
) -> tuple[Measure, tuple[str, ...]]:
    """The measure, and the names of the variables it read (sorted)."""
    walker = _Walker(schema, document, variables or {}, default_page_size)
    root = schema.get_root_type(operation.operation)
    part = walker.selection_set(operation.selection_set, root, None, False)
    if part.lists > _INTROSPECTION_LISTS:
        raise GraphQLError(
            f"introspection nests {part.lists} lists; at most {_INTROSPECTION_LISTS} are "
            "answered (the standard introspection query nests 3)"
        )
    aliases = sum(1 for field in walker.fields_written() if field.alias is not None)
    size = Measure(depth=max(part.height - 1, 0), aliases=aliases, cost=part.cost)
    return size, tuple(sorted(walker.read))


def _size_value(value: Any) -> int | None:
    """A variable's value as the walker uses it: an int, or nothing."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class MeasureMemo:
    """The measures of one document, by operation and by the values of the variables
    each measure read; at most ``max_entries`` are kept (then it measures anew)."""

    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self._reads: dict[str | None, tuple[str, ...]] = {}
        # by (operation, the variables read, their values): which variables a measure
        # reads may depend on their values (``first`` null, then ``limit`` is read)
        self._known: dict[tuple[Any, ...], Measure] = {}

    def measure(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        default_page_size: int,
    ) -> Measure:
        """``measure(...)``, from the memo when this document was measured with the
        same values of the variables that count."""
        name = operation.name.value if operation.name else None
        given = variables or {}
        reads = self._reads.get(name)
        if reads is not None:
            key = (name, reads, tuple(_size_value(given.get(v)) for v in reads))
            found = self._known.get(key)
            if found is not None:
                return found
        size, reads = _measure(schema, document, operation, given, default_page_size)
        if len(self._known) < self.max_entries:
            self._reads[name] = reads
            self._known[(name, reads, tuple(_size_value(given.get(v)) for v in reads))] = size
        return size


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        default_page_size: int,
    ) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables
        self.default_page_size = default_page_size
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | None, bool], _Part] = {}
        self.visiting: set[tuple[str, int | None, bool]] = set()
        self.read: set[str] = set()  # the variables the measure depends on

    def fields_written(self) -> list[FieldNode]:
        """Every field node as written in the document (fragments once each)."""
        found: list[FieldNode] = []
        stack: list[SelectionSetNode] = [
            d.selection_set
            for d in self.document.definitions
            if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        ]
        while stack:
            for selection in stack.pop().selections:
                if isinstance(selection, FieldNode):
                    found.append(selection)
                inner = getattr(selection, "selection_set", None)
                if inner is not None:
                    stack.append(inner)
        return found

    def selection_set(
        self, node: SelectionSetNode, parent: Any, hint: int | None, meta: bool
    ) -> _Part:
        height = cost = lists = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, parent, hint, meta)
            elif isinstance(selection, InlineFragmentNode):
                inner = parent
                if selection.type_condition is not None:
                    inner = self.schema.get_type(selection.type_condition.name.value) or parent
                part = self.selection_set(selection.selection_set, inner, hint, meta)
            elif isinstance(selection, FragmentSpreadNode):
                part = self.spread(selection.name.value, hint, meta)
            else:  # pragma: no cover - the AST has no other selections
                continue
            height = max(height, part.height)
            cost += part.cost
            lists = max(lists, part.lists)
        return _Part(height, cost, lists)

    def spread(self, name: str, hint: int | None, meta: bool) -> _Part:
        key = (name, hint, meta)
        found = self.memo.get(key)
        if found is not None:
            return found
        fragment = self.fragments.get(name)
        if fragment is None or key in self.visiting:
            return _EMPTY  # validation reports unknown fragments and cycles
        self.visiting.add(key)
        parent = self.schema.get_type(fragment.type_condition.name.value)
        part = self.selection_set(fragment.selection_set, parent, hint, meta)
        self.visiting.discard(key)
        self.memo[key] = part
        return part

    def field(self, node: FieldNode, parent: Any, hint: int | None, meta: bool) -> _Part:
        name = node.name.value
        if name == "__typename":
            return _Part(1, 0, 0)
        meta = meta or name.startswith("__")
        definition = self._definition(parent, name)
        if definition is None:
            return _Part(1, 1, 0)
        is_list, named = _unwrap(definition.type)
        size = self._size(node, definition)
        items = (1 if meta else hint or size or LIST_ESTIMATE) if is_list else 1
        own = items
        hops = self._int_arg(node, definition, "hops")
        if hops and size:
            own += size * hops
        if node.selection_set is None:
            return _Part(0 if meta else 1, own, 1 if meta and is_list else 0)
        # A connection or an object with a size argument passes the size to its lists.
        child_hint = None if is_list else (size or self._connection_size(named))
        inner = self.selection_set(node.selection_set, named, child_hint, meta)
        lists = inner.lists + (1 if meta and is_list else 0)
        # Introspection is bounded by the schema: it counts no depth (its type
        # references nest ``ofType`` deeply), only its nested lists.
        return _Part(0 if meta else inner.height + 1, own + items * inner.cost, lists)

    def _connection_size(self, named: Any) -> int | None:
        name = getattr(named, "name", "")
        return self.default_page_size if name.endswith("Connection") else None

    def _definition(self, parent: Any, name: str) -> GraphQLField | None:
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            field = parent.fields.get(name)
            if field is not None:
                return field
        from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        return None

    def _size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        for arg in _SIZE_ARGS:
            if arg in definition.args:
                value = self._int_arg(node, definition, arg)
                if value is not None:
                    return max(value, 0)
                if arg == "first":
                    return self.default_page_size
        return None

    def _int_arg(self, node: FieldNode, definition: GraphQLField, arg: str) -> int | None:
        for given in node.arguments or ():
            if given.name.value != arg:
                continue
            value = given.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                self.read.add(value.name.value)
                return _size_value(self.variables.get(value.name.value))
            return None
        spec = definition.args.get(arg)
        default = None if spec is None else spec.default_value
        return default if isinstance(default, int) and not isinstance(default, bool) else None


def _unwrap(gql_type: Any) -> tuple[bool, Any]:
    """(whether the type is a list, its named type)."""
    is_list = False
    while isinstance(gql_type, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(gql_type, GraphQLList)
        gql_type = gql_type.of_type
    return is_list, gql_type


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request names (or its only one)."""
    operations: Sequence[OperationDefinitionNode] = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)

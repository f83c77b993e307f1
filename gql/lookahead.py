"""Look ahead in a query: read the relations of a page, their evidence and its articles
in one round, when the query selects them.

A field resolved through a DataLoader costs a coroutine, a task and a batch round
however cheap the store call, and each round is a hop to a worker thread and back;
with ten relations of five pieces each, that was most of a request. ``evidence_plan``
runs where a page of relations is made (``Entity.relations``): it reads which
``evidence(first, after)`` the query asks under ``edges.node`` or ``nodes``, and
whether ``article`` is selected there, so that ``Loaders.relation_pages`` loads the
relations, those pages and their articles in one store round. ``Relation.evidence`` and
``Evidence.article`` then answer from the loaders' caches without awaiting. A query
that selects no evidence loads none, as before.

strawberry converts the whole selection below a field into ``SelectedField`` objects
each time ``info.selected_fields`` is read; ``selected_below`` keeps the conversion
per field (the parsed documents are cached, so their nodes are the same objects from
one request to the next) and per values of the variables used below it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, Node, VariableNode, Visitor, visit
from shegong.schema import InputError, RelationType
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from .context import Info
from .enums import DirectionEnum
from .pagination import Window, window

__all__ = [
    "EVIDENCE_PAGE",
    "EvidencePlan",
    "evidence_plan",
    "evidence_selections",
    "evidence_window",
    "selected_below",
    "selected_relations",
]

#: Pieces of evidence a relation shows when ``first`` is not given.
EVIDENCE_PAGE = 5


@dataclass(frozen=True)
class EvidencePlan:
    """The evidence window a query asks of every relation on a page, and whether it
    shows the pieces' articles."""

    window: Window
    articles: bool


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for sel in selections:
        if isinstance(sel, FragmentSpread | InlineFragment):
            yield from _fields(sel.selections)
        elif isinstance(sel, SelectedField):
            yield sel


def _under(selections: Iterable[Selection], path: Sequence[str]) -> list[SelectedField]:
    """The fields reached from ``selections`` along ``path`` (GraphQL names)."""
    found = list(_fields(selections))
    for name in path:
        found = [f for sel in found if sel.name == name for f in _fields(sel.selections)]
    return found


def evidence_selections(connections: Iterable[Selection]) -> list[SelectedField]:
    """The ``evidence`` fields selected on the relations of ``connections`` (the
    selected connection fields, as ``info.selected_fields`` gives them)."""
    return _evidence_in([f for field in _fields(connections) for f in _fields(field.selections)])


def _evidence_in(here: list[SelectedField]) -> list[SelectedField]:
    """The ``evidence`` fields selected on the relations of a connection whose own
    selections are ``here``."""
    nodes = _under(here, ("edges", "node")) + _under(here, ("nodes",))
    return [f for f in nodes if f.name == "evidence"]


def evidence_window(info: Info, first: int | None, after: str | None) -> Window:
    """The window ``evidence(first, after)`` reads (InputError for a bad one)."""
    return window(EVIDENCE_PAGE if first is None else first, after, info.context.settings)


def evidence_plan(
    info: Info, connections: Iterable[Selection] | None = None
) -> EvidencePlan | None:
    """What evidence the query will ask of the relations being resolved (or of those of
    ``connections``); None when it selects none, or several windows (aliases: each field
    loads its own), or a bad one (the evidence fields report it, each where it is asked)."""
    selected = (
        _evidence_in(selected_below(info))
        if connections is None
        else evidence_selections(connections)
    )
    if len(selected) != 1:
        return None
    field = selected[0]
    first: Any = field.arguments.get("first", EVIDENCE_PAGE)
    try:
        # strawberry gives a literal as written (a string); a variable as its value
        win = evidence_window(
            info, None if first is None else int(first), field.arguments.get("after")
        )
    except (InputError, TypeError, ValueError):
        return None
    articles = any(
        f.name == "article"
        for f in _under(field.selections, ("nodes",)) + _under(field.selections, ("edges", "node"))
    )
    return EvidencePlan(win, articles)


def selected_below(info: Info) -> list[SelectedField]:
    """The fields selected on the object the field being resolved returns (fragments
    spread and inline fragments looked through); kept per field and per values of the
    variables used below it (see the module docstring). The list is shared: read it,
    never change it."""
    raw = info._raw_info  # graphql-core's resolve info: the field's nodes, fragments
    nodes = tuple(raw.field_nodes)
    key = tuple(map(id, nodes))
    entry = _BELOW.get(key)
    if entry is None or entry.nodes != nodes:  # new, or ids of nodes since dropped
        if len(_BELOW) >= _BELOW_ENTRIES:
            _BELOW.clear()
        entry = _BELOW[key] = _Below(nodes, _variables_below(nodes, raw.fragments))
    values = json.dumps([info.variable_values.get(n) for n in entry.variables], default=repr)
    found = entry.by_values.get(values)
    if found is None:
        found = [f for field in _fields(info.selected_fields) for f in _fields(field.selections)]
        if len(entry.by_values) < _BELOW_VALUES:
            entry.by_values[values] = found
    return found


#: Fields whose selections ``selected_below`` keeps, and value sets per field.
_BELOW_ENTRIES = 512
_BELOW_VALUES = 16


class _Below:
    """The selections below one field, by the values of the variables used there."""

    __slots__ = ("by_values", "nodes", "variables")

    def __init__(self, nodes: tuple[FieldNode, ...], variables: tuple[str, ...]) -> None:
        self.nodes = nodes  # held, so that their ids stay theirs
        self.variables = variables  # used below the field (arguments, directives)
        self.by_values: dict[str, list[SelectedField]] = {}


_BELOW: dict[tuple[int, ...], _Below] = {}


class _Uses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.spreads: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.spreads.add(node.name.value)


def _variables_below(nodes: Sequence[FieldNode], fragments: dict[str, Any]) -> tuple[str, ...]:
    """The variables used in the selections of ``nodes`` and the fragments they spread."""
    uses = _Uses()
    todo: list[Node] = [n.selection_set for n in nodes if n.selection_set is not None]
    seen: set[str] = set()
    while todo:
        visit(todo.pop(), uses)
        for name in sorted(uses.spreads - seen):
            seen.add(name)
            if name in fragments:
                todo.append(fragments[name])
    return tuple(sorted(uses.variables))


def selected_relations(
    below: Iterable[SelectedField],
) -> tuple[SelectedField, dict[str, Any]] | None:
    """The one ``relations`` field among ``below`` (``selected_below`` of the entity
    being resolved), with its arguments as the resolver will get them (``types``,
    ``direction``, ``first``, ``after``); None when there is none, several, or arguments
    not written plainly."""
    relations = [f for f in below if f.name == "relations"]
    if len(relations) != 1:
        return None
    field = relations[0]
    args = field.arguments
    try:
        # strawberry hands literals over as written (text); variables as their values
        types = args.get("types")
        direction = args.get("direction", DirectionEnum.BOTH)
        first = args.get("first")
        after = args.get("after")
        values = {
            "types": None if types is None else [_member(RelationType, t) for t in types],
            "direction": _member(DirectionEnum, direction),
            "first": None if first is None else int(first),
            "after": after if after is None or isinstance(after, str) else None,
        }
    except (KeyError, TypeError, ValueError):
        return None
    return field, values


def _member(enum: Any, value: Any) -> Any:
    """An enum member from its GraphQL name (a literal) or itself (a variable)."""
    return value if isinstance(value, enum) else enum[value]

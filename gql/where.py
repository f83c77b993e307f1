"""``where`` and ``orderBy`` inputs, generated per label from one table, and their
translation into graph.query descriptions.

``WHERE_FIELDS`` says once what each condition field is (its GraphQL input type and how
it becomes a graph.query filter); ``LABEL_FIELDS`` which label offers which of them and
which it sorts on. The input types (``OrganisationWhere``, ``PlaceOrderBy``...) and the
order enums are built from these tables, so a field added here is offered, translated,
and sorted on in both stores at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from shegong.graph.query import (
    AllOf,
    AnyOf,
    Compare,
    Endpoint,
    Filter,
    Not,
    Op,
    OrderKey,
    Related,
    Within,
    check_date,
)
from shegong.graph.text import search_key, to_simplified
from shegong.schema import ENTITY_LABELS, InputError, Label, RelationType

from .enums import DirectionEnum, EntityLabel

__all__ = [
    "ENTITY_WHERE",
    "LABEL_FIELDS",
    "ORDER_INPUTS",
    "RELATION_ORDER_BY",
    "RELATION_WHERE",
    "RELATION_WHERE_FIELDS",
    "WHERE_FIELDS",
    "WHERE_INPUTS",
    "DateFilter",
    "FloatFilter",
    "IntFilter",
    "NamesFilter",
    "RelationTypeFilter",
    "SortDirection",
    "StringFilter",
    "order_keys",
    "to_filter",
]

#: How deeply AND / OR / NOT and relation conditions may nest, and how many conditions
#: one ``where`` may hold: a bound on the statement a request can make the store run.
MAX_NESTING = 6
MAX_CONDITIONS = 60


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="Conditions on a text field; all given must hold.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None
    is_null: bool | None = strawberry.field(default=None, description="true: no value.")


@strawberry.input(
    description="Conditions on the name or any alias (one of them must pass all given); "
    "traditional characters are accepted, case is ignored."
)
class NamesFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None


@strawberry.input(
    description="Conditions on an ISO date: 2021, 2021-03 or 2021-03-05; a shorter value "
    "stands for its whole period (lt: 2022 is before 2022-01-01, lte: 2021 up to 2021-12-31)."
)
class DateFilter:
    eq: str | None = None
    lt: str | None = None
    lte: str | None = None
    gt: str | None = None
    gte: str | None = None
    is_null: bool | None = strawberry.field(default=None, description="true: no date.")


@strawberry.input(description="Conditions on a whole number.")
class IntFilter:
    eq: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None


@strawberry.input(description="Conditions on a number.")
class FloatFilter:
    eq: float | None = None
    lt: float | None = None
    lte: float | None = None
    gt: float | None = None
    gte: float | None = None


@strawberry.input(description="Conditions on a relation type.")
class RelationTypeFilter:
    eq: RelationType | None = None
    in_: list[RelationType] | None = strawberry.field(default=None, name="in")


_OPS = {
    "eq": Op.EQ,
    "in_": Op.IN,
    "contains": Op.CONTAINS,
    "starts_with": Op.STARTS_WITH,
    "lt": Op.LT,
    "lte": Op.LTE,
    "gt": Op.GT,
    "gte": Op.GTE,
    "is_null": Op.IS_NULL,
}


def _ops(
    given: Any, field: str, arg: str, normalise: Callable[[str, Any], Any] | None = None
) -> Filter:
    """One Compare per operator given in an operator input (all must hold)."""
    parts: list[Filter] = []
    for attr, op in _OPS.items():
        value = getattr(given, attr, None)
        if value is None:
            continue
        if normalise is not None and op is not Op.IS_NULL:
            name = f"{arg}.{op.value}"
            value = [normalise(name, v) for v in value] if op is Op.IN else normalise(name, value)
        if op in (Op.CONTAINS, Op.STARTS_WITH) and value == "":
            raise InputError(f"{arg}.{op.value} must not be blank")
        parts.append(Compare(field, op, value))
    if not parts:
        raise InputError(f"{arg}: give at least one operator (eq, in, contains, ...)")
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _name_form(arg: str, value: str) -> str:
    return search_key(value)


def _text_form(arg: str, value: str) -> str:
    return to_simplified(value)


def _date_form(arg: str, value: str) -> str:
    return check_date(arg, value)


def _mentions(direction: str) -> Callable[[Any, str], Filter]:
    def build(value: Any, arg: str) -> Filter:
        return Related(
            "some", (RelationType.MENTIONS,), direction, Compare("id", Op.EQ, str(value))
        )

    return build


@strawberry.input(
    description="A relation the node has (some) or has not (none): of these types (any when "
    "none given), this way, whose other end passes `node`."
)
class RelationMatch:
    types: list[RelationType] | None = None
    direction: DirectionEnum = DirectionEnum.BOTH
    node: EntityWhere | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Conditions on the node at the other end."
    )


@strawberry.input(description="Conditions on a node's relations (non-retracted ones).")
class RelationsFilter:
    some: RelationMatch | None = strawberry.field(
        default=None, description="At least one relation matches."
    )
    all: RelationMatch | None = strawberry.field(
        default=None,
        description="Every relation of these types this way has an other end passing `node` "
        "(true for a node with none).",
    )
    none: RelationMatch | None = strawberry.field(default=None, description="No relation matches.")


@dataclass(frozen=True)
class WhereField:
    """One condition field: its GraphQL input type, description and translation."""

    gql_type: Any
    description: str
    to_filter: Callable[[Any, str, int], Filter]


def _compare(field: str, normalise: Callable[[str, Any], Any] | None = None) -> Any:
    return lambda value, arg, depth: _ops(value, field, arg, normalise)


def _relations(value: RelationsFilter, arg: str, depth: int) -> Filter:
    parts: list[Filter] = []
    for quantifier in ("some", "all", "none"):
        match: RelationMatch | None = getattr(value, quantifier)
        if match is None:
            continue
        other = to_filter(match.node, f"{arg}.{quantifier}.node", depth + 1) if match.node else None
        if quantifier == "all":
            # every such relation passes: none of them fails
            if other is None:
                parts.append(AllOf(()))  # no condition on the other end: always holds
            else:
                types = tuple(
                    sorted(
                        {RelationType(t) for t in match.types or ()}, key=list(RelationType).index
                    )
                )
                parts.append(Related("none", types, match.direction.value, Not(other)))
            continue
        types = tuple(
            sorted({RelationType(t) for t in match.types or ()}, key=list(RelationType).index)
        )
        parts.append(Related(quantifier, types, match.direction.value, other))
    if not parts:
        raise InputError(f"{arg}: give some, all or none")
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


WHERE_FIELDS: dict[str, WhereField] = {
    "id": WhereField(StringFilter, "The id.", _compare("id")),
    "label": WhereField(
        list[EntityLabel],
        "The node label is one of these.",
        lambda value, arg, depth: Compare("label", Op.IN, sorted(Label(v).value for v in value)),
    ),
    "name": WhereField(
        StringFilter, "The canonical name (simplified Chinese).", _compare("name", _text_form)
    ),
    "title": WhereField(StringFilter, "The title.", _compare("name", _text_form)),
    "names": WhereField(NamesFilter, "The name or any alias.", _compare("names", _name_form)),
    "kind": WhereField(StringFilter, "The sub-type.", _compare("kind")),
    "level": WhereField(
        StringFilter, "Administrative level (province, city...).", _compare("level")
    ),
    "adcode": WhereField(StringFilter, "Administrative division code.", _compare("adcode")),
    "source": WhereField(
        StringFilter,
        "An outlet that carried it (its own, or a reprint's).",
        _compare("outlets"),
    ),
    "date": WhereField(DateFilter, "The date held or published.", _compare("date", _date_form)),
    "first_seen": WhereField(
        DateFilter, "First date seen in an article.", _compare("firstSeen", _date_form)
    ),
    "last_seen": WhereField(
        DateFilter, "Last date seen in an article.", _compare("lastSeen", _date_form)
    ),
    "degree": WhereField(
        IntFilter, "Relations touching it (MENTIONS and retracted excluded).", _compare("degree")
    ),
    "place": WhereField(
        strawberry.ID,
        "Id of a place: the node is that place or lies inside it (LOCATED_IN or HELD_IN it "
        "or a place inside it, any depth).",
        lambda value, arg, depth: Within(str(value)),
    ),
    "mentioned_in": WhereField(
        strawberry.ID,
        "Id of an article mentioning it.",
        lambda value, arg, depth: _mentions("in")(value, arg),
    ),
    "mentions": WhereField(
        strawberry.ID,
        "Id of an entity it mentions.",
        lambda value, arg, depth: _mentions("out")(value, arg),
    ),
    "relations": WhereField(RelationsFilter, "Conditions on its relations.", _relations),
}

_ENTITY = (
    "id",
    "name",
    "names",
    "kind",
    "first_seen",
    "last_seen",
    "degree",
    "place",
    "mentioned_in",
    "relations",
)
_ENTITY_ORDER = ("id", "name", "kind", "first_seen", "last_seen", "degree")


@dataclass(frozen=True)
class LabelFields:
    """What one label's list offers: condition fields and sort fields (graph.query names
    by GraphQL enum member)."""

    type_name: str
    list_name: str
    where: tuple[str, ...]
    order: tuple[str, ...]


LABEL_FIELDS: dict[Label, LabelFields] = {
    Label.ORGANISATION: LabelFields("Organisation", "organisations", _ENTITY, _ENTITY_ORDER),
    Label.PERSON: LabelFields("Person", "people", _ENTITY, _ENTITY_ORDER),
    Label.PLACE: LabelFields(
        "Place", "places", (*_ENTITY, "level", "adcode"), (*_ENTITY_ORDER, "level", "adcode")
    ),
    Label.POLICY: LabelFields("Policy", "policies", _ENTITY, _ENTITY_ORDER),
    Label.EVENT: LabelFields("Event", "events", (*_ENTITY, "date"), (*_ENTITY_ORDER, "date")),
    Label.ARTICLE: LabelFields(
        "Article",
        "articles",
        ("id", "title", "source", "date", "first_seen", "mentions", "relations"),
        ("id", "title", "source", "date"),
    ),
}

#: Sort fields by their snake name: the graph.query field each stands for.
_ORDER_FIELD = {
    "id": "id",
    "name": "name",
    "title": "name",
    "kind": "kind",
    "type": "type",
    "confidence": "confidence",
    "evidence_count": "evidenceCount",
    "created_at": "createdAt",
    "level": "level",
    "adcode": "adcode",
    "source": "source",
    "date": "date",
    "first_seen": "firstSeen",
    "last_seen": "lastSeen",
    "degree": "degree",
}

_ALL_ENTITY_FIELDS = (
    "label",
    *dict.fromkeys(f for lbl in ENTITY_LABELS for f in LABEL_FIELDS[lbl].where),
)


def _make_input(
    name: str,
    description: str,
    fields: tuple[str, ...],
    table: dict[str, WhereField] | None = None,
) -> Any:
    """A strawberry input class ``name`` with ``fields`` from ``table`` (WHERE_FIELDS)
    plus AND/OR/NOT."""
    table = WHERE_FIELDS if table is None else table
    annotations: dict[str, Any] = {
        "and_": f"list[{name}] | None",
        "or_": f"list[{name}] | None",
        "not_": f"{name} | None",
    }
    namespace: dict[str, Any] = {
        "and_": strawberry.field(default=None, name="AND", description="All of these hold."),
        "or_": strawberry.field(default=None, name="OR", description="At least one holds."),
        "not_": strawberry.field(
            default=None,
            name="NOT",
            description="This does not hold (a condition on a missing value does not hold, "
            "so NOT of it does).",
        ),
    }
    for field in fields:
        spec = table[field]
        annotations[field] = spec.gql_type | None
        namespace[field] = strawberry.field(default=None, description=spec.description)
    namespace["__annotations__"] = annotations
    namespace["__module__"] = __name__
    made = strawberry.input(type(name, (), namespace), name=name, description=description)
    globals()[name] = made
    return made


WHERE_INPUTS: dict[Label, Any] = {
    label: _make_input(
        f"{spec.type_name}Where",
        f"Conditions on {spec.type_name} nodes; all given must hold.",
        spec.where,
    )
    for label, spec in LABEL_FIELDS.items()
}
ENTITY_WHERE: Any = _make_input(
    "EntityWhere", "Conditions on any node; all given must hold.", _ALL_ENTITY_FIELDS
)
EntityWhere = ENTITY_WHERE  # the name RelationMatch.node refers to


def _make_order_input(type_name: str, fields: tuple[str, ...]) -> Any:
    members = {field.upper(): _ORDER_FIELD[field] for field in fields}
    fields_enum: Any = Enum(f"{type_name}OrderField", members)  # type: ignore[misc]
    enum = strawberry.enum(fields_enum, description=f"Fields {type_name} lists sort on.")
    name = f"{type_name}OrderBy"
    namespace: dict[str, Any] = {
        "__annotations__": {"field": enum, "direction": SortDirection},
        "direction": strawberry.field(default=SortDirection.ASC),
        "__module__": __name__,
    }
    made = strawberry.input(
        type(name, (), namespace), name=name, description="One sort key; the id breaks ties."
    )
    globals()[name] = made
    return made


ORDER_INPUTS: dict[Label, Any] = {
    label: _make_order_input(spec.type_name, spec.order) for label, spec in LABEL_FIELDS.items()
}


def order_keys(order_by: list[Any] | None) -> tuple[OrderKey, ...]:
    """graph.query order keys from an ``orderBy`` list (the id breaks ties in the store)."""
    if not order_by:
        return ()
    if len(order_by) > 5:
        raise InputError(f"orderBy takes at most 5 keys, got {len(order_by)}")
    return tuple(
        OrderKey(item.field.value, item.direction is SortDirection.DESC) for item in order_by
    )


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_CONDITIONS


def to_filter(
    where: Any,
    arg: str = "where",
    depth: int = 0,
    budget: _Budget | None = None,
    table: dict[str, WhereField] | None = None,
) -> Filter | None:
    """The graph.query filter a ``where`` input stands for (None when it is empty)."""
    if where is None:
        return None
    table = WHERE_FIELDS if table is None else table
    if depth > MAX_NESTING:
        raise InputError(f"{arg}: conditions nest deeper than {MAX_NESTING} levels")
    budget = budget or _Budget()
    parts: list[Filter] = []
    for field, spec in table.items():
        value = getattr(where, field, None)
        if value is None:
            continue
        budget.left -= 1
        if budget.left < 0:
            raise InputError(f"{arg}: more than {MAX_CONDITIONS} conditions in one where")
        parts.append(spec.to_filter(value, f"{arg}.{_camel(field)}", depth))
    for i, sub in enumerate(getattr(where, "and_", None) or []):
        found = to_filter(sub, f"{arg}.AND[{i}]", depth + 1, budget, table)
        if found is not None:
            parts.append(found)
    ors = getattr(where, "or_", None)
    if ors is not None:
        options = [
            to_filter(sub, f"{arg}.OR[{i}]", depth + 1, budget, table) for i, sub in enumerate(ors)
        ]
        # An empty condition inside OR holds for everything.
        parts.append(
            AnyOf(())
            if not options
            else (
                AllOf(()) if None in options else AnyOf(tuple(o for o in options if o is not None))
            )
        )
    negated = getattr(where, "not_", None)
    if negated is not None:
        found = to_filter(negated, f"{arg}.NOT", depth + 1, budget, table)
        parts.append(Not(found) if found is not None else AnyOf(()))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# -- relations ---------------------------------------------------------------------------
def _endpoint(end: str) -> Callable[[Any, str, int], Filter]:
    def build(value: Any, arg: str, depth: int) -> Filter:
        inner = to_filter(value, arg, depth + 1)
        return Endpoint(end, inner if inner is not None else AllOf(()))

    return build


RELATION_WHERE_FIELDS: dict[str, WhereField] = {
    "id": WhereField(StringFilter, "The id.", _compare("id")),
    "type": WhereField(
        RelationTypeFilter,
        "The type.",
        _compare("type", lambda arg, value: RelationType(value).value),
    ),
    "confidence": WhereField(
        FloatFilter, "Best confidence of the evidence.", _compare("confidence")
    ),
    "evidence_count": WhereField(IntFilter, "Pieces of evidence.", _compare("evidenceCount")),
    "curated": WhereField(
        bool,
        "Added or confirmed by an editor.",
        lambda value, arg, depth: Compare("curated", Op.EQ, value),
    ),
    "first_seen": WhereField(
        DateFilter, "First date of its articles.", _compare("firstSeen", _date_form)
    ),
    "last_seen": WhereField(
        DateFilter, "Last date of its articles.", _compare("lastSeen", _date_form)
    ),
    "created_at": WhereField(
        DateFilter, "When an editor created it.", _compare("createdAt", _date_form)
    ),
    "source": WhereField(EntityWhere, "Conditions on the source node.", _endpoint("source")),
    "target": WhereField(EntityWhere, "Conditions on the target node.", _endpoint("target")),
}
RELATION_ORDER = (
    "id",
    "type",
    "confidence",
    "evidence_count",
    "first_seen",
    "last_seen",
    "created_at",
)

RELATION_WHERE: Any = _make_input(
    "RelationWhere",
    "Conditions on relations; all given must hold.",
    tuple(RELATION_WHERE_FIELDS),
    RELATION_WHERE_FIELDS,
)
RELATION_ORDER_BY: Any = _make_order_input("Relation", RELATION_ORDER)

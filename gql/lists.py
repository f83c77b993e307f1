"""The per-label list fields (``organisations`` ... ``articles``) and ``relations``,
generated from gql.where's LABEL_FIELDS: each takes ``where``, ``orderBy``, ``asOf`` and
``first``/``after``, and costs one store statement per page (plus one per ``totalCount``
or ``aggregate`` field asked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from shegong.graph.query import (
    AllOf,
    Compare,
    Endpoint,
    Filter,
    NodeQuery,
    Op,
    RelationQuery,
    check_date,
)
from shegong.schema import InputError, Label, Node, RelationType

from .context import Info
from .filters import ArticleFilter, EntityFilter, legacy_filter
from .pagination import Connection, connection, window
from .types_nodes import Article, Event, Organisation, Person, Place, Policy, as_article, as_entity
from .types_relations import Relation, as_relation
from .where import (
    LABEL_FIELDS,
    ORDER_INPUTS,
    RELATION_ORDER_BY,
    RELATION_WHERE,
    RELATION_WHERE_FIELDS,
    WHERE_INPUTS,
    order_keys,
    to_filter,
)

__all__ = ["ListQueries"]

_TYPES: dict[Label, Any] = {
    Label.ORGANISATION: Organisation,
    Label.PERSON: Person,
    Label.PLACE: Place,
    Label.POLICY: Policy,
    Label.EVENT: Event,
    Label.ARTICLE: Article,
}

_DEPRECATED = "Use `where`, which offers these and more."


def _all(*parts: Filter | None) -> Filter | None:
    given = tuple(p for p in parts if p is not None)
    if not given:
        return None
    return given[0] if len(given) == 1 else AllOf(given)


def _as_of(value: str | None) -> str | None:
    return None if value is None else check_date("asOf", value)


def _order_and_date(order_input: Any, as_of: str) -> dict[str, Any]:
    """The annotations of the ``orderBy`` and ``asOf`` arguments of a list."""
    return {
        "order_by": Annotated[
            list[order_input] | None,
            strawberry.argument(description="Sort keys in turn; the id breaks ties."),
        ],
        "as_of": Annotated[str | None, strawberry.argument(description=as_of)],
    }


def _builder(label: Label) -> Callable[[Node], Any]:
    if label is Label.ARTICLE:
        return as_article
    return as_entity


def _node_list(label: Label) -> Any:
    spec = LABEL_FIELDS[label]
    build = _builder(label)
    legacy = ArticleFilter if label is Label.ARTICLE else EntityFilter

    async def resolve(
        self: Any,
        info: Info,
        where: Any = None,
        filter: Any = None,
        order_by: Any = None,
        as_of: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Any:
        ctx = info.context
        win = window(first, after, ctx.settings)
        query = NodeQuery(
            label,
            _all(to_filter(where), legacy_filter(label, filter)),
            order_keys(order_by),
            _as_of(as_of),
        )
        nodes = await ctx.call(ctx.store.find_nodes, query, win.fetch, win.offset)
        ctx.loaders.prime(nodes)

        async def count() -> int:
            return await ctx.call(ctx.store.count, query)

        items = [item for item in map(build, nodes) if item is not None]
        return connection(items, win, count, query=query)

    resolve.__annotations__ = {
        "self": Any,
        "info": Info,
        "where": WHERE_INPUTS[label] | None,
        "filter": Annotated[legacy | None, strawberry.argument(deprecation_reason=_DEPRECATED)],
        **_order_and_date(
            ORDER_INPUTS[label],
            "A date: only what articles up to it state (first seen by then; undated nodes always).",
        ),
        "first": int | None,
        "after": str | None,
        "return": Connection[_TYPES[label]],  # type: ignore[valid-type]
    }
    return strawberry.field(
        resolver=resolve,
        description=f"{spec.type_name} nodes passing `where`, in `orderBy` order (id by default).",
    )


def _relation_args(
    types: list[RelationType] | None,
    source: strawberry.ID | None,
    target: strawberry.ID | None,
    min_confidence: float | None,
    curated: bool | None,
) -> Filter | None:
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"minConfidence must be between 0 and 1, got {min_confidence}")
    parts: list[Filter | None] = [
        Compare("type", Op.IN, sorted(RelationType(t).value for t in types)) if types else None,
        Endpoint("source", Compare("id", Op.EQ, str(source))) if source is not None else None,
        Endpoint("target", Compare("id", Op.EQ, str(target))) if target is not None else None,
        Compare("confidence", Op.GTE, min_confidence) if min_confidence is not None else None,
        Compare("curated", Op.EQ, curated) if curated is not None else None,
    ]
    return _all(*parts)


async def _relations(
    self: Any,
    info: Info,
    where: Any = None,
    order_by: Any = None,
    as_of: str | None = None,
    types: list[RelationType] | None = None,
    source: strawberry.ID | None = None,
    target: strawberry.ID | None = None,
    min_confidence: float | None = None,
    curated: bool | None = None,
    include_retracted: bool = False,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Relation]:
    ctx = info.context
    win = window(first, after, ctx.settings)
    query = RelationQuery(
        _all(
            to_filter(where, table=RELATION_WHERE_FIELDS),
            _relation_args(types, source, target, min_confidence, curated),
        ),
        order_keys(order_by),
        _as_of(as_of),
        include_retracted,
    )
    rels = await ctx.call(ctx.store.find_relations, query, win.fetch, win.offset)

    async def count() -> int:
        found = await ctx.call(ctx.store.count, query)
        cap = ctx.settings.max_count
        if found > cap:
            raise InputError(
                f"totalCount of relations stops at {cap}: this list holds {found}; narrow it "
                "with where, types, source, target or minConfidence, or page without totalCount"
            )
        return found

    return connection([as_relation(r, info.context.loaders) for r in rels], win, count, query=query)


_relations.__annotations__ = {
    "self": Any,
    "info": Info,
    "where": RELATION_WHERE | None,
    **_order_and_date(
        RELATION_ORDER_BY,
        "A date: only relations its articles up to then state (or editors added by then).",
    ),
    "types": list[RelationType] | None,
    "source": strawberry.ID | None,
    "target": strawberry.ID | None,
    "min_confidence": float | None,
    "curated": bool | None,
    "include_retracted": bool,
    "first": int | None,
    "after": str | None,
    "return": Connection[Relation],
}

_FIELDS: dict[str, Any] = {
    spec.list_name: _node_list(label) for label, spec in LABEL_FIELDS.items()
}
_FIELDS["relations"] = strawberry.field(
    resolver=_relations,
    description="Relations passing `where` and every other argument given, in `orderBy` "
    "order (id by default); retracted ones only with includeRetracted.",
)

ListQueries: Any = strawberry.type(type("ListQueries", (), {**_FIELDS, "__module__": __name__}))

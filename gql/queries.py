"""Read queries: lookups by id, search, per-label lists and relation lists."""

from __future__ import annotations

from typing import Any

import strawberry
from shegong.schema import ENTITY_LABELS, InputError, Label, Node, RelationType

from .context import Info
from .enums import ArticleOrder, EntityLabel, EntityOrder
from .filters import ArticleFilter, EntityFilter, filter_articles, filter_entities
from .graph_queries import GraphQueries
from .pagination import Connection, connection, window
from .types_nodes import (
    Article,
    Entity,
    Event,
    GraphNode,
    Organisation,
    Person,
    Place,
    Policy,
    as_article,
    as_entity,
    as_node,
)
from .types_relations import Relation, as_relation

__all__ = ["Query"]


async def _entity_list(
    info: Info,
    label: Label,
    flt: EntityFilter | None,
    order: EntityOrder,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    ctx = info.context
    win = window(first, after, ctx.settings)
    if (flt is None or flt.is_empty()) and order is EntityOrder.ID:
        # The store pages this one itself: no need to hold the whole label in memory.
        nodes = await ctx.call(ctx.store.nodes, label, win.fetch, win.offset)
        ctx.loaders.prime(nodes)

        async def count() -> int:
            return await ctx.call(ctx.store.count_nodes, label)

        return connection(_entities(nodes), win, count)
    rows = await ctx.call(filter_entities, ctx.store, label, flt or EntityFilter(), order)
    ctx.loaders.prime(rows)
    return connection(_entities(rows), win, len(rows), sliced=False)


def _entities(nodes: list[Node]) -> list[Entity]:
    return [e for e in map(as_entity, nodes) if e is not None]


def _checked_labels(labels: list[Label] | None) -> list[Label]:
    if not labels:
        return list(ENTITY_LABELS)
    if Label.ARTICLE in labels:
        raise InputError(
            "search covers entities; find articles with articles(filter: {titleContains})"
        )
    return sorted(set(labels), key=list(Label).index)


@strawberry.type
class Query(GraphQueries):
    @strawberry.field(description="Any node (entity or article) by id; null if there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> GraphNode | None:
        return as_node(await info.context.loaders.nodes.load(str(id)))

    @strawberry.field(description="An entity by id; null if there is none (or it is an article).")
    async def entity(self, info: Info, id: strawberry.ID) -> Entity | None:
        return as_entity(await info.context.loaders.nodes.load(str(id)))

    @strawberry.field(description="An article by id; null if there is none.")
    async def article(self, info: Info, id: strawberry.ID) -> Article | None:
        found = as_node(await info.context.loaders.nodes.load(str(id)))
        return found if isinstance(found, Article) else None

    @strawberry.field(description="A relation by id, retracted ones included; null if none.")
    async def relation(self, info: Info, id: strawberry.ID) -> Relation | None:
        rel = await info.context.call(info.context.store.relation, str(id))
        return None if rel is None else as_relation(rel)

    @strawberry.field(
        description="Entities whose name or an alias contains `text` (Chinese substring; "
        "traditional input is converted). Exact names first, then by degree, then by id."
    )
    async def search(
        self,
        info: Info,
        text: str,
        labels: list[EntityLabel] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Entity]:
        ctx = info.context
        text = text.strip()
        if not text:
            raise InputError("search text must not be blank")
        wanted = _checked_labels(labels)
        win = window(first, after, ctx.settings)
        nodes = await ctx.call(ctx.store.search, text, wanted, win.fetch, win.offset)
        ctx.loaders.prime(nodes)

        async def count() -> int:
            return await ctx.call(ctx.store.count_search, text, wanted)

        return connection(_entities(nodes), win, count)

    @strawberry.field(description="Organisations, filtered and ordered (ID by default).")
    async def organisations(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organisation]:
        return await _entity_list(info, Label.ORGANISATION, filter, order_by, first, after)

    @strawberry.field(description="People, filtered and ordered (ID by default).")
    async def people(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Person]:
        return await _entity_list(info, Label.PERSON, filter, order_by, first, after)

    @strawberry.field(description="Places, filtered and ordered (ID by default).")
    async def places(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Place]:
        return await _entity_list(info, Label.PLACE, filter, order_by, first, after)

    @strawberry.field(description="Policies, filtered and ordered (ID by default).")
    async def policies(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Policy]:
        return await _entity_list(info, Label.POLICY, filter, order_by, first, after)

    @strawberry.field(description="Events, filtered and ordered (ID by default).")
    async def events(
        self,
        info: Info,
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Event]:
        return await _entity_list(info, Label.EVENT, filter, order_by, first, after)

    @strawberry.field(description="Articles, filtered and ordered (ID by default).")
    async def articles(
        self,
        info: Info,
        filter: ArticleFilter | None = None,
        order_by: ArticleOrder = ArticleOrder.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Article]:
        ctx = info.context
        win = window(first, after, ctx.settings)
        if (filter is None or filter.is_empty()) and order_by is ArticleOrder.ID:
            nodes = await ctx.call(ctx.store.nodes, Label.ARTICLE, win.fetch, win.offset)

            async def count() -> int:
                return await ctx.call(ctx.store.count_nodes, Label.ARTICLE)

            return connection([as_article(n) for n in nodes], win, count)
        rows = await ctx.call(filter_articles, ctx.store, filter or ArticleFilter(), order_by)
        return connection([as_article(n) for n in rows], win, len(rows), sliced=False)

    @strawberry.field(
        description="Relations matching every given filter, ordered by id; retracted ones "
        "only with includeRetracted."
    )
    async def relations(
        self,
        info: Info,
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
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise InputError(f"minConfidence must be between 0 and 1, got {min_confidence}")
        args = {
            "types": types or None,
            "source_id": None if source is None else str(source),
            "target_id": None if target is None else str(target),
            "min_confidence": min_confidence,
            "curated": curated,
            "retracted": None if include_retracted else False,
        }
        rels = await ctx.call(ctx.store.relations, **args, limit=win.fetch, offset=win.offset)

        async def count() -> int:
            # The protocol has no relation count: count a bounded fetch, so an
            # unfiltered count over millions of relations cannot pin the server.
            cap = ctx.settings.max_count
            found = len(await ctx.call(ctx.store.relations, **args, limit=cap + 1))
            if found > cap:
                raise InputError(
                    f"totalCount of relations stops at {cap}: this list holds more; narrow it "
                    "with types, source, target or minConfidence, or page without totalCount"
                )
            return found

        return connection([as_relation(r) for r in rels], win, count)

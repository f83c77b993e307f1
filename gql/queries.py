"""Read queries: lookups by id and search; the lists are generated in gql.lists."""

from __future__ import annotations

import strawberry
from shegong.schema import ENTITY_LABELS, InputError, Label, Node

from .context import Info
from .enums import EntityLabel
from .graph_queries import GraphQueries
from .lists import ListQueries
from .pagination import connection, window
from .search import SearchConnection, search_connection
from .types_nodes import Article, Entity, GraphNode, as_entity, as_node, prefetch_entity
from .types_relations import Relation, as_relation

__all__ = ["Query"]


def _entities(nodes: list[Node]) -> list[Entity]:
    return [e for e in map(as_entity, nodes) if e is not None]


def _checked_labels(labels: list[Label] | None) -> list[Label]:
    if not labels:
        return list(ENTITY_LABELS)
    if Label.ARTICLE in labels:
        raise InputError(
            "search covers entities; find articles with articles(where: {title: {contains}})"
        )
    return sorted(set(labels), key=list(Label).index)


@strawberry.type
class Query(ListQueries, GraphQueries):
    @strawberry.field(description="Any node (entity or article) by id; null if there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> GraphNode | None:
        return as_node(await info.context.loaders.nodes.load(str(id)))

    @strawberry.field(description="An entity by id; null if there is none (or it is an article).")
    async def entity(self, info: Info, id: strawberry.ID) -> Entity | None:
        node = info.context.loaders.nodes.load(str(id))
        prefetch_entity(info, str(id))  # in the same store round as the node
        return as_entity(await node)

    @strawberry.field(description="An article by id; null if there is none.")
    async def article(self, info: Info, id: strawberry.ID) -> Article | None:
        found = as_node(await info.context.loaders.nodes.load(str(id)))
        return found if isinstance(found, Article) else None

    @strawberry.field(description="A relation by id, retracted ones included; null if none.")
    async def relation(self, info: Info, id: strawberry.ID) -> Relation | None:
        rel = await info.context.call(info.context.store.relation, str(id))
        return None if rel is None else as_relation(rel, info.context.loaders)

    @strawberry.field(
        description="Entities whose name or an alias contains `text` (Chinese substring; "
        "traditional input is converted), best first: exact names, then by the share of "
        "the name the text covers (`score`), then by degree, then by id."
    )
    async def search(
        self,
        info: Info,
        text: str,
        labels: list[EntityLabel] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection:
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

        return search_connection(connection(_entities(nodes), win, count), text)

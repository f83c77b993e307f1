"""Graph queries: neighbourhoods, shortest paths and store statistics."""

from __future__ import annotations

from typing import Annotated

import strawberry
from shegong.schema import InputError, Label, NotFoundError, RelationType
from shegong.schema import Node as NodeModel
from shegong.schema import Relation as RelationModel

from .context import Info
from .dataloaders import NeighbourKey
from .enums import DirectionEnum
from .types_nodes import Entity, GraphNode, as_entity, as_node, entity_relation_types
from .types_relations import Relation, as_relation

__all__ = ["GraphQueries", "Neighbourhood", "Path", "Stats"]


@strawberry.type(description="The nodes within some hops of a centre, and the edges between them.")
class Neighbourhood:
    center: GraphNode
    nodes: list[GraphNode] = strawberry.field(
        description="The centre first, then by hop distance, then by id."
    )
    edges: list[Relation] = strawberry.field(description="Relations between those nodes, by id.")
    truncated: bool = strawberry.field(description="True when `limit` cut the neighbourhood.")


@strawberry.type(description="A shortest path: its relations in order from `from`, with evidence.")
class Path:
    length: int
    nodes: list[GraphNode] = strawberry.field(description="From `from` to `to`, in order.")
    relations: list[Relation]


@strawberry.type
class LabelCount:
    label: Label
    count: int


@strawberry.type
class TypeCount:
    type: RelationType
    count: int


@strawberry.type
class EntityDegree:
    entity: Entity
    degree: int


@strawberry.type(description="Counts per label and relation type, and the best connected entities.")
class Stats:
    nodes: int
    relations: int
    nodes_by_label: list[LabelCount]
    relations_by_type: list[TypeCount]
    most_connected: list[EntityDegree]


async def _require(info: Info, node_id: str, arg: str) -> NodeModel:
    node = await info.context.loaders.nodes.load(node_id)
    if node is None:
        raise NotFoundError(f"{arg}: no node with id {node_id!r}")
    return node


@strawberry.type
class GraphQueries:
    @strawberry.field(
        description="Nodes within `hops` (1-3) of a node and the relations among them; all "
        "types but MENTIONS and REPORTED_BY unless `types` is given. Unknown id: an error."
    )
    async def neighbourhood(
        self,
        info: Info,
        id: strawberry.ID,
        hops: int = 1,
        types: list[RelationType] | None = None,
        direction: DirectionEnum = DirectionEnum.BOTH,
        limit: int = 100,
    ) -> Neighbourhood:
        settings = info.context.settings
        if not 1 <= hops <= settings.max_hops:
            raise InputError(f"hops must be between 1 and {settings.max_hops}, got {hops}")
        if not 1 <= limit <= settings.max_neighbourhood_nodes:
            raise InputError(
                f"limit must be between 1 and {settings.max_neighbourhood_nodes}, got {limit}"
            )
        center = await _require(info, str(id), "id")
        wanted = entity_relation_types(types)
        # One batched neighbours load per hop; each node's list is capped, so a hub
        # cannot make one hop fetch the whole graph.
        seen: dict[str, NodeModel] = {center.id: center}
        order = [center.id]
        edges: dict[str, RelationModel] = {}
        frontier = [center.id]
        truncated = False
        for _ in range(hops):
            if not frontier:
                break
            keys = [NeighbourKey(nid, wanted, direction.value, limit + 1) for nid in frontier]
            results = await info.context.loaders.neighbours.load_many(keys)
            found: dict[str, NodeModel] = {}
            for pairs in results:
                truncated = truncated or len(pairs) > limit
                for rel, other in pairs:
                    if other.id not in seen and other.id not in found:
                        if len(seen) + len(found) >= limit:
                            truncated = True
                            continue
                        found[other.id] = other
                    edges[rel.id] = rel
            frontier = sorted(found)
            seen.update(found)
            order.extend(frontier)
        nodes = [n for n in (as_node(seen[i]) for i in order) if n is not None]
        kept = [edges[k] for k in sorted(edges) if _inside(edges[k], seen)]
        center_obj = as_node(center)
        assert center_obj is not None
        return Neighbourhood(
            center=center_obj,
            nodes=nodes,
            edges=[as_relation(r, info.context.loaders) for r in kept],
            truncated=truncated,
        )

    @strawberry.field(
        description="A shortest undirected path (MENTIONS and REPORTED_BY excluded) of at "
        "most `maxHops` relations; null when there is none. Unknown ids: an error."
    )
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_hops: int = 4,
    ) -> Path | None:
        ctx = info.context
        if not 1 <= max_hops <= ctx.settings.max_path_hops:
            raise InputError(
                f"maxHops must be between 1 and {ctx.settings.max_path_hops}, got {max_hops}"
            )
        start = await _require(info, str(from_), "from")
        end = await _require(info, str(to), "to")
        rels = await ctx.call(ctx.store.path, start.id, end.id, max_hops)
        if rels is None:
            return None
        ids = [start.id]
        for rel in rels:
            ids.append(rel.target_id if rel.source_id == ids[-1] else rel.source_id)
        found = await ctx.loaders.nodes.load_many(ids)
        nodes = [n for n in map(as_node, found) if n is not None]
        return Path(
            length=len(rels),
            nodes=nodes,
            relations=[as_relation(r, info.context.loaders) for r in rels],
        )

    @strawberry.field(description="Counts per label and relation type; the `top` best connected.")
    async def stats(self, info: Info, top: int = 10) -> Stats:
        ctx = info.context
        if not 0 <= top <= ctx.settings.max_page_size:
            raise InputError(f"top must be between 0 and {ctx.settings.max_page_size}, got {top}")
        stats = await ctx.call(ctx.store.stats, top)
        ids = [entity_id for entity_id, _, _ in stats.top_entities]
        found = await ctx.loaders.nodes.load_many(ids)
        most = [
            EntityDegree(entity=entity, degree=degree)
            for (_, _, degree), entity in zip(
                stats.top_entities, map(as_entity, found), strict=True
            )
            if entity is not None
        ]
        return Stats(
            nodes=stats.nodes,
            relations=stats.relations,
            nodes_by_label=[
                LabelCount(label=label, count=stats.nodes_by_label.get(label.value, 0))
                for label in Label
            ],
            relations_by_type=[
                TypeCount(type=rtype, count=stats.relations_by_type.get(rtype.value, 0))
                for rtype in RelationType
            ],
            most_connected=most,
        )


def _inside(rel: RelationModel, seen: dict[str, NodeModel]) -> bool:
    return rel.source_id in seen and rel.target_id in seen

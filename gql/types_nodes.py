"""Node types: the ``Node`` and ``Entity`` interfaces, the five entity types, ``Article``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from shegong.schema import ENTITY_LABELS, Label, RelationType
from shegong.schema import Node as NodeModel

from .context import Info
from .dataloaders import NeighbourKey
from .enums import DirectionEnum, EntityLabel
from .pagination import Connection, connection, window

if TYPE_CHECKING:
    from .types_relations import Relation

__all__ = [
    "Article",
    "Entity",
    "Event",
    "GraphNode",
    "Organisation",
    "Person",
    "Place",
    "Policy",
    "as_entity",
    "as_node",
    "entity_relation_types",
]

RelationRef = Annotated["Relation", strawberry.lazy(".types_relations")]

#: What ``Entity.relations`` walks when no types are given: everything but the
#: article bookkeeping edges, which ``mentions`` covers.
DEFAULT_TYPES: tuple[RelationType, ...] = tuple(
    t for t in RelationType if t not in (RelationType.MENTIONS, RelationType.REPORTED_BY)
)


def entity_relation_types(types: list[RelationType] | None) -> tuple[RelationType, ...]:
    """The relation types asked for, sorted so equal asks share one DataLoader key."""
    if not types:
        return DEFAULT_TYPES
    return tuple(sorted(set(types), key=list(RelationType).index))


def _prop(node: NodeModel, key: str) -> Any:
    value = node.properties.get(key)
    return None if value in (None, "") else value


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


@strawberry.interface(name="Node", description="Anything in the graph with an id.")
class GraphNode:
    _node: strawberry.Private[NodeModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._node.id)

    @strawberry.field
    def label(self) -> EntityLabel:
        return self._node.label

    @strawberry.field(description="Canonical name (simplified Chinese); an article's title.")
    def name(self) -> str:
        return self._node.name

    @strawberry.field(description="First date the node was seen in an article (ISO).")
    def first_seen(self) -> str | None:
        return self._node.first_seen

    @strawberry.field(description="Last date the node was seen in an article (ISO).")
    def last_seen(self) -> str | None:
        return self._node.last_seen


@strawberry.interface(description="An organisation, person, place, policy or event.")
class Entity(GraphNode):
    @strawberry.field(description="Other surface forms, traditional ones included; sorted.")
    def aliases(self) -> list[str]:
        return sorted(self._node.aliases)

    @strawberry.field(description="Sub-type, e.g. government / association for organisations.")
    def kind(self) -> str | None:
        return self._node.kind

    @strawberry.field(
        description="Number of relations touching it (retracted and MENTIONS excluded)."
    )
    async def degree(self, info: Info) -> int:
        return await info.context.loaders.degrees.load(self._node.id)

    @strawberry.field(description="Articles mentioning it, ordered by relation id.")
    async def mentions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Article]:
        loaders = info.context.loaders
        win = window(first, after, info.context.settings)
        key = NeighbourKey(self._node.id, (RelationType.MENTIONS,), "in", win.offset + win.fetch)
        pairs = await loaders.neighbours.load(key)
        articles = [Article(_node=node) for _, node in pairs if node.label is Label.ARTICLE]

        async def count() -> int:
            full = await loaders.neighbours.load(key._replace(limit=None))
            return sum(1 for _, node in full if node.label is Label.ARTICLE)

        return connection(articles, win, count, sliced=False)

    @strawberry.field(
        description="Relations touching it, ordered by relation id; all types but MENTIONS "
        "and REPORTED_BY unless `types` is given."
    )
    async def relations(
        self,
        info: Info,
        types: list[RelationType] | None = None,
        direction: DirectionEnum = DirectionEnum.BOTH,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[RelationRef]:
        from .types_relations import Relation

        loaders = info.context.loaders
        win = window(first, after, info.context.settings)
        key = NeighbourKey(
            self._node.id, entity_relation_types(types), direction.value, win.offset + win.fetch
        )
        pairs = await loaders.neighbours.load(key)
        relations = [Relation(_rel=rel) for rel, _ in pairs]

        async def count() -> int:
            return len(await loaders.neighbours.load(key._replace(limit=None)))

        return connection(relations, win, count, sliced=False)


@strawberry.type(
    description="An organisation: government body, association, party, university, outlet..."
)
class Organisation(Entity):
    pass


@strawberry.type(description="A person.")
class Person(Entity):
    pass


@strawberry.type(description="A place, from country down to community.")
class Place(Entity):
    @strawberry.field(description="Administrative level (province, city, district...).")
    def level(self) -> str | None:
        return _prop(self._node, "level") or self._node.kind

    @strawberry.field(description="Administrative division code (GB/T 2260) where known.")
    def adcode(self) -> str | None:
        value = _prop(self._node, "adcode")
        return None if value is None else str(value)

    @strawberry.field
    def latitude(self) -> float | None:
        return _float(_prop(self._node, "latitude"))

    @strawberry.field
    def longitude(self) -> float | None:
        return _float(_prop(self._node, "longitude"))

    @strawberry.field(description="The enclosing place (the `parent` property, else LOCATED_IN).")
    async def parent(self, info: Info) -> Place | None:
        loaders = info.context.loaders
        parent_id = _prop(self._node, "parent_id") or _prop(self._node, "parent")
        if isinstance(parent_id, str):
            node = await loaders.nodes.load(parent_id)
            if node is not None and node.label is Label.PLACE:
                return Place(_node=node)
        key = NeighbourKey(self._node.id, (RelationType.LOCATED_IN,), "out", None)
        for _, node in await loaders.neighbours.load(key):
            if node.label is Label.PLACE:
                return Place(_node=node)
        return None


@strawberry.type(description="A policy document or programme.")
class Policy(Entity):
    pass


@strawberry.type(description="An event: meeting, ceremony, launch, campaign...")
class Event(Entity):
    @strawberry.field(description="Date as normalised ISO where possible, else as written.")
    def date(self) -> str | None:
        value = _prop(self._node, "date") or self._node.first_seen
        return None if value is None else str(value)

    @strawberry.field(description="Where it was held (HELD_IN).")
    async def place(self, info: Info) -> Place | None:
        key = NeighbourKey(self._node.id, (RelationType.HELD_IN,), "out", None)
        for _, node in await info.context.loaders.neighbours.load(key):
            if node.label is Label.PLACE:
                return Place(_node=node)
        return None


@strawberry.type(description="A news article, the source of every extracted fact.")
class Article(GraphNode):
    @strawberry.field
    def title(self) -> str:
        return str(_prop(self._node, "title") or self._node.name)

    @strawberry.field(description="The outlet that published it.")
    def source(self) -> str | None:
        value = _prop(self._node, "source")
        return None if value is None else str(value)

    @strawberry.field(description="Publication date (ISO where known).")
    def date(self) -> str | None:
        value = _prop(self._node, "date")
        return None if value is None else str(value)

    @strawberry.field
    def url(self) -> str | None:
        value = _prop(self._node, "url")
        return None if value is None else str(value)

    @strawberry.field(description="The file it was read from.")
    def file(self) -> str | None:
        value = _prop(self._node, "file")
        return None if value is None else str(value)

    @strawberry.field(description="The clean body text; evidence offsets point into it.")
    def text(self) -> str:
        return str(_prop(self._node, "text") or "")

    @strawberry.field(description="Entities it mentions, ordered by relation id.")
    async def entities(
        self,
        info: Info,
        labels: list[EntityLabel] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Entity]:
        loaders = info.context.loaders
        win = window(first, after, info.context.settings)
        wanted = set(labels or ENTITY_LABELS)
        # Label filters cut after the fetch, so fetch the whole list when filtering.
        limit = None if labels else win.offset + win.fetch
        key = NeighbourKey(self._node.id, (RelationType.MENTIONS,), "out", limit)
        pairs = await loaders.neighbours.load(key)
        entities = [as_entity(node) for _, node in pairs if node.label in wanted]

        async def count() -> int:
            full = await loaders.neighbours.load(key._replace(limit=None))
            return sum(1 for _, node in full if node.label in wanted)

        return connection([e for e in entities if e is not None], win, count, sliced=False)


_ENTITY_TYPES: dict[Label, type[Entity]] = {
    Label.ORGANISATION: Organisation,
    Label.PERSON: Person,
    Label.PLACE: Place,
    Label.POLICY: Policy,
    Label.EVENT: Event,
}


def as_entity(node: NodeModel | None) -> Entity | None:
    """The GraphQL object for an entity node; None for articles and missing nodes."""
    if node is None or node.label not in _ENTITY_TYPES:
        return None
    return _ENTITY_TYPES[node.label](_node=node)


def as_node(node: NodeModel | None) -> GraphNode | None:
    """The GraphQL object for any node (entity or article); None if missing."""
    if node is None:
        return None
    if node.label is Label.ARTICLE:
        return Article(_node=node)
    return as_entity(node)

"""Node types: the ``Node`` and ``Entity`` interfaces, the five entity types, ``Article``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from shegong.graph.query import MAX_PLACE_DEPTH
from shegong.schema import ENTITY_LABELS, InputError, Label, RelationType, entity_id
from shegong.schema import Node as NodeModel

from .context import Info
from .dataloaders import NeighbourKey, Neighbours, RelationPageKey
from .enums import DirectionEnum, EntityLabel
from .lookahead import evidence_plan, selected_below, selected_relations
from .pagination import Connection, Window, connection, window
from .plain_fields import info_free

if TYPE_CHECKING:
    from .changes import Change
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
ChangeRef = Annotated["Change", strawberry.lazy(".changes")]

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


# Plain attributes, filled when the object is built (see ``as_node``), resolve on
# strawberry's fast path; only fields that need the store have resolvers.


@strawberry.interface(name="Node", description="Anything in the graph with an id.")
class GraphNode:
    _node: strawberry.Private[NodeModel]
    id: strawberry.ID
    label: EntityLabel
    name: str = strawberry.field(
        description="Canonical name (simplified Chinese); an article's title."
    )
    first_seen: str | None = strawberry.field(
        description="First date the node was seen in an article (ISO)."
    )
    last_seen: str | None = strawberry.field(
        description="Last date the node was seen in an article (ISO)."
    )

    @classmethod
    @info_free
    def resolve_type(cls, obj: Any, info: Any, abstract_type: Any) -> str:
        """The GraphQL type of ``obj``: its own strawberry type (every object this API
        returns is one), read at once instead of strawberry's search of casts and type
        definitions; it also serves ``Entity``."""
        return str(obj.__strawberry_definition__.name)


@strawberry.interface(description="An organisation, person, place, policy or event.")
class Entity(GraphNode):
    aliases: list[str] = strawberry.field(
        description="Other surface forms, traditional ones included; sorted."
    )
    kind: str | None = strawberry.field(
        description="Sub-type, e.g. government / association for organisations."
    )

    @strawberry.field(
        description="In a mutation's result: every node and relation the mutation added, "
        "removed or changed, with the fields before and after; empty elsewhere."
    )
    def changes(self) -> list[ChangeRef]:
        from .changes import changes_of

        return changes_of(self)

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
        articles = [as_article(node) for _, node in pairs if node.label is Label.ARTICLE]

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
        from .types_relations import as_relation

        loaders = info.context.loaders
        win = window(first, after, info.context.settings)
        key, pairs = load_relations(info, self._node.id, types, direction, win)
        relations = [as_relation(rel, info.context.loaders) for rel, _ in await pairs]

        async def count() -> int:
            return len(await loaders.neighbours.load(key._replace(limit=None)))

        return connection(relations, win, count, sliced=False)


def load_relations(
    info: Info,
    node_id: str,
    types: list[RelationType] | None,
    direction: DirectionEnum,
    win: Window,
    connections: Any = None,
) -> tuple[NeighbourKey, Awaitable[Neighbours]]:
    """The relations a page of ``Entity.relations`` shows, with the evidence (and its
    articles) the query selects under it in the same round: the key of the whole list
    up to the page, and the load (a DataLoader future, so asking twice costs nothing).
    ``connections`` is the selected relations field when asked from above the entity."""
    loaders = info.context.loaders
    key = NeighbourKey(node_id, entity_relation_types(types), direction.value, win.end + 1)
    plan = evidence_plan(info, connections)
    if plan is None:
        return key, loaders.neighbours.load(key)
    ev = plan.window
    page = RelationPageKey(key, win.offset, win.end, ev.fetch, ev.offset, plan.articles)
    return key, loaders.relation_pages.load(page)


def prefetch_entity(info: Info, node_id: str) -> None:
    """Ask the entity's degree and its page of relations (with their evidence) in the same
    turn as the entity itself, when the query selects them, so that one store round
    brings all three; the fields then find them in the loaders' caches. Nothing is asked
    when the arguments are not plain (the fields load and report as usual)."""
    loaders = info.context.loaders
    below = selected_below(info)
    names = {f.name for f in below}
    asked: list[Awaitable[Any]] = []
    if "degree" in names:
        asked.append(loaders.degrees.load(node_id))
    found = selected_relations(below)
    if found is not None:
        field, args = found
        try:
            win = window(args["first"], args["after"], info.context.settings)
        except InputError:
            win = None
        if win is not None:
            _, pairs = load_relations(info, node_id, args["types"], args["direction"], win, [field])
            asked.append(pairs)
    for future in asked:  # an error is the field's to report; never left unretrieved
        asyncio.ensure_future(future).add_done_callback(_retrieved)


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


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
    level: str | None = strawberry.field(
        description="Administrative level (province, city, district...)."
    )
    adcode: str | None = strawberry.field(
        description="Administrative division code (GB/T 2260) where known."
    )
    latitude: float | None
    longitude: float | None

    @strawberry.field(
        description="The enclosing place: the gazetteer's `parent` property (a name or an "
        "id), else the first place it is LOCATED_IN."
    )
    async def parent(self, info: Info) -> Place | None:
        node = await _parent_node(info, self._node)
        return None if node is None else _place(node)

    @strawberry.field(
        description="The enclosing places from the parent up to the top (a province or "
        "country), nearest first."
    )
    async def ancestors(self, info: Info) -> list[Place]:
        chain: list[Place] = []
        seen = {self._node.id}
        node: NodeModel | None = self._node
        for _ in range(MAX_PLACE_DEPTH):
            node = await _parent_node(info, node) if node is not None else None
            if node is None or node.id in seen:
                break
            seen.add(node.id)
            chain.append(_place(node))
        return chain

    @strawberry.field(
        description="The places directly inside it (LOCATED_IN it), ordered by name then id; "
        "`places(where: {place: ...})` lists everything inside at any depth."
    )
    async def children(self, info: Info) -> list[Place]:
        key = NeighbourKey(self._node.id, (RelationType.LOCATED_IN,), "in", None)
        pairs = await info.context.loaders.neighbours.load(key)
        places = {node.id: node for _, node in pairs if node.label is Label.PLACE}
        return [_place(n) for n in sorted(places.values(), key=lambda n: (n.name, n.id))]


async def _parent_node(info: Info, place: NodeModel) -> NodeModel | None:
    """The gazetteer's ``parent`` property (a name or an id), else the first place it is
    LOCATED_IN (by relation id)."""
    loaders = info.context.loaders
    parent = _prop(place, "parent")
    if isinstance(parent, str):
        parent_id = parent if parent.startswith("plc-") else entity_id(Label.PLACE, parent)
        node = await loaders.nodes.load(parent_id)
        if node is not None and node.label is Label.PLACE:
            return node
    key = NeighbourKey(place.id, (RelationType.LOCATED_IN,), "out", None)
    for _, node in await loaders.neighbours.load(key):
        if node.label is Label.PLACE:
            return node
    return None


@strawberry.type(description="A policy document or programme.")
class Policy(Entity):
    pass


@strawberry.type(description="An event: meeting, ceremony, launch, campaign...")
class Event(Entity):
    date: str | None = strawberry.field(
        description="Date as normalised ISO where possible, else as written."
    )
    date_text: str | None = strawberry.field(
        description="Date as the text states it (MM-DD when it gives no year)."
    )

    @strawberry.field(description="Where it was held (HELD_IN).")
    async def place(self, info: Info) -> Place | None:
        key = NeighbourKey(self._node.id, (RelationType.HELD_IN,), "out", None)
        for _, node in await info.context.loaders.neighbours.load(key):
            if node.label is Label.PLACE:
                return _place(node)
        return None


@strawberry.type(description="A news article, the source of every extracted fact.")
class Article(GraphNode):
    title: str
    source: str | None = strawberry.field(description="The outlet that published it.")
    date: str | None = strawberry.field(description="Publication date (ISO where known).")
    url: str | None
    author: str | None = strawberry.field(
        description="The byline's name where the page or record gives one."
    )
    file: str | None = strawberry.field(description="The file it was read from.")
    sources: list[str] = strawberry.field(
        description="Every outlet that carried it: reprints found as near-duplicates are "
        "folded into the article stored first. Sorted."
    )
    urls: list[str] = strawberry.field(description="The urls of every copy loaded. Sorted.")
    files: list[str] = strawberry.field(description="The files every copy was read from. Sorted.")

    @strawberry.field(description="The clean body text; evidence offsets point into it.")
    async def text(self, info: Info) -> str:
        held = self._node.properties.get("text")
        if held is not None:
            return str(held)
        return await info.context.loaders.texts.load(self._node.id)

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


def _str(node: NodeModel, key: str) -> str | None:
    value = _prop(node, key)
    return None if value is None else str(value)


def _strings(node: NodeModel, key: str, single: str) -> list[str]:
    """A list property, or the single value of an article stored before lists existed."""
    value = _prop(node, key)
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    one = _str(node, single)
    return [one] if one else []


def _base(node: NodeModel) -> dict[str, Any]:
    return {
        "_node": node,
        "id": strawberry.ID(node.id),
        "label": node.label,
        "name": node.name,
        "first_seen": node.first_seen,
        "last_seen": node.last_seen,
    }


def _entity_fields(node: NodeModel) -> dict[str, Any]:
    return {**_base(node), "aliases": sorted(node.aliases), "kind": node.kind}


def _place(node: NodeModel) -> Place:
    return Place(
        **_entity_fields(node),
        level=_str(node, "level") or node.kind,
        adcode=_str(node, "adcode"),
        latitude=_float(_prop(node, "latitude") or _prop(node, "lat")),
        longitude=_float(_prop(node, "longitude") or _prop(node, "lon")),
    )


def _event(node: NodeModel) -> Event:
    return Event(
        **_entity_fields(node),
        date=_str(node, "date") or node.first_seen,
        date_text=_str(node, "date_text"),
    )


def as_article(node: NodeModel) -> Article:
    """The GraphQL object for an article node."""
    return Article(
        **_base(node),
        title=_str(node, "title") or node.name,
        source=_str(node, "source"),
        date=_str(node, "date"),
        url=_str(node, "url"),
        author=_str(node, "author"),
        file=_str(node, "file"),
        sources=_strings(node, "sources", "source"),
        urls=_strings(node, "urls", "url"),
        files=_strings(node, "files", "file"),
    )


_ENTITY_BUILDERS: dict[Label, Callable[[NodeModel], Entity]] = {
    Label.ORGANISATION: lambda node: Organisation(**_entity_fields(node)),
    Label.PERSON: lambda node: Person(**_entity_fields(node)),
    Label.PLACE: _place,
    Label.POLICY: lambda node: Policy(**_entity_fields(node)),
    Label.EVENT: _event,
}


def as_entity(node: NodeModel | None) -> Entity | None:
    """The GraphQL object for an entity node; None for articles and missing nodes."""
    if node is None or node.label not in _ENTITY_BUILDERS:
        return None
    return _ENTITY_BUILDERS[node.label](node)


def as_node(node: NodeModel | None) -> GraphNode | None:
    """The GraphQL object for any node (entity or article); None if missing."""
    if node is None:
        return None
    if node.label is Label.ARTICLE:
        return as_article(node)
    return as_entity(node)

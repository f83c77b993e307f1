"""Relation types: ``Relation`` with its provenance (``Evidence``), and ``Property``.

Plain attributes are filled when the object is built (``as_relation``), so they
resolve on strawberry's fast path; the ends, the evidence pages and the articles go
through DataLoaders, so a query that selects no evidence reads none.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from shegong.schema import Evidence as EvidenceModel
from shegong.schema import Relation as RelationModel
from shegong.schema import RelationType
from strawberry.scalars import JSON

from .context import Info
from .dataloaders import EvidenceKey
from .pagination import Connection, connection, window
from .types_nodes import Article, GraphNode, as_node

if TYPE_CHECKING:
    from .changes import Change

__all__ = ["EVIDENCE_PAGE", "Evidence", "Property", "Relation", "as_relation"]

#: Pieces of evidence a relation shows when ``first`` is not given.
EVIDENCE_PAGE = 5

ChangeRef = Annotated["Change", strawberry.lazy(".changes")]


@strawberry.type(description="One property of a relation as a key and a JSON-encoded value.")
class Property:
    key: str
    value: str


@strawberry.type(description="Where a relation was read: the article, sentence, span and rule.")
class Evidence:
    article_id: strawberry.ID
    sentence: str = strawberry.field(description="The sentence the relation was read from.")
    start: int = strawberry.field(
        description="Start offset of the matched span in the article text."
    )
    end: int = strawberry.field(description="End offset (exclusive) of the matched span.")
    rule: str = strawberry.field(description="The extractor rule that produced it.")
    confidence: float

    @strawberry.field(description="The article (null if it is no longer in the store).")
    async def article(self, info: Info) -> Article | None:
        found = as_node(await info.context.loaders.nodes.load(self.article_id))
        return found if isinstance(found, Article) else None


@strawberry.type(description="A typed edge; one per (type, source, target), evidence accumulates.")
class Relation:
    _rel: strawberry.Private[RelationModel]
    id: strawberry.ID
    type: RelationType
    source_id: strawberry.ID
    target_id: strawberry.ID
    properties: JSON = strawberry.field(
        description='Properties as a JSON object, e.g. {"role": "会长"}.'
    )
    confidence: float = strawberry.field(
        description="Best confidence among the evidence; 1.0 for curated edges."
    )
    curated: bool = strawberry.field(description="Added or confirmed by an editor.")
    retracted: bool = strawberry.field(
        description="Retracted by an editor (kept, never resurrected)."
    )
    retracted_reason: str | None
    editor: str | None = strawberry.field(description="The editor who curated it.")
    note: str | None = strawberry.field(description="The editor's note.")
    created_at: str | None = strawberry.field(description="When an editor created it (ISO time).")
    first_seen: str | None = strawberry.field(
        description="Date of the earliest article its evidence comes from (ISO)."
    )
    last_seen: str | None = strawberry.field(
        description="Date of the latest article its evidence comes from (ISO)."
    )
    evidence_count: int = strawberry.field(description="How many pieces of evidence it has.")

    @strawberry.field(
        description="Its evidence a page at a time, ordered by article, offset and rule "
        f"({EVIDENCE_PAGE} pieces unless `first` says otherwise); only the page is read."
    )
    async def evidence(
        self, info: Info, first: int | None = EVIDENCE_PAGE, after: str | None = None
    ) -> Connection[Evidence]:
        win = window(EVIDENCE_PAGE if first is None else first, after, info.context.settings)
        if self._rel.evidence:  # built in memory (a mutation's answer): page what it holds
            ordered = sorted(self._rel.evidence, key=_evidence_order)
            return connection([_evidence(ev) for ev in ordered], win, len(ordered), sliced=False)
        total = self.evidence_count
        pieces: list[EvidenceModel] = []
        if win.offset < total:  # one piece past the page tells whether another follows
            key = EvidenceKey(self._rel.id, win.fetch, win.offset)
            pieces = await info.context.loaders.evidence.load(key)
        return connection([_evidence(ev) for ev in pieces], win, total)

    @strawberry.field
    def source(self, info: Info) -> GraphNode | None:
        return _node_or_later(info, self.source_id)  # type: ignore[return-value]

    @strawberry.field
    def target(self, info: Info) -> GraphNode | None:
        return _node_or_later(info, self.target_id)  # type: ignore[return-value]

    @strawberry.field(
        description="In a mutation's result: every node and relation the mutation added, "
        "removed or changed, with the fields before and after; empty elsewhere."
    )
    def changes(self) -> list[ChangeRef]:
        from .changes import changes_of

        return changes_of(self)

    @strawberry.field(description="Properties as key / JSON-encoded value pairs, sorted by key.")
    def property_list(self) -> list[Property]:
        return [
            Property(key=k, value=json.dumps(v, ensure_ascii=False))
            for k, v in sorted(self._rel.properties.items())
        ]


def _node_or_later(info: Info, node_id: str) -> GraphNode | None | Awaitable[GraphNode | None]:
    """The node at once when the request's loader already holds it (neighbours primed
    it), else an awaitable: a coroutine per field costs more than the field itself."""
    loader = info.context.loaders.nodes
    cached = loader.cache_map.get(node_id)
    if (
        cached is not None
        and cached.done()
        and not cached.cancelled()
        and cached.exception() is None
    ):
        return as_node(cached.result())

    async def later() -> GraphNode | None:
        return as_node(await loader.load(node_id))

    return later()


def _evidence(ev: EvidenceModel) -> Evidence:
    return Evidence(
        article_id=strawberry.ID(ev.article_id),
        sentence=ev.sentence,
        start=ev.start,
        end=ev.end,
        rule=ev.rule,
        confidence=ev.confidence,
    )


def _evidence_order(ev: EvidenceModel) -> tuple[str, int, int, str]:
    return (ev.article_id, ev.start, ev.end, ev.rule)


def as_relation(rel: RelationModel) -> Relation:
    """The GraphQL object for a relation (its evidence is paged when asked for)."""
    properties: Any = dict(sorted(rel.properties.items()))
    return Relation(
        _rel=rel,
        id=strawberry.ID(rel.id),
        type=rel.type,
        source_id=strawberry.ID(rel.source_id),
        target_id=strawberry.ID(rel.target_id),
        properties=properties,
        confidence=rel.confidence,
        curated=rel.curated,
        retracted=rel.retracted,
        retracted_reason=rel.retracted_reason,
        editor=rel.editor,
        note=rel.note,
        created_at=rel.created_at,
        first_seen=rel.first_seen,
        last_seen=rel.last_seen,
        evidence_count=rel.evidence_count,
    )

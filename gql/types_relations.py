"""Relation types: ``Relation`` with its provenance (``Evidence``), and ``Property``."""

from __future__ import annotations

import json

import strawberry
from shegong.schema import Evidence as EvidenceModel
from shegong.schema import Relation as RelationModel
from shegong.schema import RelationType
from strawberry.scalars import JSON

from .context import Info
from .types_nodes import Article, GraphNode, as_node

__all__ = ["Evidence", "Property", "Relation"]


@strawberry.type(description="One property of a relation as a key and a JSON-encoded value.")
class Property:
    key: str
    value: str


@strawberry.type(description="Where a relation was read: the article, sentence, span and rule.")
class Evidence:
    _ev: strawberry.Private[EvidenceModel]

    @strawberry.field
    def article_id(self) -> strawberry.ID:
        return strawberry.ID(self._ev.article_id)

    @strawberry.field(description="The article (null if it is no longer in the store).")
    async def article(self, info: Info) -> Article | None:
        node = await info.context.loaders.nodes.load(self._ev.article_id)
        found = as_node(node)
        return found if isinstance(found, Article) else None

    @strawberry.field(description="The sentence the relation was read from.")
    def sentence(self) -> str:
        return self._ev.sentence

    @strawberry.field(description="Start offset of the matched span in the article text.")
    def start(self) -> int:
        return self._ev.start

    @strawberry.field(description="End offset (exclusive) of the matched span.")
    def end(self) -> int:
        return self._ev.end

    @strawberry.field(description="The extractor rule that produced it.")
    def rule(self) -> str:
        return self._ev.rule

    @strawberry.field
    def confidence(self) -> float:
        return self._ev.confidence


@strawberry.type(description="A typed edge; one per (type, source, target), evidence accumulates.")
class Relation:
    _rel: strawberry.Private[RelationModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._rel.id)

    @strawberry.field
    def type(self) -> RelationType:
        return self._rel.type

    @strawberry.field
    def source_id(self) -> strawberry.ID:
        return strawberry.ID(self._rel.source_id)

    @strawberry.field
    def target_id(self) -> strawberry.ID:
        return strawberry.ID(self._rel.target_id)

    @strawberry.field
    async def source(self, info: Info) -> GraphNode | None:
        return as_node(await info.context.loaders.nodes.load(self._rel.source_id))

    @strawberry.field
    async def target(self, info: Info) -> GraphNode | None:
        return as_node(await info.context.loaders.nodes.load(self._rel.target_id))

    @strawberry.field(description='Properties as a JSON object, e.g. {"role": "会长"}.')
    def properties(self) -> JSON:
        return dict(sorted(self._rel.properties.items()))  # type: ignore[return-value]

    @strawberry.field(description="Properties as key / JSON-encoded value pairs, sorted by key.")
    def property_list(self) -> list[Property]:
        return [
            Property(key=k, value=json.dumps(v, ensure_ascii=False))
            for k, v in sorted(self._rel.properties.items())
        ]

    @strawberry.field(description="Best confidence among the evidence; 1.0 for curated edges.")
    def confidence(self) -> float:
        return self._rel.confidence

    @strawberry.field(description="Added or confirmed by an editor.")
    def curated(self) -> bool:
        return self._rel.curated

    @strawberry.field(description="Retracted by an editor (kept, never resurrected).")
    def retracted(self) -> bool:
        return self._rel.retracted

    @strawberry.field
    def retracted_reason(self) -> str | None:
        return self._rel.retracted_reason

    @strawberry.field(description="The editor who curated it.")
    def editor(self) -> str | None:
        return self._rel.editor

    @strawberry.field(description="The editor's note.")
    def note(self) -> str | None:
        return self._rel.note

    @strawberry.field(description="When an editor created it (ISO time).")
    def created_at(self) -> str | None:
        return self._rel.created_at

    @strawberry.field(description="Every piece of evidence, by article, offset and rule.")
    def evidence(self) -> list[Evidence]:
        ordered = sorted(self._rel.evidence, key=lambda e: (e.article_id, e.start, e.end, e.rule))
        return [Evidence(_ev=ev) for ev in ordered]

"""Relation types: ``Relation`` with its provenance (``Evidence``), and ``Property``.

Plain attributes are filled when the object is built (``as_relation``), so they
resolve on strawberry's fast path; the ends and the evidence's articles are plain
attributes too, holding the node when the request's loader has it and a ``Later``
(loaded only if selected) otherwise. The evidence pages go through a DataLoader, so a
query that selects no evidence reads none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from shegong.schema import Evidence as EvidenceModel
from shegong.schema import Relation as RelationModel
from shegong.schema import RelationType
from strawberry.scalars import JSON

from .context import Info
from .dataloaders import EvidenceKey, Loaders
from .later import Later, held
from .lookahead import EVIDENCE_PAGE, evidence_window
from .pagination import Connection, connection
from .types_nodes import Article, GraphNode, as_node

if TYPE_CHECKING:
    from .changes import Change

__all__ = ["EVIDENCE_PAGE", "Evidence", "Property", "Relation", "as_relation"]

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
    article: Article | None = strawberry.field(
        description="The article (null if it is no longer in the store)."
    )

    @strawberry.field(
        description="Where `sentence` starts in the article text, so the span sits at "
        "`start - sentenceStart` in it; null when the text does not hold the sentence "
        "(a headline) or the article is gone."
    )
    async def sentence_start(self, info: Info) -> int | None:
        text = await info.context.loaders.texts.load(self.article_id)
        if not text:
            return None
        # The sentence that holds the span: the last occurrence starting at or before it.
        at = text.rfind(self.sentence, 0, self.start + len(self.sentence))
        if at < 0 or self.end > at + len(self.sentence):
            return None
        return at


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
    reviewed: bool = strawberry.field(
        description="Accepted by an editor from the review queue (kept through re-loads)."
    )
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
    def evidence(
        self, info: Info, first: int | None = EVIDENCE_PAGE, after: str | None = None
    ) -> Connection[Evidence]:
        win = evidence_window(info, first, after)
        loaders = info.context.loaders
        if self._rel.evidence:  # built in memory (a mutation's answer): page what it holds
            ordered = sorted(self._rel.evidence, key=_evidence_order)
            pieces = [_evidence(ev, loaders) for ev in ordered]
            return connection(pieces, win, len(ordered), sliced=False)
        total = self.evidence_count
        if win.offset >= total:
            return connection([], win, total)
        # one piece past the page tells whether another follows
        key = EvidenceKey(self._rel.id, win.fetch, win.offset)
        found, pieces = held(loaders.evidence, key)
        if found:  # prefetched for the whole page of relations (lookahead)
            return connection([_evidence(ev, loaders) for ev in pieces], win, total)

        async def later() -> Connection[Evidence]:
            pieces = await loaders.evidence.load(key)
            return connection([_evidence(ev, loaders) for ev in pieces], win, total)

        return later()  # type: ignore[return-value]

    source: GraphNode | None
    target: GraphNode | None

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


def _loaded_or_later(loaders: Loaders, node_id: str, convert: Callable[[Any], Any]) -> Any:
    """``convert`` of the node at once when the request's loader already holds it (the
    neighbours or the page's look-ahead primed it), else a ``Later`` loading it if the
    field is selected."""
    found, node = held(loaders.nodes, node_id)
    if found:
        return convert(node)

    async def load() -> Any:
        return convert(await loaders.nodes.load(node_id))

    return Later(load)


def _evidence(ev: EvidenceModel, loaders: Loaders) -> Evidence:
    return Evidence(
        article_id=strawberry.ID(ev.article_id),
        sentence=ev.sentence,
        start=ev.start,
        end=ev.end,
        rule=ev.rule,
        confidence=ev.confidence,
        article=_loaded_or_later(loaders, ev.article_id, _article),
    )


def _article(node: Any) -> Article | None:
    found = as_node(node)
    return found if isinstance(found, Article) else None


def _evidence_order(ev: EvidenceModel) -> tuple[str, int, int, str]:
    return (ev.article_id, ev.start, ev.end, ev.rule)


def as_relation(rel: RelationModel, loaders: Loaders) -> Relation:
    """The GraphQL object for a relation (its evidence is paged when asked for; its
    ends are the nodes ``loaders`` hold, or loaded if selected)."""
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
        reviewed=rel.reviewed,
        editor=rel.editor,
        note=rel.note,
        created_at=rel.created_at,
        first_seen=rel.first_seen,
        last_seen=rel.last_seen,
        evidence_count=rel.evidence_count,
        source=_loaded_or_later(loaders, rel.source_id, as_node),
        target=_loaded_or_later(loaders, rel.target_id, as_node),
    )

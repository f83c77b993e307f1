"""Backend-neutral models passed between stages and accepted by every store.

Ingest makes ``Article``; extraction makes ``Extraction`` (entities as ``Node``, their
``Mention``s, and ``Relation``s with ``Evidence``); ``Extraction.to_batch()`` turns it into a
``GraphBatch`` that ``GraphStore.upsert`` writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .ids import article_id, entity_id, relation_id
from .vocab import Label, RelationType

__all__ = [
    "Article",
    "AuditEntry",
    "Evidence",
    "Extraction",
    "GraphBatch",
    "Mention",
    "Node",
    "Relation",
    "StoreStats",
    "UNIONED_PROPERTIES",
    "UpsertResult",
    "merge_unioned",
]

#: Node properties holding lists that grow by union (sorted) when a node is merged,
#: where any other stored property wins: an article's outlets, urls and files, one
#: entry for each copy of it that was loaded (loaders.neardup folds reprints into it).
UNIONED_PROPERTIES = frozenset({"sources", "urls", "files"})


def merge_unioned(merged: dict[str, Any], a: Mapping[str, Any], b: Mapping[str, Any]) -> None:
    """Set each ``UNIONED_PROPERTIES`` key of ``merged`` to the sorted union of its lists
    in ``a`` and ``b``."""
    for key in UNIONED_PROPERTIES:
        if key in a or key in b:
            items = {str(v) for side in (a, b) for v in _as_list(side.get(key))}
            merged[key] = sorted(items)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


@dataclass(frozen=True)
class Article:
    """One clean article cut from an input file.

    ``start``/``end`` are character offsets of the article in the decoded, normalised
    file text; ``text`` is the clean body (title excluded).
    """

    title: str
    text: str
    file: str
    start: int = 0
    end: int = 0
    source: str | None = None
    date: str | None = None
    url: str | None = None
    author: str | None = None

    @cached_property
    def id(self) -> str:
        # cached: hashing the whole text on every access made long articles quadratic
        return article_id(self.title + "\n" + self.text)

    def to_node(self) -> Node:
        props: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "date": self.date,
            "file": self.file,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "url": self.url,
            "author": self.author,
            # every copy of it that was loaded (loaders.neardup adds reprints' own)
            "sources": [self.source] if self.source else None,
            "urls": [self.url] if self.url else None,
            "files": [self.file] if self.file else None,
        }
        return Node(
            label=Label.ARTICLE,
            name=self.title,
            properties={k: v for k, v in props.items() if v is not None},
            first_seen=self.date if _is_iso(self.date) else None,
            last_seen=self.date if _is_iso(self.date) else None,
            id=self.id,
        )


def _is_iso(date: str | None) -> bool:
    return bool(date) and len(date or "") >= 10 and (date or "")[4] == "-"


@dataclass
class Node:
    """An entity or article node. ``id`` is derived from label + name unless given."""

    label: Label
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    first_seen: str | None = None
    last_seen: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.label = Label(self.label)
        self.aliases = tuple(dict.fromkeys(a for a in self.aliases if a and a != self.name))
        if not self.id:
            self.id = entity_id(self.label, self.name)


@dataclass(frozen=True)
class Mention:
    """One surface form of an entity in an article; offsets are into ``Article.text``, or
    into ``Article.title`` when ``in_title`` (then ``sentence`` is the title)."""

    text: str
    start: int
    end: int
    sentence: str
    in_title: bool = False


@dataclass(frozen=True)
class Evidence:
    """Where a relation was read: the article, the sentence and span, the rule."""

    article_id: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float = 1.0


@dataclass
class Relation:
    """A typed edge. One per (type, source, target); evidence accumulates."""

    type: RelationType
    source_id: str
    target_id: str
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    curated: bool = False
    retracted: bool = False
    editor: str | None = None
    note: str | None = None
    created_at: str | None = None
    retracted_reason: str | None = None
    id: str = ""
    reviewed: bool = False
    """An editor accepted it from the review queue (kept through every re-load)."""
    #: First and last date of the evidence's articles, as the store derives them on
    #: writing (None on relations not read from a store); not compared.
    first_seen: str | None = field(default=None, compare=False)
    last_seen: str | None = field(default=None, compare=False)
    #: Set by a store that read the relation without its evidence (``evidence`` is then
    #: empty; page it with ``GraphStore.evidence``): how many pieces the store holds and
    #: the best confidence among them. None for a relation built in memory.
    stored_evidence_count: int | None = None
    stored_confidence: float | None = None

    def __post_init__(self) -> None:
        self.type = RelationType(self.type)
        if not self.id:
            self.id = relation_id(self.type, self.source_id, self.target_id)

    @property
    def confidence(self) -> float:
        """The best confidence among the evidence; 1.0 for curated, evidence-free edges."""
        if self.stored_confidence is not None and not self.evidence:
            return self.stored_confidence
        if not self.evidence:
            return 1.0
        return max(ev.confidence for ev in self.evidence)

    @property
    def evidence_count(self) -> int:
        """How many pieces of evidence the relation has (in the store, when read from one)."""
        if self.stored_evidence_count is not None and not self.evidence:
            return self.stored_evidence_count
        return len(self.evidence)


@dataclass
class GraphBatch:
    """What one ``GraphStore.upsert`` call writes, all or nothing."""

    nodes: list[Node] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def extend(self, other: GraphBatch) -> None:
        self.nodes.extend(other.nodes)
        self.relations.extend(other.relations)


@dataclass
class Extraction:
    """What the extractor found in one article."""

    article: Article
    entities: list[Node] = field(default_factory=list)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def to_batch(self) -> GraphBatch:
        """The article node, its entities and relations, plus MENTIONS edges with counts."""
        article_node = self.article.to_node()
        nodes = [article_node]
        for entity in self.entities:
            if self.article.date and _is_iso(self.article.date):
                entity.first_seen = entity.first_seen or self.article.date
                entity.last_seen = entity.last_seen or self.article.date
            nodes.append(entity)
        relations = list(self.relations)
        for entity in self.entities:
            found = self.mentions.get(entity.id, [])
            if not found:
                continue
            first = found[0]
            relations.append(
                Relation(
                    type=RelationType.MENTIONS,
                    source_id=article_node.id,
                    target_id=entity.id,
                    properties={"count": len(found)},
                    evidence=[
                        Evidence(
                            article_id=article_node.id,
                            sentence=first.sentence,
                            start=first.start,
                            end=first.end,
                            rule="mention:title" if first.in_title else "mention",
                        )
                    ],
                )
            )
        return GraphBatch(nodes=nodes, relations=relations)


@dataclass(frozen=True)
class UpsertResult:
    """Counts of what an upsert changed."""

    nodes_added: int = 0
    nodes_updated: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    articles_added: int = 0  # of nodes_added: articles, counted in the same transaction

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.nodes_added + other.nodes_added,
            self.nodes_updated + other.nodes_updated,
            self.relations_added + other.relations_added,
            self.relations_updated + other.relations_updated,
            self.articles_added + other.articles_added,
        )


@dataclass(frozen=True)
class StoreStats:
    """Counts per label and relation type, and the most connected entities."""

    nodes_by_label: dict[str, int]
    relations_by_type: dict[str, int]
    top_entities: list[tuple[str, str, int]] = field(default_factory=list)  # (id, name, degree)

    @property
    def nodes(self) -> int:
        return sum(self.nodes_by_label.values())

    @property
    def relations(self) -> int:
        return sum(self.relations_by_type.values())


@dataclass(frozen=True)
class AuditEntry:
    """One editor action: who did what to which id, when and why."""

    at: str
    editor: str
    action: str
    target: str
    note: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def unique_nodes(nodes: Iterable[Node]) -> list[Node]:
    """Nodes with duplicate ids folded (aliases unioned), in first-seen order."""
    seen: dict[str, Node] = {}
    for node in nodes:
        if node.id in seen:
            kept = seen[node.id]
            other_name = (node.name,) if node.name != kept.name else ()
            kept.aliases = tuple(dict.fromkeys((*kept.aliases, *node.aliases, *other_name)))
            kept.kind = kept.kind or node.kind
            properties = {**node.properties, **kept.properties}
            merge_unioned(properties, kept.properties, node.properties)
            kept.properties = properties
            kept.first_seen = _earliest(kept.first_seen, node.first_seen)
            kept.last_seen = _latest(kept.last_seen, node.last_seen)
        else:
            seen[node.id] = node
    return list(seen.values())


def _earliest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)

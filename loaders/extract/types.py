"""Typed data passed between the extraction stages.

MentionFinder: Article -> Analysis (sentences, entity spans, resolved entities);
RelationFinder: Analysis -> list[Relation]; Extractor glues them into an Extraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shegong.schema import Article, Label, Node

__all__ = ["Analysis", "Sentence", "Span"]


@dataclass(frozen=True)
class Sentence:
    """A sentence of ``Article.text``; ``start``/``end`` are offsets into that text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    """One mention of an entity: the surface text, where it is, and what it resolves to."""

    label: Label
    text: str
    start: int
    end: int
    entity_id: str
    rule: str


@dataclass
class Analysis:
    """An article with its sentences, its entity spans (sorted by start) and the entities
    they resolve to (id -> Node with canonical name, aliases and kind).

    ``title_spans`` are the mentions in the headline, offsets into ``Article.title``; they
    are kept apart so that relations are read from body sentences only."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    entities: dict[str, Node] = field(default_factory=dict)
    title_spans: list[Span] = field(default_factory=list)

    def spans_in(self, sentence: Sentence) -> list[Span]:
        """The spans lying inside ``sentence``, in order."""
        return [s for s in self.spans if s.start >= sentence.start and s.end <= sentence.end]

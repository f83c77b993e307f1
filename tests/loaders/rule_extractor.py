"""A tiny deterministic extractor for pipeline tests (the real one is tested on its own).

It finds organisations by a few name endings and links two organisations named in one
sentence with PARTNERED_WITH. Top-level classes, so worker processes can unpickle them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from shegong.schema import (
    Article,
    Evidence,
    Extraction,
    Label,
    Mention,
    Node,
    Relation,
    RelationType,
)

__all__ = ["BadRelationExtractor", "FailingExtractor", "SuffixExtractor"]

ORG = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?:社会工作者协会|社会工作协会|社工协会|联合会|民政局|民政部|服务中心)"
)
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


class SuffixExtractor:
    """Article -> Extraction, by name endings."""

    def __call__(self, article: Article) -> Extraction:
        entities: dict[str, Node] = {}
        mentions: dict[str, list[Mention]] = {}
        relations: dict[str, Relation] = {}
        for sent in SENTENCE.finditer(article.text):
            here: list[Node] = []
            for m in ORG.finditer(sent.group()):
                node = Node(Label.ORGANISATION, m.group(), kind="association")
                entities.setdefault(node.id, node)
                start = sent.start() + m.start()
                mentions.setdefault(node.id, []).append(
                    Mention(m.group(), start, start + len(m.group()), sent.group())
                )
                if node.id not in {n.id for n in here}:
                    here.append(node)
            if len(here) >= 2:
                rel = Relation(
                    RelationType.PARTNERED_WITH,
                    here[0].id,
                    here[1].id,
                    evidence=[
                        Evidence(
                            article.id, sent.group(), sent.start(), sent.end(), "test_pair", 0.5
                        )
                    ],
                )
                relations.setdefault(rel.id, rel)
        return Extraction(article, list(entities.values()), mentions, list(relations.values()))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for article in articles:
            yield self(article)


class FailingExtractor(SuffixExtractor):
    """Raises on articles whose text contains ``marker`` (an extractor bug)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, article: Article) -> Extraction:
        if self.marker in article.text:
            raise RuntimeError("boom")
        return super().__call__(article)


class BadRelationExtractor(SuffixExtractor):
    """Adds a relation the schema forbids (HELD_IN between organisations) to articles
    whose text contains ``marker``."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, article: Article) -> Extraction:
        found = super().__call__(article)
        if self.marker in article.text and len(found.entities) >= 2:
            a, b = found.entities[:2]
            found.relations.append(Relation(RelationType.HELD_IN, a.id, b.id))
        return found

"""Extraction: article -> entities, mentions and relations with evidence.

PLACEHOLDER until the extraction issue lands: returns the article with nothing found,
so the pipeline runs end to end. The extraction helper replaces this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from shegong.schema import Article, Extraction

__all__ = ["Extractor"]


class Extractor:
    """Turns one Article into an Extraction."""

    def __call__(self, article: Article) -> Extraction:
        return Extraction(article=article)

    def pipe(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for article in articles:
            yield self(article)

"""Search results: each hit with its relevance score and the name form it matched,
highlighted (graph.text.best_match, the rule the stores rank by)."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

import strawberry
from shegong.graph.text import best_match

from .pagination import Connection, PageInfo
from .types_nodes import Entity

__all__ = ["SearchConnection", "SearchEdge", "search_connection"]


@strawberry.type(description="One search hit: the entity, its cursor, why it matched.")
class SearchEdge:
    cursor: str
    node: Entity
    score: float = strawberry.field(
        description="1.0 for an exact name or alias, else 0.9 times the share of the "
        "best-matching name form the text covers; hits come best first."
    )
    matched: str = strawberry.field(description="The name or alias that matched.")
    start: int = strawberry.field(description="Start of the match in `matched`.")
    end: int = strawberry.field(description="End (exclusive) of the match in `matched`.")

    @strawberry.field(
        description="`matched` with the matched text wrapped in `pre` / `post` (the rest "
        "HTML-escaped when the markers are HTML tags, as by default)."
    )
    def highlight(self, pre: str = "<mark>", post: str = "</mark>") -> str:
        text = self.matched
        escape = html.escape if pre.startswith("<") else (lambda s: s)
        head, hit, tail = text[: self.start], text[self.start : self.end], text[self.end :]
        return f"{escape(head)}{pre}{escape(hit)}{post}{escape(tail)}"


@strawberry.type(description="A page of search hits, best first, Relay style.")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many entities match.")
    async def total_count(self) -> int:
        return await self._count()


def search_connection(page: Connection[Entity], text: str) -> SearchConnection:
    """The hits of a page of entities found for ``text``."""
    edges = []
    for edge in page.edges:
        node = edge.node
        found = best_match(text, [node.name, *node.aliases])
        if found is None:  # cannot happen for what the store found; say so plainly
            raise AssertionError(f"search hit {node.id} does not contain {text!r}")
        edges.append(
            SearchEdge(
                cursor=edge.cursor,
                node=node,
                score=round(found.score, 4),
                matched=found.form,
                start=found.start,
                end=found.end,
            )
        )
    return SearchConnection(edges=edges, page_info=page.page_info, _count=page._count)

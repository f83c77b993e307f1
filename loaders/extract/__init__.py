"""Extraction: article -> entities, mentions and relations with evidence.

    MentionFinder    Article -> Analysis (sentences, spans, resolved entities)
    RelationFinder   Analysis -> relations triggered by verbs and patterns
    structure        PART_OF / LOCATED_IN from names and place chains, REPORTED_BY
    Extractor        the three glued into an Extraction

Lexicons are built once per process (cached), so an Extractor is cheap to construct in
worker processes and pickles as an empty shell.
"""

from __future__ import annotations

import bisect
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

from .event_dates import date_events
from .mentions import MentionFinder
from .model_mentions import Mode, default_mode
from .relations import RelationFinder
from .resolve_state import equivalent
from .structure import outlet_nodes, structural_relations
from .types import Analysis, Sentence, Span

__all__ = ["Analysis", "Extractor", "MentionFinder", "RelationFinder", "Sentence", "Span"]


def _named_by(entities: list[Node], name: str) -> Node | None:
    """The one organisation of the article that ``name`` names by its key or by the tail
    of its key (区委社工部 for 中共黄山市屯溪区委社会工作部), else None."""
    key = equivalent(name)
    orgs = [e for e in entities if e.label == Label.ORGANISATION]
    same = [e for e in orgs if equivalent(e.name) == key]
    if len(same) == 1:
        return same[0]
    tail = key[1:] if key[:1] in "省市区县" else key
    if len(tail) < 4:
        return None
    ending = [e for e in orgs if equivalent(e.name).endswith(tail)]
    return ending[0] if len(ending) == 1 else None


class Extractor:
    """Turns one Article into an Extraction."""

    def __init__(self, mentions: Mode | None = None) -> None:
        """``mentions``: rules, model or combined (see ``model_mentions``); default
        ``SHEGONG_MENTIONS``, else combined."""
        self.mentions = MentionFinder(mentions or default_mode())
        self.relations = RelationFinder()

    def __getstate__(self) -> dict[str, object]:
        return {"mentions": self.mentions.mentions}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state.get("mentions"))  # type: ignore[misc]

    def __call__(self, article: Article) -> Extraction:
        analysis = self.mentions(article)
        starts = [s.start for s in analysis.sentences]
        sentence_of: dict[Span, str] = {}
        for span in analysis.spans:
            i = bisect.bisect_right(starts, span.start) - 1
            inside = i >= 0 and span.start < analysis.sentences[i].end
            sentence_of[span] = analysis.sentences[i].text if inside else span.text
        mentions: dict[str, list[Mention]] = {}
        for span in analysis.spans:
            mentions.setdefault(span.entity_id, []).append(
                Mention(span.text, span.start, span.end, sentence_of[span])
            )
        for span in analysis.title_spans:  # after the body's: a body mention comes first
            mentions.setdefault(span.entity_id, []).append(
                Mention(span.text, span.start, span.end, article.title, in_title=True)
            )
        entities = list(analysis.entities.values())
        date_events(entities, article)
        relations: dict[str, Relation] = {}
        for rel in [*self.relations(analysis), *structural_relations(analysis)]:
            if rel.id in relations:
                relations[rel.id].evidence.extend(rel.evidence)
            else:
                relations[rel.id] = rel
        for outlet in outlet_nodes(article.source):
            known = next((e for e in entities if e.id == outlet.id), None) or _named_by(
                entities, outlet.name
            )
            if known is not None and known.id != outlet.id:
                outlet = known
            if known is None:
                entities.append(outlet)
            else:
                known.kind = known.kind or "media"
            first = article.text.split("\n", 1)[0][:200]
            rel = Relation(
                RelationType.REPORTED_BY,
                article.id,
                outlet.id,
                evidence=[Evidence(article.id, first, 0, 0, "source:article-field", 1.0)],
            )
            relations.setdefault(rel.id, rel)
        return Extraction(
            article=article,
            entities=entities,
            mentions=mentions,
            relations=sorted(relations.values(), key=lambda r: (r.type.value, r.id)),
        )

    def pipe(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for article in articles:
            yield self(article)

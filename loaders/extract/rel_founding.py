"""Organisations founded at events named after them: <Org>成立大会, <Org>揭牌仪式."""

from __future__ import annotations

from bisect import bisect_right

from shegong.schema import Evidence, Label, RelationType

from .rel_collect import Collector, End
from .rel_context import squeeze
from .rel_patterns import PatternSet
from .types import Analysis, Sentence, Span

__all__ = ["founding_relations"]


def founding_relations(
    analysis: Analysis, article_id: str, patterns: PatternSet, out: Collector
) -> None:
    """<Org>成立大会, <Org>揭牌仪式: the organisation named right before the founding word
    (in the article text, so that an event name cut short still finds it) was founded
    at the event."""
    names = sorted(
        {
            (squeeze(alias), node.id)
            for node in analysis.entities.values()
            if node.label == Label.ORGANISATION
            for alias in (node.name, *node.aliases)
            if len(squeeze(alias)) >= 4  # not 协会, 联合会: short forms name no one
        },
        key=lambda pair: (-len(pair[0]), pair),
    )
    if not names:
        return
    sentences = sorted(analysis.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    rule, confidence = patterns.builtins["founding_event"]
    text = analysis.article.text
    for span in analysis.spans:
        if span.label != Label.EVENT:
            continue
        for m in patterns.founding.finditer(text, span.start, span.end):
            before = squeeze(text[max(0, m.start() - 60) : m.start()])
            org_id = next((oid for name, oid in names if before.endswith(name)), None)
            if org_id is None:
                continue
            sentence = _sentence_of(sentences, starts, span)
            evidence = Evidence(
                article_id,
                sentence.text if sentence else span.text,
                span.start,
                span.end,
                rule,
                confidence,
            )
            out.add(
                RelationType.FOUNDED_AT,
                End(org_id, Label.ORGANISATION),
                End(span.entity_id, Label.EVENT),
                {},
                evidence,
            )
            break


def _sentence_of(sentences: list[Sentence], starts: list[int], span: Span) -> Sentence | None:
    """The sentence holding ``span`` (sentences sorted by start, ``starts`` theirs)."""
    k = bisect_right(starts, span.start) - 1
    if k >= 0 and sentences[k].start <= span.start < sentences[k].end:
        return sentences[k]
    return None

"""Relations read from event names: organisations founded at events named after them
(<Org>成立大会, <Org>揭牌仪式) and bodies whose own meeting an event is (<Org>第二次会员
大会, <A>与<B>线上交流会)."""

from __future__ import annotations

from bisect import bisect_right

from shegong.schema import Evidence, Label, RelationType

from .lexicon import lexicon
from .rel_collect import Collector, End
from .rel_context import squeeze
from .rel_patterns import PatternSet
from .types import Analysis, Sentence, Span

__all__ = ["founding_relations", "own_meeting_relations"]

#: Between two bodies that hold an event together: 河北省社会工作促进会与郑州市社会工作协会…
_JOINT = ("与", "和", "、", "携手", "联合")


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
            evidence = _span_evidence(sentences, starts, span, article_id, rule, confidence)
            out.add(
                RelationType.FOUNDED_AT,
                End(org_id, Label.ORGANISATION),
                End(span.entity_id, Label.EVENT),
                {},
                evidence,
            )
            break


def _span_evidence(
    sentences: list[Sentence],
    starts: list[int],
    span: Span,
    article_id: str,
    rule: str,
    confidence: float,
) -> Evidence:
    """Evidence citing ``span`` and the sentence holding it (the span's text if none)."""
    sentence = _sentence_of(sentences, starts, span)
    text = sentence.text if sentence else span.text
    return Evidence(article_id, text, span.start, span.end, rule, confidence)


def _sentence_of(sentences: list[Sentence], starts: list[int], span: Span) -> Sentence | None:
    """The sentence holding ``span`` (sentences sorted by start, ``starts`` theirs)."""
    k = bisect_right(starts, span.start) - 1
    if k >= 0 and sentences[k].start <= span.start < sentences[k].end:
        return sentences[k]
    return None


def own_meeting_relations(
    analysis: Analysis, article_id: str, patterns: PatternSet, out: Collector
) -> None:
    """An event whose name opens with one or more of the article's organisations (joined by
    与/和/、) is theirs: ORGANISED_BY each, unless the name says the body was founded or
    unveiled there (<Org>成立大会 is FOUNDED_AT; a parent named before its new unit,
    中国社会工作联合会党委成立…, still holds the meeting)."""
    names = sorted(
        {
            (squeeze(alias), node.id)
            for node in analysis.entities.values()
            if node.label == Label.ORGANISATION
            for alias in (node.name, *node.aliases)
            if len(squeeze(alias)) >= 4
        },
        key=lambda pair: (-len(pair[0]), pair),
    )
    if not names:
        return
    by_text: dict[str, str] = {}
    for org, oid in names:
        by_text.setdefault(org, oid)
    sizes = sorted({len(org) for org in by_text}, reverse=True)
    rule, confidence = patterns.builtins["own_meeting"]
    sentences = sorted(analysis.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    first: dict[str, Span] = {}
    texts: dict[str, list[str]] = {}
    for span in analysis.spans:
        if span.label == Label.EVENT:
            first.setdefault(span.entity_id, span)
            texts.setdefault(span.entity_id, []).append(squeeze(span.text))
    aliases: dict[str, list[str]] = {
        node.id: [squeeze(a) for a in (node.name, *node.aliases) if len(squeeze(a)) >= 2]
        for node in analysis.entities.values()
        if node.label == Label.ORGANISATION
    }
    for event_id, span in first.items():
        node = analysis.entities.get(event_id)
        if node is None or (node.kind or _head_kind(node.name)) in ("day", "launch"):
            continue  # X官网上线 is no meeting
        hosts = _hosts(squeeze(node.name), by_text, sizes, patterns)
        if not hosts or not any(
            a in text for text in texts[event_id] for a in aliases.get(hosts[0], [])
        ):
            continue  # a name the resolver gave a bare 座谈会 or 调研 says nothing of hosts
        evidence = _span_evidence(sentences, starts, span, article_id, rule, confidence)
        for org_id in hosts:
            out.add(
                RelationType.ORGANISED_BY,
                End(event_id, Label.EVENT),
                End(org_id, Label.ORGANISATION),
                {"role": "举办"},
                evidence,
            )


def _head_kind(name: str) -> str | None:
    """The kind of the event noun ``name`` ends with (官网上线 -> launch)."""
    heads = lexicon().event_heads
    for size in range(min(len(name), 8), 1, -1):
        found = heads.get(name[-size:])
        if found is not None:
            return found[0]
    return None


def _hosts(name: str, by_text: dict[str, str], sizes: list[int], patterns: PatternSet) -> list[str]:
    """The organisations opening an event name, in order (none if it names no meeting)."""
    hosts: list[str] = []
    pos = 0
    while True:
        found = None
        for size in sizes:
            org = name[pos : pos + size]
            if len(org) < size or len(name) <= pos + size or org not in by_text:
                continue
            if patterns.founding.match(name, pos + size):
                continue  # founded here: 淄博市社会工作学院揭牌仪式
            found = (org, by_text[org])
            break
        if found is None:
            return hosts
        hosts.append(found[1])
        pos += len(found[0])
        joint = next((j for j in _JOINT if name.startswith(j, pos)), None)
        if joint is None:
            return hosts
        pos += len(joint)
        if not any(name[pos : pos + size] in by_text for size in sizes):
            return []  # 历下区社工站与社区治理…论坛: the pair is the topic

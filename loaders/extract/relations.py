"""Relation patterns: Analysis -> typed relations with evidence.

Sentence by sentence, the entity spans are masked into placeholders (``rel_mask``),
appositive title chains are read (``rel_appositive``), lists of those who attend an
event are read (``rel_attend``) and the rules of ``relation_patterns.jsonl`` are matched
(``rel_patterns``); the headline is matched by the event-relation rules too. Endpoints a
sentence leaves implicit (the event an official speaks at, the organisation whose
committee was elected) come from the article's context (``rel_context``: the event of
this part of the article); event names give FOUNDED_AT (<Org>成立大会) and ORGANISED_BY
(<Org>第二次会员大会) (``rel_founding``). One relation per (type, source, target) per
article (``rel_collect``), with its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shegong.schema import RELATION_SPECS, Evidence, Label, Relation, RelationType

from .rel_appositive import Chains, find_chains
from .rel_attend import find_attendance, qualifies, whole_list
from .rel_collect import Collector, End
from .rel_context import ArticleContext, core_title
from .rel_founding import founding_relations, own_meeting_relations
from .rel_mask import MaskedSentence, assign_spans, mask, outermost
from .rel_patterns import (
    ELECTED,
    Emit,
    PatternSet,
    PropSpec,
    RelPattern,
    TriggerScan,
    load_patterns,
)
from .types import Analysis, Sentence, Span

__all__ = ["RelationFinder"]

#: Confidence kept when an endpoint came from the context rather than the sentence.
_CONTEXT_DISCOUNT = 0.85
_QUOTES = re.compile(r"[“”‘’「」『』\"'《》]")
#: Determiners before an event noun (本次活动 -> 活动).
_NOUN_PREFIX = re.compile(r"^(?:本次|此次|这次|当天的|该)")
#: How far after a match (masked characters) the sentence's event may be named.
_EVENT_AFTER = 12
#: Relation types read from the headline as well as the body.
_HEADLINE_TYPES = frozenset({"ORGANISED_BY", "HELD_IN", "FOUNDED_AT", "GUIDED_BY"})
#: A headline's opening place (长沙市开展…观摩会) names whose event it is, not where.
_NOT_IN_HEADLINE = frozenset({"held.place_holds"})


@dataclass
class _Scope:
    """One sentence being matched, and where its findings go."""

    analysis: Analysis
    article_id: str  # Article.id hashes the whole text: computed once per article
    ctx: ArticleContext
    out: Collector
    masked: MaskedSentence
    chains: Chains
    text: str  # the text the masked offsets refer to (the article's, or the headline)

    def evidence(self, a: int, b: int, rule: str, confidence: float) -> Evidence:
        if self.text is not self.analysis.article.text:  # the headline: no body offsets
            return Evidence(self.article_id, self.masked.sentence.text, 0, 0, rule, confidence)
        start, end = self.masked.offsets(a, b)
        return Evidence(self.article_id, self.masked.sentence.text, start, end, rule, confidence)


class RelationFinder:
    """Finds typed relations between the entity spans of an analysed article.

    Patterns are read and compiled once, here; ``__call__`` only matches.
    """

    def __init__(self, patterns: PatternSet | None = None) -> None:
        self.patterns = patterns if patterns is not None else load_patterns()
        self._triggers = TriggerScan(self.patterns.patterns)
        self._headline_patterns = tuple(
            p
            for p in self.patterns.patterns
            if p.emits
            and all(e.type in _HEADLINE_TYPES for e in p.emits)
            and p.name not in _NOT_IN_HEADLINE
        )

    def __call__(self, analysis: Analysis) -> list[Relation]:
        per_sentence = [outermost(s) for s in assign_spans(analysis.sentences, analysis.spans)]
        ctx = ArticleContext(analysis, self.patterns, [s for spans in per_sentence for s in spans])
        out = Collector()
        article_id = analysis.article.id
        orgs = [(n.id, n.name) for n in analysis.entities.values() if n.label == Label.ORGANISATION]
        carried: list[Span] = []  # a list ending in ; that the next sentence's verb takes
        for sentence, spans in zip(analysis.sentences, per_sentence, strict=True):
            ctx.see(spans)
            if not spans:
                carried = []
                continue
            masked = mask(sentence, spans, analysis.article.text)
            chains = find_chains(masked, self.patterns, ctx.unit_named, orgs)
            scope = _Scope(analysis, article_id, ctx, out, masked, chains, analysis.article.text)
            self._appositions(scope)
            carried = self._attendance(scope, carried)
            self._match(scope, self.patterns.patterns)
            ctx.titled_people.update(
                masked.slots[at].entity_id for at in chains.titled if at in masked.slots
            )
        self._headline(analysis, article_id, ctx, out)
        founding_relations(analysis, article_id, self.patterns, out)
        own_meeting_relations(analysis, article_id, self.patterns, out)
        return out.relations()

    def _match(self, scope: _Scope, patterns: tuple[RelPattern, ...]) -> None:
        text = scope.masked.text
        found = self._triggers.words_in(text)
        for pattern in patterns:
            if pattern.triggers is not None and pattern.trigger_words.isdisjoint(found):
                continue
            if pattern.require is not None and not pattern.require.search(text):
                continue
            if pattern.forbid is not None and pattern.forbid.search(text):
                continue
            for match in pattern.regex.finditer(text):
                self._apply(pattern, match, scope)

    def _headline(
        self, analysis: Analysis, article_id: str, ctx: ArticleContext, out: Collector
    ) -> None:
        """The headline states facts too (X举办第二次会员大会, …推进会在贵阳召开): the
        patterns of event relations (organiser, place, founding, guidance) read it as well."""
        title = analysis.article.title or ""
        spans = outermost(analysis.title_spans)
        if not title.strip() or not spans:
            return
        masked = mask(Sentence(title, 0, len(title)), spans, title)
        chains = find_chains(masked, self.patterns, ctx.unit_named)
        scope = _Scope(analysis, article_id, ctx, out, masked, chains, title)
        self._match(scope, self._headline_patterns)

    # -- appositive titles ------------------------------------------------------------

    def _appositions(self, scope: _Scope) -> None:
        for ap in scope.chains.appositions:
            if ap.glued:
                continue
            if ap.org is not None:
                org_id: str | None = ap.org
                rule, confidence = self.patterns.builtins["appositive"]
            elif ap.title in scope.out.titles_of(ap.person.entity_id):
                continue  # 杨景云副厅长 after 辽宁省民政厅副厅长杨景云: that post, not another
            else:
                org_id = scope.ctx.org_for_title(
                    ap.title, scope.masked.offsets(ap.start, ap.end)[0]
                )
                rule, confidence = self.patterns.builtins["appositive_context"]
            if org_id is None:
                continue
            scope.out.add(
                RelationType.HOLDS_POSITION,
                End(ap.person.entity_id, Label.PERSON),
                End(org_id, Label.ORGANISATION, ap.org is None),
                {"title": ap.title},
                scope.evidence(ap.start, ap.end, rule, confidence),
            )

    # -- lists of those who attend ----------------------------------------------------

    def _attendance(self, scope: _Scope, carried: list[Span]) -> list[Span]:
        """PARTICIPATED_IN from lists of those who attend; returns this sentence's list
        when it is nothing but a list ending in ; (for the next sentence's verb)."""
        rule, confidence = self.patterns.builtins["attendance"]
        masked, ctx = scope.masked, scope.ctx
        for att in find_attendance(masked, scope.chains, self.patterns):
            event: End | None = None
            if att.event_at is not None and not ctx.is_day(masked.slots[att.event_at]):
                event = End(masked.slots[att.event_at].entity_id, Label.EVENT)
            if event is None:
                event = self._sentence_event(scope)
            if event is None and att.noun:
                at = masked.offsets(att.start, att.end)[0]
                found = ctx.event_for(_NOUN_PREFIX.sub("", att.noun), at)
                event = End(found, Label.EVENT, True) if found else None
            bare = event is None and not att.noun
            current = ctx.current_event() if event is None else None
            if current is not None:
                event = End(current, Label.EVENT, True)
            if event is None:
                continue
            conf = round(confidence * _CONTEXT_DISCOUNT, 3) if event.from_context else confidence
            evidence = scope.evidence(att.start, att.end, rule, conf)
            listed = [masked.slots[at] for at in att.participants]
            if att.start == 0:
                listed = carried + listed
            if bare and ctx.attended:
                events = list(ctx.attended)  # …出席A及B。C,D出席: both again
            else:
                events = [event] + [
                    End(masked.slots[at].entity_id, Label.EVENT) for at in att.more_events
                ]
                ctx.attended = events if len(events) > 1 else []
            for span in listed:
                for target in events:
                    scope.out.add(
                        RelationType.PARTICIPATED_IN,
                        End(span.entity_id, span.label),
                        target,
                        {"role": att.role},
                        evidence,
                    )
        own = whole_list(masked, scope.chains, self.patterns)
        return carried + [masked.slots[at] for at in own] if own else []

    @staticmethod
    def _sentence_event(scope: _Scope) -> End | None:
        for span in scope.masked.slots.values():
            if span.label == Label.EVENT and not scope.ctx.is_day(span):
                return End(span.entity_id, Label.EVENT)
        return None

    # -- regex rules ------------------------------------------------------------------

    def _apply(self, pattern: RelPattern, match: re.Match[str], scope: _Scope) -> None:
        for key, group in pattern.sets.items():
            found = self._group(group, match, scope, pattern, frozenset([Label.ORGANISATION]))
            if found and key == "meeting_org":
                scope.ctx.meeting_org = found[0].entity_id
            elif found and key == "recipient":
                scope.ctx.recipient = found[0].entity_id
        for emit in pattern.emits:
            props = {name: self._prop(spec, match, scope) for name, spec in emit.props.items()}
            role = props.get("role", "")
            rtype = self._type(emit, role)
            spec = RELATION_SPECS[rtype]
            sources = self._ends(
                emit.source, emit.source_default, emit, match, scope, pattern, role, spec.sources
            )
            targets = self._ends(
                emit.target, emit.target_default, emit, match, scope, pattern, role, spec.targets
            )
            for source in sources:
                for target in targets:
                    confidence = pattern.confidence
                    if source.from_context or target.from_context:
                        confidence = round(confidence * _CONTEXT_DISCOUNT, 3)
                    evidence = scope.evidence(match.start(), match.end(), pattern.name, confidence)
                    scope.out.add(rtype, source, target, props, evidence)
                    if (
                        rtype == RelationType.ELECTED_PRESIDENT
                        and source.label == Label.ORGANISATION
                        and role.endswith("单位")
                    ):
                        scope.ctx.unit_holder = source.entity_id  # 会长单位 … 单位代表X

    def _qualifier(self, end: End, match: re.Match[str], group: str, scope: _Scope) -> bool:
        """Whether an organisation of ``group`` only says where someone works."""
        if end.label != Label.ORGANISATION:
            return False
        a, b = match.span(group)
        return any(
            span.entity_id == end.entity_id
            and qualifies(scope.masked.text, at, scope.masked, self.patterns)
            for at, span in scope.masked.spans_between(a, b)
        )

    def _type(self, emit: Emit, role: str) -> RelationType:
        if emit.type != ELECTED:
            return RelationType(emit.type)
        title = self.patterns.titles.get(core_title(role, self.patterns))
        if title is not None and title.cls == "president":
            return RelationType.ELECTED_PRESIDENT
        return RelationType.ELECTED_TO

    def _group(
        self,
        group: str,
        match: re.Match[str],
        scope: _Scope,
        pattern: RelPattern,
        allowed: frozenset[Label],
    ) -> list[End]:
        """The entities of a group that can be this endpoint, in order."""
        a, b = match.span(group)
        if a < 0:
            return []
        ends = []
        for at, span in scope.masked.spans_between(a, b):
            if span.label not in allowed:
                continue
            if at in scope.chains.modifiers:
                continue  # 长春市社工协会 in 长春市社工协会会长唐天正: the person acts
            if (
                group in pattern.titled
                and at not in scope.chains.titled
                and span.entity_id not in scope.ctx.titled_people
            ):
                continue
            ends.append(End(span.entity_id, span.label))
        return ends

    def _ends(
        self,
        name: str,
        default: str | None,
        emit: Emit,
        match: re.Match[str],
        scope: _Scope,
        pattern: RelPattern,
        role: str,
        allowed: frozenset[Label],
    ) -> list[End]:
        if not name.startswith("@"):
            found = self._group(name, match, scope, pattern, emit.only.get(name, allowed) & allowed)
            if emit.type == RelationType.PARTICIPATED_IN.value:  # 全国人大常委会副委员长X
                found = [end for end in found if not self._qualifier(end, match, name, scope)]
            if name in emit.pick_last:
                found = found[-1:]
            if found or default is None:
                return found
            name = default
        ctx = scope.ctx
        if name == "@recipient":
            return [End(ctx.recipient, Label.ORGANISATION, True)] if ctx.recipient else []
        if name == "@meeting_org":
            org = ctx.meeting_org or ctx.topic_org()
            return [End(org, Label.ORGANISATION, True)] if org else []
        if name == "@election_org":
            org = ctx.election_org(role, scope.masked.sentence.start)
            return [End(org, Label.ORGANISATION, True)] if org else []
        if name == "@sentence_event":
            # an event of the sentence before the match or right after it, not one named
            # far on (梁星心在作…报告时透露,…开展“助学圆梦”系列活动)
            for at, span in sorted(scope.masked.slots.items()):
                if at > match.end() + _EVENT_AFTER:
                    break
                if span.label == Label.EVENT and not ctx.is_day(span):
                    return [End(span.entity_id, Label.EVENT)]
            noun = match.group("noun") if "noun" in match.re.groupindex else None
            if noun:
                at = scope.masked.offsets(match.start(), match.end())[0]
                event = ctx.event_named(_NOUN_PREFIX.sub("", noun), at)
                if event is not None:
                    return [End(event, Label.EVENT, True)]
        if name == "@sentence_event":  # the event of this part of the article
            current = ctx.current_event()
            return [End(current, Label.EVENT, True)] if current else []
        if ctx.main_event is not None:  # @main_event
            return [End(ctx.main_event, Label.EVENT, True)]
        return []

    def _prop(self, spec: PropSpec, match: re.Match[str], scope: _Scope) -> str:
        if spec.group is None:
            return spec.literal or ""
        a, b = next(
            (match.span(g) for g in spec.group.split("|") if match.span(g)[0] >= 0), (-1, -1)
        )
        if a < 0:
            return ""
        inside = scope.masked.spans_between(a, b)
        if inside:  # an entity: its canonical name (法治保障卡)
            value = "、".join(scope.ctx.name(span.entity_id, span.text) for _, span in inside)
        else:
            text = scope.masked.original(a, b, scope.text)
            value = _QUOTES.sub("", text).strip()
        if spec.mapping or spec.default is not None:
            return spec.mapping.get(value, spec.default if spec.default is not None else value)
        return value
